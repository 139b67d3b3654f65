"""A lawful many-body toy potential, and broken variants of it, for the molecule, species and
calculator-contract checks.  Each class is its own factory: ``--model=tests/many_body_models.py:Toy``.

The toy is a Morse pair potential plus a Stillinger–Weber-like three-body term, both with a
smooth polynomial cutoff, and exact analytic forces: it obeys every law the suite asks of an
isolated molecule (invariance, F = −∇E, a symmetric force Jacobian, Newton's third law, locality)
on any geometry of its elements.  Each broken variant keeps all of that except one planted defect.
"""

import numpy as np
from ase.calculators.calculator import Calculator, all_changes
from ase.data import covalent_radii

from mlip_conformance.adapters import CalculatorAdapter, Capabilities

ELEMENTS = ("H", "C", "N", "O", "F", "P", "S", "Cl", "Br", "I")
_Z = {"H": 1, "C": 6, "N": 7, "O": 8, "F": 9, "P": 15, "S": 16, "Cl": 17, "Br": 35, "I": 53}

CUTOFF = 5.0              # Å, pair term
THREE_BODY_CUTOFF = 3.0   # Å
MORSE_DEPTH = 3.0         # eV
MORSE_WIDTH = 1.8         # 1/Å
WALL_ONSET = 0.8          # × r0: where the inner wall starts
WALL_HEIGHT = 100.0       # eV: the wall term at r = 0
THREE_BODY_STRENGTH = 1.5  # eV
COS_TETRAHEDRAL = -1.0 / 3.0


def _switch(r, cutoff):
    """(1 − (r/c)²)³ inside the cutoff, 0 outside: continuous with two derivatives at c."""
    x = np.clip(r / cutoff, 0.0, 1.0)
    s = (1 - x * x) ** 3
    ds = -6 * x * (1 - x * x) ** 2 / cutoff
    return s, ds


def _pair_arrays(positions):
    delta = positions[None, :, :] - positions[:, None, :]        # r_j − r_i
    r = np.linalg.norm(delta, axis=-1)
    return delta, r


