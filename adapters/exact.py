"""The exact-physics oracle: a model that returns the exact answer wherever physics has one.

- Bare nuclei (no electrons): Coulomb's law, E = k Σ Zi Zj / rij, analytic forces.
- One electron on one nucleus: the hydrogen-like energy −Z²/2 Eh.
- The He atom: −2.903724377 Eh.
- Neutral singlet H2: the shipped exact curve (FCI/aug-cc-pV5Z binding energies on the
  exact atomic limit, references/exact.py) through a cubic spline, so forces are the
  spline's analytic derivative; beyond 10 Å, 2E(H) − C6/r⁶.
- H2⁺ (one electron): the shipped exact curve, the same way; beyond 10 Å, E(H) − α/(2r⁴),
  the proton polarizing the atom (α = 9/2 a.u.).
- Triplet H2 (b³Σu⁺): the shipped FCI binding energies on 2E(H); beyond 10 Å, 2E(H) − C6/r⁶.
- H⁻: Pekeris's exact energy (references/exact.py); Li⁺, the other two-electron ion a check
  can ask for, from Nakashima and Nakatsuji's free-complement energy.
- Neutral molecules 15 Å or more apart, each of the above in its ground state: the sum of
  their energies (their interaction is below 1e-8 Eh), if the total spin is one they can
  couple to.

Anything else raises: the oracle never guesses.  It declares that it answers molecules of
at most two electrons, so checks on other molecules are 'not applicable' to it.
"""

from functools import cached_property

import numpy as np
from ase.calculators.calculator import Calculator, all_changes
from scipy.interpolate import CubicSpline

from mlip_conformance.adapters.base import Capabilities
from mlip_conformance.references import exact
from mlip_conformance.references.constants import BOHR_ANGSTROM, COULOMB_EV_ANGSTROM, HARTREE_EV


class NoExactSolution(ValueError):
    pass


class ExactPhysics(Calculator):
    implemented_properties = ["energy", "forces"]
    capabilities = Capabilities(reads_charge=True, reads_spin=True, elements=None,
                                absolute_energies=True, level_of_theory="exact", cutoff=None,
                                max_electrons=2, periodic=False, stress=False)

    def check_state(self, atoms, tol=1e-15):
        """A new total charge or spin multiplicity is a new structure.  ASE compares positions,
        numbers, cell and pbc only, so without this the same geometry with another
        atoms.info['charge'] would get the cached answer of the last one (the calculator contract,
        conformance/test_calculator_contract.py)."""
        changes = list(super().check_state(atoms, tol))
        if self.atoms is not None and _charge_and_spin(self.atoms) != _charge_and_spin(atoms):
            changes.append("info")
        return changes

    @cached_property
    def _h2(self):
        return CubicSpline(*exact.h2_curve_ev())

    @cached_property
    def _h2_cation(self):
        return CubicSpline(*exact.h2_cation_curve_ev())

    @cached_property
    def _h2_triplet(self):
        return CubicSpline(*exact.h2_triplet_curve_ev())

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        energy, forces = self._solve(self.atoms)
        self.results = {"energy": energy, "forces": forces}

    def _solve(self, atoms):
        numbers = atoms.get_atomic_numbers()
        charge = atoms.info.get("charge", 0)
        spin = atoms.info.get("spin")
        electrons = int(numbers.sum()) - charge
        if electrons == 0 and spin in (None, 1):
            return coulomb(numbers, atoms.positions)
        if len(numbers) == 1 and electrons == 1 and spin in (None, 2):
            return -0.5 * numbers[0] ** 2 * HARTREE_EV, np.zeros((1, 3))
        if list(numbers) == [2] and electrons == 2 and spin in (None, 1):
            return exact.HE_ATOM_HARTREE * HARTREE_EV, np.zeros((1, 3))
        if list(numbers) == [2] and electrons == 2 and spin == 3:
            return HE_TRIPLET_HARTREE * HARTREE_EV, np.zeros((1, 3))
        if list(numbers) == [1] and electrons == 2 and spin in (None, 1):
            return exact.H_ANION_HARTREE * HARTREE_EV, np.zeros((1, 3))
        if list(numbers) == [3] and electrons == 2 and spin in (None, 1):
            return LI_CATION_HARTREE * HARTREE_EV, np.zeros((1, 3))
        if list(numbers) == [1, 1] and electrons == 2 and spin in (None, 1):
            return self._h2_singlet(atoms.positions)
        if list(numbers) == [1, 1] and electrons == 2 and spin == 3:
            return self._diatomic(self._h2_triplet, "triplet H2", atoms.positions, _dispersion_tail)
        if list(numbers) == [1, 1] and electrons == 1 and spin in (None, 2):
            return self._diatomic(self._h2_cation, "H2⁺", atoms.positions, _polarization_tail)
        fragments = _fragments(atoms.positions)
        if len(fragments) > 1 and charge == 0:
            return self._separated(atoms, fragments, spin)
        raise NoExactSolution(
            f"the exact oracle has no exact solution for {atoms.get_chemical_formula()} "
            f"with charge {charge} and spin multiplicity {spin}")

    def _h2_singlet(self, positions):
        return self._diatomic(self._h2, "H2", positions, _dispersion_tail)

    @staticmethod
    def _diatomic(spline, name, positions, tail):
        """Energy and forces from a shipped curve; beyond its last point, the analytic tail."""
        bond = positions[1] - positions[0]
        r = np.linalg.norm(bond)
        r_min, r_max = spline.x[0], spline.x[-1]
        if r < r_min:
            raise NoExactSolution(f"the exact {name} curve starts at {r_min} Å; asked for {r:.3f} Å")
        if r <= r_max:
            energy, slope = float(spline(r)), float(spline(r, 1))
        else:
            energy, slope = tail(r)
        force_on_second = -slope * bond / r
        return energy, np.array([-force_on_second, force_on_second])

    def _separated(self, atoms, fragments, spin):
        """Molecules beyond FRAGMENT_GAP_ANGSTROM: the sum of their ground-state energies."""
        energy, forces, spins = 0.0, np.zeros((len(atoms), 3)), []
        for members in fragments:
            part = atoms[members]
            electrons = int(part.numbers.sum())
            part.info = {"charge": 0, "spin": electrons % 2 + 1}   # H: doublet; H2: singlet
            part_energy, part_forces = self._solve(part)
            energy += part_energy
            forces[members] = part_forces
            spins.append(electrons % 2 / 2)
        if spin is not None and (spin - 1) / 2 not in _coupled_spins(spins):
            raise NoExactSolution(f"molecules of spins {spins} cannot couple to multiplicity {spin}")
        return energy, forces


