"""Diatomic toy models built from the measured ground states (references/diatomics.py), for the
curve laws and the accuracy checks against experiment.  Each class is its own factory:
``--model=tests/diatomic_models.py:ExperimentalMorse``.

ExperimentalMorse gives every catalogue pair a Morse curve with its measured Re and
spin–orbit-free De (HeH, which has no measured Re, a purely repulsive exponential): it obeys
every curve law and meets experiment exactly, so it must pass every check of test_curves.py and
test_curve_accuracy.py it is asked.  MisfitMorse plants one error per check.
"""

import numpy as np
from ase.calculators.calculator import Calculator, all_changes

from mlip_conformance.adapters import Capabilities
from mlip_conformance.references.diatomics import GROUND_STATES

ELEMENTS = frozenset(("H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Cl"))
WIDTH_TIMES_RE = 4.0      # Morse a = 4 / Re: a wall steep enough to lie above the atoms at 0.6 × the covalent radii sum
REPULSION_EV, REPULSION_PER_A = 1.0, 2.0   # HeH: E = 1 eV × e^{−2 (r/Å − 1)}


def _pair_key(symbols):
    """The catalogue's name of the pair ("HF", "NaCl", "N2"), whichever atom comes first."""
    a, b = symbols
    for name in (f"{a}2" if a == b else f"{a}{b}", f"{b}{a}"):
        if name in GROUND_STATES:
            return name
    raise ValueError(f"the experimental Morse model has no curve for {a}–{b}")


class ExperimentalMorse(Calculator):
    """Morse curves with experiment's Re and De for the catalogue's pairs; isolated atoms at zero."""

    implemented_properties = ["energy", "forces"]
    capabilities = Capabilities(reads_charge=False, reads_spin=False, elements=ELEMENTS,
                                absolute_energies=False, level_of_theory=None, cutoff=None,
                                max_electrons=None, periodic=False, stress=False)

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        unknown = set(self.atoms.get_chemical_symbols()) - ELEMENTS
        if unknown or len(self.atoms) > 2:
            raise ValueError(f"the experimental Morse model answers single atoms and pairs of {sorted(ELEMENTS)}")
        forces = np.zeros((len(self.atoms), 3))
        energy = 0.0
        if len(self.atoms) == 2:
            bond = self.atoms.positions[1] - self.atoms.positions[0]
            r = float(np.linalg.norm(bond))
            energy, slope = self.pair(_pair_key(self.atoms.get_chemical_symbols()), r)
            forces[1] = -slope * bond / r
            forces[0] = -forces[1]
        self.results = {"energy": energy, "forces": forces}

    def pair(self, name, r):
        """(E, dE/dr) of the pair at r Å."""
        state = GROUND_STATES[name]
        if state.re_angstrom is None:
            e = REPULSION_EV * np.exp(-REPULSION_PER_A * (r - 1.0))
            return e, -REPULSION_PER_A * e
        return morse(r, *self.morse_parameters(name))

    def morse_parameters(self, name):
        """(De, Re, a) of the pair's Morse curve."""
        state = GROUND_STATES[name]
        return state.well_depth_ev, state.re_angstrom, WIDTH_TIMES_RE / state.re_angstrom


def morse(r, depth, r_e, width):
    """D[(1 − e^{−a(r − re)})² − 1] and its derivative."""
    e = np.exp(-width * (r - r_e))
    return depth * (e * e - 2 * e), -2 * depth * width * e * (e - 1)


MISFITS = {
    # pair: (change of Re in Å, change of De in eV, unbound) — each beyond one tolerance only
    "N2": (0.02, 0.0, False),    # Re 0.02 Å long: 2 × the 0.01 Å bond-length tolerance
    "CO": (0.0, -0.1, False),    # De 0.1 eV shallow: 2.3 × chemical accuracy
    "HF": (0.0, 0.0, True),      # no well at all: the repulsive half of the Morse curve
}


class MisfitMorse(ExperimentalMorse):
    """ExperimentalMorse with N2 0.02 Å too long, CO 0.1 eV too shallow and HF unbound (MISFITS)."""

    def pair(self, name, r):
        if name not in MISFITS:
            return super().pair(name, r)
        depth, r_e, width = self.morse_parameters(name)
        stretch, shallower, unbound = MISFITS[name]
        if unbound:
            e = np.exp(-width * (r - r_e))
            return depth * e * e, -2 * depth * width * e * e
        return morse(r, depth + shallower, r_e + stretch, width)
