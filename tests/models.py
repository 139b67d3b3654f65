"""Models for the self-tests: the exact oracle, and deliberately broken variants of it.

Each class is its own factory: ``--model=tests/models.py:SoftWall``.

Each broken model breaks one piece of physics and keeps everything else exact (its
forces stay the gradient of its energy unless forces are what it breaks), so the
suite must fail exactly the tests aimed at that piece.
"""

import json
from dataclasses import fields, replace

import numpy as np

from mlip_conformance.adapters import Capabilities
from mlip_conformance.adapters.exact import ExactPhysics, make_calculator as exact  # noqa: F401 (spec tests/models.py:exact)
from mlip_conformance.references import exact as exact_references
from mlip_conformance.references.constants import HARTREE_EV


def _bond(atoms):
    vector = atoms.positions[1] - atoms.positions[0]
    r = np.linalg.norm(vector)
    return r, vector / r


def _is_neutral_h2(atoms):
    return list(atoms.numbers) == [1, 1] and atoms.info.get("charge", 0) == 0


class _RadialTwist(ExactPhysics):
    """Adds a pair term g(r) (and its exact force) to neutral H2."""

    def twist(self, r):
        """Energy (eV) and its derivative (eV/Å) added at bond length r."""
        raise NotImplementedError

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if _is_neutral_h2(atoms):
            r, unit = _bond(atoms)
            extra, slope = self.twist(r)
            energy += extra
            forces = forces + slope * np.array([unit, -unit])
        return energy, forces


class SecondMinimum(_RadialTwist):
    """A spurious 0.5 eV Gaussian dip at 2.5 Å: a second well on the attractive branch."""

    def twist(self, r, depth=0.5, centre=2.5, width=0.1):
        g = -depth * np.exp(-((r - centre) ** 2) / (2 * width ** 2))
        return g, -g * (r - centre) / width ** 2


class HighDissociationLimit(_RadialTwist):
    """H2 dissociates 0.3 eV above 2E(H): the restricted-spin failure, smoothly switched on."""

    def twist(self, r, shift=0.3, centre=2.0, width=0.3):
        t = np.tanh((r - centre) / width)
        return shift * 0.5 * (1 + t), shift * 0.5 * (1 - t ** 2) / width


class SoftWall(ExactPhysics):
    """The repulsive wall saturates: E − 2E(H) above 0 is capped smoothly at 5 eV."""

    cap = 5.0

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if _is_neutral_h2(atoms):
            e = energy - 2 * exact_references.H_ATOM_HARTREE * HARTREE_EV
            if e > 0:
                energy += self.cap * np.tanh(e / self.cap) - e
                forces = forces * (1 - np.tanh(e / self.cap) ** 2)
        return energy, forces


class CutoffJump(ExactPhysics):
    """A 20 meV step in the energy at a 5 Å cutoff, with smooth forces (a cutoff bug)."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if _is_neutral_h2(atoms) and _bond(atoms)[0] < 5.0:
            energy += 0.02
        return energy, forces


class OrientationDependent(ExactPhysics):
    """Adds ε Σ_pairs (u_ij · x̂)²: energy depends on how the molecule points in space."""

    epsilon = 0.05

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        forces = forces.copy()
        x = np.array([1.0, 0.0, 0.0])
        for i in range(len(atoms)):
            for j in range(i + 1, len(atoms)):
                vector = atoms.positions[j] - atoms.positions[i]
                r = np.linalg.norm(vector)
                u = vector / r
                energy += self.epsilon * u[0] ** 2
                gradient_j = 2 * self.epsilon * u[0] * (x - u[0] * u) / r
                forces[j] -= gradient_j
                forces[i] += gradient_j
        return energy, forces


class NonConservativeForces(ExactPhysics):
    """Forces on neutral H2 are 20 % too large: not the gradient of the energy."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        return energy, forces * 1.2 if _is_neutral_h2(atoms) else forces


class IgnoresCharge(ExactPhysics):
    """A pair potential built from the exact neutral H2 curve, blind to atoms.info:
    exact for neutral H2 and the H atom, wrong for every charged system."""

    capabilities = Capabilities(elements=frozenset({"H"}), periodic=False, stress=False)

    def _solve(self, atoms):
        n = len(atoms)
        energy = n * exact_references.H_ATOM_HARTREE * HARTREE_EV
        forces = np.zeros((n, 3))
        for i in range(n):
            for j in range(i + 1, n):
                pair = atoms[[i, j]]
                pair.info = {"charge": 0, "spin": 1}
                e, f = ExactPhysics._solve(self, pair)
                energy += e - 2 * exact_references.H_ATOM_HARTREE * HARTREE_EV
                forces[[i, j]] += f
        return energy, forces


class DeclaresNoCharge(IgnoresCharge):
    """The same charge-blind model, honest about it: bare-proton tests are not applicable."""

    capabilities = Capabilities(reads_charge=False, reads_spin=False, elements=frozenset({"H"}),
                                periodic=False, stress=False)


class NaNAtShortRange(ExactPhysics):
    """Returns NaN whenever two atoms are closer than 0.25 Å."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        distances = atoms.get_all_distances()[np.triu_indices(len(atoms), 1)]
        if len(distances) and distances.min() < 0.25:
            return float("nan"), forces
        return energy, forces


class ScaledCoulomb(ExactPhysics):
    """Bare nuclei repel with 0.97 × Coulomb's law."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if atoms.numbers.sum() == atoms.info.get("charge", 0):
            return 0.97 * energy, 0.97 * forces
        return energy, forces