class Toy(Calculator):
    """Pair + three-body toy with exact forces.  Energies are relative (per-element offsets)."""

    implemented_properties = ["energy", "forces"]
    capabilities = Capabilities(reads_charge=False, reads_spin=False, elements=frozenset(ELEMENTS),
                                absolute_energies=False, level_of_theory=None, cutoff=CUTOFF,
                                max_electrons=None, periodic=False, stress=False)

    def check_state(self, atoms, tol=1e-15):
        """A new total charge or spin is a new structure (ASE compares only positions, numbers,
        cell and pbc, so without this a cached answer would survive a change of atoms.info)."""
        changes = super().check_state(atoms, tol)
        if self.atoms is not None and _charge_and_spin(self.atoms) != _charge_and_spin(atoms):
            changes = list(changes) + ["info"]
        return changes

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        self._check_elements(self.atoms)
        energy, forces = self.energy_and_forces(self.atoms)
        self.results = {"energy": float(energy), "forces": forces}

    def _check_elements(self, atoms):
        unknown = sorted(set(atoms.get_chemical_symbols()) - set(ELEMENTS))
        if unknown:
            raise ValueError(f"the toy has no parameters for {', '.join(unknown)}")

    def energy_and_forces(self, atoms):
        energy, forces = self.lawful(atoms)
        return energy, forces

    def lawful(self, atoms):
        positions = atoms.positions
        numbers = atoms.numbers
        n = len(atoms)
        energy = float(sum(-1.0 - 0.05 * z for z in numbers))
        forces = np.zeros((n, 3))
        if n < 2:
            return energy, forces
        delta, r = _pair_arrays(positions)
        np.fill_diagonal(r, np.inf)
        unit = delta / r[..., None]
        radii = covalent_radii[numbers]
        r0 = radii[:, None] + radii[None, :]
        # pair term: D[(1 − e^{−a(r − r0)})² − 1] = D(e² − 2e) × switch(r); a pair without attraction
        # (w = 0, a broken variant) keeps only the repulsive D e²
        e = np.exp(-MORSE_WIDTH * (r - r0))
        w = self.attraction(numbers)
        morse = MORSE_DEPTH * (e * e - 2 * w * e)
        dmorse = -2 * MORSE_DEPTH * MORSE_WIDTH * e * (e - w)
        s, ds = _switch(r, CUTOFF)
        # an inner wall W(1 − r/(0.8 r0))³ below 0.8 r0 (zero beyond, with two continuous derivatives):
        # the Morse term alone is too soft for light pairs, whose real curves lie above the separated
        # atoms at 0.6 r0 (H2 at 0.37 Å: +2 eV), while the Morse term alone puts H–H 0.7 eV below them
        x = np.clip(r / (WALL_ONSET * r0), 0.0, 1.0)
        wall = WALL_HEIGHT * (1 - x) ** 3
        dwall = -3 * WALL_HEIGHT * (1 - x) ** 2 / (WALL_ONSET * r0)
        pair = np.where(np.isfinite(r), morse * s + wall, 0.0)
        dpair = np.where(np.isfinite(r), dmorse * s + morse * ds + dwall, 0.0)   # dV/dr
        energy += 0.5 * pair.sum()
        # dV/dr along u_ij acts on j as −dV/dr u_ij and on i as +dV/dr u_ij
        forces += (dpair[..., None] * unit).sum(axis=1)
        energy3, forces3 = self._three_body(r, unit)
        return energy + energy3, forces + forces3

    @staticmethod
    def attraction(numbers):
        """1 for every pair of atoms: every pair of the lawful toy binds."""
        return np.ones((len(numbers), len(numbers)))

    @staticmethod
    def _three_body(r, unit):
        """λ Σ_i Σ_{j<k} g(r_ij) g(r_ik) (cos θ_jik − cos θ₀)²."""
        n = len(r)
        g, dg = _switch(np.where(np.isfinite(r), r, THREE_BODY_CUTOFF), THREE_BODY_CUTOFF)
        energy = 0.0
        forces = np.zeros((n, 3))
        for i in range(n):
            neighbours = [j for j in range(n) if j != i and r[i, j] < THREE_BODY_CUTOFF]
            for a, j in enumerate(neighbours):
                for k in neighbours[a + 1:]:
                    cos = float(unit[i, j] @ unit[i, k])
                    t = cos - COS_TETRAHEDRAL
                    weight = g[i, j] * g[i, k]
                    energy += THREE_BODY_STRENGTH * weight * t * t
                    # gradients with respect to r_j and r_k (r_i gets minus their sum)
                    dcos_j = (unit[i, k] - cos * unit[i, j]) / r[i, j]
                    dcos_k = (unit[i, j] - cos * unit[i, k]) / r[i, k]
                    grad_j = THREE_BODY_STRENGTH * (dg[i, j] * g[i, k] * t * t * unit[i, j]
                                                    + weight * 2 * t * dcos_j)
                    grad_k = THREE_BODY_STRENGTH * (g[i, j] * dg[i, k] * t * t * unit[i, k]
                                                    + weight * 2 * t * dcos_k)
                    forces[j] -= grad_j
                    forces[k] -= grad_k
                    forces[i] += grad_j + grad_k
        return energy, forces


def _charge_and_spin(atoms):
    return int(atoms.info.get("charge", 0)), int(atoms.info.get("spin", 0))


# --- Broken variants: each exact in everything but one planted defect -------------------------

class HeavyAtomForces(Toy):
    """Forces 5 % too large on every atom heavier than hydrogen; the energy is untouched."""

    def energy_and_forces(self, atoms):
        energy, forces = self.lawful(atoms)
        return energy, np.where((atoms.numbers > 1)[:, None], 1.05 * forces, forces)


CURL_STRENGTH = 4.0e-5    # eV
CURL_WAVENUMBER = 40.0    # 1/Å
CURL_CUTOFF = 4.5         # Å
"""On the rattled finite-difference molecules this curl has a force Jacobian asymmetric by
0.03–0.09 eV/Å² (H2O 0.047, CH4 0.046) but adds at most 8 meV/Å to any force: the fast phase
k·r makes its derivatives large and its values small, so F = −∇E, checked component by component,
cannot see it, while the symmetry of the Jacobian can."""