HE_TRIPLET_HARTREE = -2.175229378236791
"""He 1s2s ³S, the lowest triplet of helium, infinite nuclear mass (G. W. F. Drake, in Springer
Handbook of Atomic, Molecular and Optical Physics (2006), Table 11.4)."""

LI_CATION_HARTREE = -7.279913412669306
"""Li⁺ 1s² ¹S, infinite nuclear mass (H. Nakashima and H. Nakatsuji, J. Chem. Phys. 127, 224104
(2007): −7.279 913 412 669 305 96 Eh)."""


def _charge_and_spin(atoms):
    return atoms.info.get("charge", 0), atoms.info.get("spin")


TAIL_FROM_ANGSTROM = 10.0
"""The shipped curves end at 10 Å; beyond, the analytic long-range tails are exact to < 1e-7 Eh."""

FRAGMENT_GAP_ANGSTROM = 15.0
"""Molecules this far apart do not interact: two H2 at 15 Å attract by C6/r⁶ ~ 1e-8 Eh."""


def _dispersion_tail(r):
    """2E(H) − C6/r⁶ and its derivative: two neutral H atoms (London dispersion)."""
    c6 = exact.H2_C6_AU * HARTREE_EV * BOHR_ANGSTROM ** 6
    return 2 * exact.H_ATOM_HARTREE * HARTREE_EV - c6 / r ** 6, 6 * c6 / r ** 7


HYDROGEN_POLARIZABILITY_AU = 4.5
"""Static dipole polarizability of the H atom, 9/2 bohr³ (exact)."""


def _polarization_tail(r):
    """E(H) − α k/(2r⁴) and its derivative: a proton polarizing an H atom."""
    c4 = HYDROGEN_POLARIZABILITY_AU / 2 * HARTREE_EV * BOHR_ANGSTROM ** 4
    return exact.H_ATOM_HARTREE * HARTREE_EV - c4 / r ** 4, 4 * c4 / r ** 5


def _fragments(positions):
    """Groups of atom indices; atoms of different groups are ≥ FRAGMENT_GAP_ANGSTROM apart."""
    groups = []
    for i, point in enumerate(positions):
        near = [g for g in groups if min(np.linalg.norm(positions[j] - point) for j in g) < FRAGMENT_GAP_ANGSTROM]
        merged = [i] + [j for g in near for j in g]
        groups = [g for g in groups if g not in near] + [sorted(merged)]
    return groups


def _coupled_spins(spins):
    """Every total spin S the given fragment spins can couple to."""
    totals = {0.0}
    for s in spins:
        totals = {t for total in totals for t in np.arange(abs(total - s), total + s + 0.1, 1.0)}
    return {float(t) for t in totals}


def coulomb(numbers, positions):
    """Energy (eV) and forces (eV/Å) of point charges Z_i e at the given positions (Å)."""
    z = np.asarray(numbers, dtype=float)
    delta = positions[:, None, :] - positions[None, :, :]
    distance = np.linalg.norm(delta, axis=-1)
    np.fill_diagonal(distance, np.inf)
    pair = COULOMB_EV_ANGSTROM * z[:, None] * z[None, :] / distance
    energy = 0.5 * pair.sum()
    forces = (pair / distance ** 2)[:, :, None] * delta
    return float(energy), forces.sum(axis=1)


def make_calculator():
    """Factory used by ``--model=exact``."""
    return ExactPhysics()