class CountingAdapter:
    """The exact oracle as an adapter that logs every batch it is asked to evaluate."""

    def __init__(self, log):
        self.name = "counting-exact"
        self.calculator = ExactPhysics()
        self.capabilities = self.calculator.capabilities
        self.log = log
        self.batches = 0

    def evaluate(self, structures):
        self.batches += 1
        energies, forces = [], []
        with open(self.log, "a") as handle:
            for atoms in structures:
                handle.write(json.dumps({"batch": self.batches, "numbers": atoms.numbers.tolist(),
                                         "info": atoms.info,
                                         "positions": np.round(atoms.positions, 8).tolist(),
                                         "cell": np.round(atoms.cell.array, 8).tolist(),
                                         "pbc": atoms.pbc.tolist()}) + "\n")
                energy, force = self.calculator._solve(atoms)
                energies.append(energy)
                forces.append(force)
        return np.array(energies), forces


def with_options(cutoff: float = 5.0, label: str = "plain", verbose: bool = False):
    """Exact oracle that records the options it was built with (for option-parsing tests)."""
    calc = ExactPhysics()
    calc.options = {"cutoff": cutoff, "label": label, "verbose": verbose}
    return calc


def strict_factor(factor):
    """Fails to build unless factor is a number, as a real model rejects a bad setting."""
    float(factor)
    return ExactPhysics()


def takes_device(device="cpu"):
    calc = ExactPhysics()
    calc.device = device
    return calc


def not_a_model():
    return 42


def declares(level_of_theory="exact", elements=None):
    """The exact oracle with a declaration of the caller's choosing, as a dict (for the
    declaration usage errors: a level of theory or element symbols the suite does not know)."""
    calc = ExactPhysics()
    calc.capabilities = {**{f.name: getattr(ExactPhysics.capabilities, f.name) for f in fields(Capabilities)},
                         "level_of_theory": level_of_theory,
                         "elements": None if elements is None else elements.split(",")}
    return calc


def declares_no_reference():
    """The exact oracle declaring explicitly that it has no reference level of theory."""
    calc = ExactPhysics()
    calc.capabilities = replace(ExactPhysics.capabilities, level_of_theory=None)
    return calc


# --- Broken models for the checks beyond neutral H2 -------------------------------------------

def _is_h2_with(atoms, charge, spin):
    return (list(atoms.numbers) == [1, 1] and atoms.info.get("charge", 0) == charge
            and atoms.info.get("spin") == spin)


class CationSecondMinimum(ExactPhysics):
    """H2⁺ with a spurious 0.3 eV Gaussian dip at 3 Å (exact forces of the dip)."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if _is_h2_with(atoms, 1, 2):
            r, unit = _bond(atoms)
            g = -0.3 * np.exp(-((r - 3.0) ** 2) / (2 * 0.15 ** 2))
            slope = -g * (r - 3.0) / 0.15 ** 2
            energy += g
            forces = forces + slope * np.array([unit, -unit])
        return energy, forces


class BoundTriplet(ExactPhysics):
    """Triplet H2 with a 60 meV well at 2.5 Å: two parallel spins wrongly bound."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if _is_h2_with(atoms, 0, 3):
            r, unit = _bond(atoms)
            g = -0.06 * np.exp(-((r - 2.5) ** 2) / (2 * 0.2 ** 2))
            slope = -g * (r - 2.5) / 0.2 ** 2
            energy += g
            forces = forces + slope * np.array([unit, -unit])
        return energy, forces


class UnboundHydride(ExactPhysics):
    """H⁻ 1 eV too high: the second electron is not bound."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if list(atoms.numbers) == [1] and atoms.info.get("charge", 0) == -1:
            energy += 1.0
        return energy, forces


class HeliumTripletGround(ExactPhysics):
    """Puts the He 1s2s triplet 1 eV below the singlet ground state (breaks Hund's-rule check)."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if list(atoms.numbers) == [2] and atoms.info.get("charge", 0) == 0 and atoms.info.get("spin") == 3:
            energy = exact_references.HE_ATOM_HARTREE * HARTREE_EV - 1.0
        return energy, forces


class SizeInconsistent(ExactPhysics):
    """Neutral structures of more than two atoms get 50 meV per extra atom (a per-size bias)."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if len(atoms) > 2 and atoms.info.get("charge", 0) == 0:
            energy += 0.05 * (len(atoms) - 2)
        return energy, forces


class CoulombCutoff(ExactPhysics):
    """Bare nuclei stop repelling beyond 11 Å (a pair potential with a cutoff)."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if atoms.numbers.sum() == atoms.info.get("charge", 0) and len(atoms) == 2 and _bond(atoms)[0] > 11.0:
            return 0.0, np.zeros((2, 3))
        return energy, forces


class CutoffJumpDeclared(CutoffJump):
    """The 20 meV step at 5 Å, from a model that declares its 5 Å cutoff."""

    capabilities = Capabilities(cutoff=5.0, max_electrons=2, periodic=False, stress=False)


class HiddenStep(ExactPhysics):
    """Neutral H2 (either spin) 20 meV higher from 4.87 Å to 12 Å, forces smooth: a step between
    two grid points (4.75 and 5.00 Å) that no law of the singlet curve's shape sees (it still
    rises to its limit, which stays within 1 kcal/mol); only energy = −∫F dr along the scan does.
    The repulsive triplet, which must fall all the way out, shows it as a rise too."""

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if _is_neutral_h2(atoms) and 4.87 < _bond(atoms)[0] < 12.0:
            energy += 0.02
        return energy, forces