class CurlForces(Toy):
    """Adds a small non-conservative force c Σ_i (ψ₂ᵢ ∇ψ₁ᵢ − ψ₁ᵢ ∇ψ₂ᵢ), with atom-centred
    invariants ψ₁ᵢ = Σ_j s(r_ij) cos(k r_ij), ψ₂ᵢ = Σ_j s(r_ij) sin(k r_ij).  Each term is a scalar
    times the gradient of an invariant, so the extra force turns with the molecule, is local,
    and has no net force or torque; but its Jacobian has the antisymmetric part
    c Σ_i (∇ψ₂ᵢ ∇ψ₁ᵢᵀ − ∇ψ₁ᵢ ∇ψ₂ᵢᵀ): it is a curl, no energy's gradient.  The energy is untouched."""

    def energy_and_forces(self, atoms):
        energy, forces = self.lawful(atoms)
        return energy, forces + curl_force(atoms.positions)


def curl_force(positions):
    n = len(positions)
    force = np.zeros((n, 3))
    if n < 2:
        return force
    delta, r = _pair_arrays(positions)
    np.fill_diagonal(r, np.inf)
    unit = delta / r[..., None]
    s, ds = _switch(np.where(np.isfinite(r), r, CURL_CUTOFF), CURL_CUTOFF)
    k = CURL_WAVENUMBER
    for i in range(n):
        psi1 = psi2 = 0.0
        grad1 = np.zeros((n, 3))
        grad2 = np.zeros((n, 3))
        for j in range(n):
            if j == i or r[i, j] >= CURL_CUTOFF:
                continue
            c, sn = np.cos(k * r[i, j]), np.sin(k * r[i, j])
            psi1 += s[i, j] * c
            psi2 += s[i, j] * sn
            d1 = (ds[i, j] * c - s[i, j] * k * sn) * unit[i, j]    # ∂/∂r_j of s cos(kr)
            d2 = (ds[i, j] * sn + s[i, j] * k * c) * unit[i, j]
            grad1[j] += d1
            grad1[i] -= d1
            grad2[j] += d2
            grad2[i] -= d2
        force += CURL_STRENGTH * (psi2 * grad1 - psi1 * grad2)
    return force


CHARGE_TERM_EV = 0.7      # eV per (unit charge)²
SPIN_TERM_EV = 0.2        # eV per unit of 2S


class ReadsChargeAndSpin(Toy):
    """The toy plus a' q² + b'(2S): an energy that depends on atoms.info['charge'] and ['spin']
    (no force), declared.  Lawful: a new charge or spin is a new structure for its cache."""

    capabilities = Capabilities(reads_charge=True, reads_spin=True, elements=frozenset(ELEMENTS),
                                absolute_energies=False, level_of_theory=None, cutoff=CUTOFF,
                                max_electrons=None, periodic=False, stress=False)

    def energy_and_forces(self, atoms):
        energy, forces = self.lawful(atoms)
        charge, spin = _charge_and_spin(atoms)
        return energy + CHARGE_TERM_EV * charge ** 2 + SPIN_TERM_EV * (max(spin, 1) - 1), forces


class StaleInfo(ReadsChargeAndSpin):
    """The charge- and spin-reading toy with ASE's default cache: it recomputes only when positions,
    numbers, cell or pbc change, so a new atoms.info['charge'] or ['spin'] on the same geometry
    returns the previous answer (the bug class of AIMNet2#48, torchmd-net#379, fairchem#1236)."""

    def check_state(self, atoms, tol=1e-15):
        return Calculator.check_state(self, atoms, tol)


UNBOUND_PAIRS = frozenset(frozenset((_Z[a], _Z[b])) for a, b in (("N", "N"), ("C", "O"), ("H", "F")))
"""Pairs whose exact ground states are bound by 9.9, 11.2 and 6.1 eV (references/diatomics.py)."""


