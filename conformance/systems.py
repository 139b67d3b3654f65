"""Builders for the structures the suite evaluates, with charge and spin in atoms.info."""

import numpy as np
from ase import Atoms


def structure(symbols, positions, charge=0, spin=1):
    """Atoms carrying total charge and spin multiplicity (2S+1) as the suite's models expect."""
    atoms = Atoms(symbols, positions=np.asarray(positions, dtype=float))
    atoms.info.update(charge=int(charge), spin=int(spin))
    return atoms


def h2(r, charge=0, spin=1):
    """H2 along z with bond length r (Å): neutral singlet by default."""
    return structure("H2", [(0, 0, 0), (0, 0, r)], charge, spin)


def bare_protons(r):
    """Two protons r Å apart: H2 with charge +2, no electrons."""
    return h2(r, charge=2, spin=1)


def atom(symbol, charge=0, spin=1):
    return structure(symbol, [(0, 0, 0)], charge, spin)


def hydrogen_atom():
    return atom("H", charge=0, spin=2)


def bare_nucleus(symbol):
    """A nucleus stripped of all its electrons (H⁺, He²⁺, ...)."""
    return atom(symbol, charge=Atoms(symbol).numbers[0], spin=1)


def bare_cluster(symbols, positions):
    """Nuclei with no electrons at the given positions."""
    return structure(symbols, positions, charge=int(Atoms(symbols).numbers.sum()), spin=1)


def describe(atoms):
    """A chemist's one-line name for a structure: formula, charge, spin and its key distance."""
    charge = atoms.info.get("charge", 0)
    spin = atoms.info.get("spin", "?")
    text = f"{atoms.get_chemical_formula()} (charge {charge:+d}, spin {spin}"
    if len(atoms) == 2:
        text += f", r = {atoms.get_distance(0, 1):.4g} Å"
    elif len(atoms) > 2:
        distances = atoms.get_all_distances()[np.triu_indices(len(atoms), 1)]
        text += f", closest pair {distances.min():.3g} Å"
    return text + ")"
