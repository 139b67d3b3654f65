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


# --- Beyond neutral H2 ------------------------------------------------------------------------

def h2_cation(r):
    """H2⁺ (charge +1, doublet): one electron, two protons."""
    return h2(r, charge=1, spin=2)


def hydride_anion():
    """H⁻ (charge −1, singlet): the one bound state of two electrons on a proton."""
    return atom("H", charge=-1, spin=1)


DIATOMICS = {
    # pair: (A, B, 2S+1 of the ground electronic state, term).  Ground states from K. P. Huber and
    # G. Herzberg, Constants of Diatomic Molecules (1979); each multiplicity is one that the two
    # ground-state atoms can couple to, so the curve dissociates to them.  He2, Ne2 and HeH are van
    # der Waals pairs (wells of 0.95, 3.6 and about 0.5 meV); Re and De of every state, with sources,
    # are in references/diatomics.py.
    "H2": ("H", "H", 1, "X¹Σg⁺"), "He2": ("He", "He", 1, "X¹Σg⁺"), "Li2": ("Li", "Li", 1, "X¹Σg⁺"),
    "Be2": ("Be", "Be", 1, "X¹Σg⁺"), "B2": ("B", "B", 3, "X³Σg⁻"), "C2": ("C", "C", 1, "X¹Σg⁺"),
    "N2": ("N", "N", 1, "X¹Σg⁺"), "O2": ("O", "O", 3, "X³Σg⁻"), "F2": ("F", "F", 1, "X¹Σg⁺"),
    "Ne2": ("Ne", "Ne", 1, "X¹Σg⁺"), "Na2": ("Na", "Na", 1, "X¹Σg⁺"), "Cl2": ("Cl", "Cl", 1, "X¹Σg⁺"),
    "HeH": ("He", "H", 2, "X²Σ⁺"), "LiH": ("Li", "H", 1, "X¹Σ⁺"), "BeH": ("Be", "H", 2, "X²Σ⁺"),
    "BH": ("B", "H", 1, "X¹Σ⁺"), "CH": ("C", "H", 2, "X²Π"), "NH": ("N", "H", 3, "X³Σ⁻"),
    "OH": ("O", "H", 2, "X²Π"), "HF": ("H", "F", 1, "X¹Σ⁺"), "NaH": ("Na", "H", 1, "X¹Σ⁺"),
    "HCl": ("H", "Cl", 1, "X¹Σ⁺"), "CO": ("C", "O", 1, "X¹Σ⁺"), "NO": ("N", "O", 2, "X²Π"),
    "LiF": ("Li", "F", 1, "X¹Σ⁺"), "NaCl": ("Na", "Cl", 1, "X¹Σ⁺"),
}


def diatomic(pair, r):
    """The pair's ground electronic state along z, bond length r (Å), neutral."""
    a, b, spin, _ = DIATOMICS[pair]
    return structure([a, b], [(0, 0, 0), (0, 0, r)], charge=0, spin=spin)


def electron_count(symbols, charge=0):
    """Electrons of atoms with these symbols (or atomic numbers) and this total charge."""
    return int(Atoms(symbols).numbers.sum()) - int(charge)


def lowest_multiplicity(symbols, charge=0):
    """2S+1 of the lowest spin state of this many electrons: a singlet for an even count, a
    doublet for an odd one (symbols or atomic numbers)."""
    return 1 + electron_count(list(symbols), charge) % 2


DIATOMIC_FAR_ANGSTROM = 12.0
"""The long end of every diatomic curve other than H2.  Beyond the covalent–ionic crossing of
NaCl (IP(Na) − EA(Cl) = 1.53 eV, so k/r crosses at 9.4 Å) the ground state is the neutral pair."""


def diatomic_grid(pair, extra=()):
    """Bond lengths (Å) for a pair, in units of s = R_A + R_B (covalent radii, B. Cordero et al.,
    Dalton Trans. 2008, 2832): the wall 0.4–0.8 s every 0.05 s, the well 0.8–1.6 s every 0.025 s,
    the tail 1.6–3 s every 0.1 s, then 6, 8, 10 and 12 Å; plus any extra points (a cutoff probe):
    about 60 points (what that costs a real model: docs/findings.md)."""
    from ase.data import covalent_radii
    from mlip_conformance.references.grids import H2_GRID_ANGSTROM
    if pair == "H2":   # the suite's H2 curve, already evaluated for the H2 tests, plus the far point
        return np.unique(np.concatenate([H2_GRID_ANGSTROM, [DIATOMIC_FAR_ANGSTROM], list(extra)]))
    a, b, _, _ = DIATOMICS[pair]
    s = sum(covalent_radii[Atoms(x).numbers[0]] for x in (a, b))
    scaled = np.concatenate([np.arange(0.40, 0.80, 0.05), np.arange(0.80, 1.60, 0.025),
                             np.arange(1.60, 3.0001, 0.10)]) * s
    far = [x for x in (6.0, 8.0, 10.0, DIATOMIC_FAR_ANGSTROM) if x > scaled[-1] + 0.05]
    return np.unique(np.round(np.concatenate([scaled, far, list(extra)]), 6))


def separated(first, second, distance, spin):
    """first and second with their centres `distance` Å apart along x: total charge is the sum,
    total multiplicity `spin` (two doublets couple to a singlet or a triplet)."""
    moved = second.copy()
    moved.positions += np.array([distance, 0.0, 0.0]) + first.positions.mean(axis=0) - moved.positions.mean(axis=0)
    both = first + moved
    both.info = dict(charge=first.info["charge"] + second.info["charge"], spin=int(spin))
    return both