class UnboundPairs(Toy):
    """N–N, C–O and H–F pairs keep only the repulsive half of the Morse term, D e^{−2a(r − r0)}: the
    N2, CO and HF curves fall monotonically from the wall to the cutoff, with no well.  Everything
    else, and every law but the shape of those bound states, still holds."""

    @staticmethod
    def attraction(numbers):
        return np.array([[0.0 if frozenset((a, b)) in UNBOUND_PAIRS else 1.0 for b in numbers] for a in numbers])


class RaisesOnIodine(Toy):
    """Declares iodine but raises on any structure that contains it."""

    def energy_and_forces(self, atoms):
        if 53 in atoms.numbers:
            raise RuntimeError("no embedding for element 53")
        return self.lawful(atoms)


class Float32Toy(Toy):
    """The lawful toy as a float32 model computes it: positions read, energy and forces returned in
    float32 (a relative round-off of 6e-8 on each).  Lawful: it must pass whatever the toy passes
    within float32 round-off."""

    def energy_and_forces(self, atoms):
        rounded = atoms.copy()
        rounded.positions = atoms.positions.astype(np.float32).astype(float)
        energy, forces = self.lawful(rounded)
        return np.float32(energy), forces.astype(np.float32)


ENERGY_STEP_EV = 2e-3           # eV
ENERGY_STEP_WIDTH_ANGSTROM = 0.01


class EnergySteps(Toy):
    """The energy read off a staircase while the forces stay smooth: a 2 meV step each time the sum
    of the interatomic distances crosses a multiple of 0.01 Å (an energy tabulated on a grid and
    never interpolated, forces from the smooth function).  Every vibration crosses steps."""

    def energy_and_forces(self, atoms):
        energy, forces = self.lawful(atoms)
        distances = atoms.get_all_distances()[np.triu_indices(len(atoms), 1)]
        return energy + ENERGY_STEP_EV * np.floor(distances.sum() / ENERGY_STEP_WIDTH_ANGSTROM), forces


class ScaledToy(Toy):
    """The toy with energy and forces multiplied by a factor, and the energy shifted per atom heavier
    than hydrogen (physics changes when scale ≠ 1 or heavy_shift ≠ 0)."""

    def __init__(self, scale=1.0, heavy_shift=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.heavy_shift = scale, heavy_shift

    def energy_and_forces(self, atoms):
        energy, forces = self.lawful(atoms)
        return self.scale * energy + self.heavy_shift * int((atoms.numbers > 1).sum()), self.scale * forces


class Float32ScaledToy(ScaledToy, Float32Toy):
    def energy_and_forces(self, atoms):
        energy, forces = Float32Toy.energy_and_forces(self, atoms)
        energy = self.scale * energy + self.heavy_shift * int((atoms.numbers > 1).sum())
        return np.float32(energy), (self.scale * forces).astype(np.float32)


CUDA_FAILURE = "CUDA error: no kernel image is available for execution on the device"


class _CrashesOnCuda(Toy):
    def energy_and_forces(self, atoms):
        raise RuntimeError(CUDA_FAILURE)


def configurable(dtype="float64", scale=1.0, heavy_shift=0.0, cuda_fails="build", device="auto"):
    """A factory with options, as model families have: dtype="float32" is the float32 twin (only
    round-off changes), scale ≠ 1 changes the physics, heavy_shift ≠ 0 (eV per atom heavier than
    H) only that of molecules beyond hydrogen; on cuda it cannot be built
    (cuda_fails="build": a GPU build the package lacks) or raises on every call ("evaluation"),
    which a run on a machine with CUDA must report as a failure."""
    if device == "cuda" and cuda_fails == "build":
        raise RuntimeError(CUDA_FAILURE)
    if device == "cuda":
        return CalculatorAdapter(_CrashesOnCuda(), name="toy on cuda", capabilities=Toy.capabilities)
    model = (Float32ScaledToy if dtype == "float32" else ScaledToy)(scale=scale, heavy_shift=heavy_shift)
    return CalculatorAdapter(model, name=f"toy ({dtype}, scale {scale:g})", capabilities=Toy.capabilities)
