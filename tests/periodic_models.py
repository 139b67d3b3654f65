"""Periodic toy models for the self-tests of conformance/test_periodic.py: a lawful one, and
variants that each break one rule of periodic systems.

Each class is its own factory: ``--model=tests/periodic_models.py:LawfulPeriodic``.

The lawful model is a pair + three-body potential with a smooth cutoff, written as an ASE
calculator with analytic forces and stress (numpy, float64):

    E = Σ_i e0(Z_i) + ½ Σ_i Σ_j φ(r_ij) + Σ_i Σ_{j<k} λ g(r_ij) g(r_ik) (cos θ_jik + 1/3)²

over every neighbour within the cutoff, periodic images included (ase.neighborlist).  φ is a
Morse pair (well 1 eV deep at 1.1 × the covalent radii sum) and g(r) = e^(−r/2) f(r); both carry
the cosine cutoff f(r) = ½ (1 + cos(π r / r_c)), so energy and forces are continuous at r_c.
Every neighbour enters through its vector D = r_j − r_i (+ lattice shift); with G = ∂E/∂D for each
such edge, the forces are F_i = Σ_(edges from i) G − Σ_(edges to i) G and the stress is
σ = (1/V) Σ_edges D ⊗ G (ASE's sign: (1/V) ∂E/∂ε).

The broken variants keep everything else lawful:
  MinimumImagePeriodic  neighbours by the minimum-image convention (one image per pair)
  FlippedStressSign     stress with the opposite sign
  StressInGPa           stress in GPa instead of eV/Å³
  WrapDependentPeriodic searches images as if every atom lay inside the cell
  IgnoresPbcOnZ         treats the third cell vector as periodic whatever pbc says
  PeriodicWheneverThereIsACell  treats a cell with no periodic direction as fully periodic
  WrapsIntoTheCell      wraps a structure with no periodic direction into its cell
and DeclaresNoStress is the lawful model declaring stress=False.

Pair potentials with a 6 Å cutoff and sharp features at it (tests of refinement, refinement.py):
  LinearForceCutoff     lawful: the pair force goes linearly to zero at the cutoff (energy C¹, the
                        slope of the force jumps by 20 eV/Å², as SevenNet-0's does by 13.8)
  SteepSwitchCutoff     lawful: a 5 meV attraction switched off smoothly (C²) over the last 5 mÅ
  CutoffForceJump       broken: the pair force jumps by 50 meV/Å at the cutoff (energy continuous)
"""

import numpy as np
from ase.calculators.calculator import Calculator, all_changes
from ase.data import covalent_radii
from ase.neighborlist import primitive_neighbor_list

from mlip_conformance.adapters import Capabilities
from mlip_conformance.references.constants import GPA_PER_EV_PER_CUBIC_ANGSTROM

CUTOFF_ANGSTROM = 4.0
ELEMENTS = frozenset({"H", "C", "N", "O", "Na", "Mg", "Si", "Cl", "Cu"})
WELL_EV = 1.0            # Morse well depth
STIFFNESS_PER_A = 2.5    # Morse α
WELL_AT_RADII_SUM = 1.1  # the Morse minimum, in units of the covalent radii sum
THREE_BODY_EV = 0.3      # λ
DECAY_ANGSTROM = 2.0     # g(r) = exp(−r / 2 Å) f(r)


def _cutoff(r, rc):
    """f(r) = ½ (1 + cos(π r / rc)) and df/dr, zero beyond rc."""
    inside = r < rc
    f = np.where(inside, 0.5 * (1 + np.cos(np.pi * r / rc)), 0.0)
    df = np.where(inside, -0.5 * np.pi / rc * np.sin(np.pi * r / rc), 0.0)
    return f, df


def _free_atom_energy(numbers):
    return -(1.0 + 0.1 * np.asarray(numbers, dtype=float))


class LawfulPeriodic(Calculator):
    """Pair + three-body potential with every periodic image: obeys every periodic law."""

    implemented_properties = ["energy", "free_energy", "forces", "stress"]
    capabilities = Capabilities(reads_charge=False, reads_spin=False, elements=ELEMENTS, absolute_energies=False,
                                level_of_theory=None, cutoff=CUTOFF_ANGSTROM, periodic=True, stress=True)
    cutoff = CUTOFF_ANGSTROM

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        atoms = self.atoms
        i, j, D = self.neighbours(atoms)
        energy, G = self.edge_energy(atoms.numbers, i, j, D)
        forces = np.zeros((len(atoms), 3))
        np.add.at(forces, i, G)
        np.add.at(forces, j, -G)
        self.results["energy"] = energy + _free_atom_energy(atoms.numbers).sum()
        self.results["free_energy"] = self.results["energy"]
        self.results["forces"] = forces
        if atoms.pbc.any():
            virial = D.T @ G
            self.results["stress"] = self.stress_units(
                ((virial + virial.T) / 2 / atoms.get_volume())[[0, 1, 2, 1, 0, 0], [0, 1, 2, 2, 2, 1]])

    def stress_units(self, stress):
        return stress

    def neighbours(self, atoms):
        """(i, j, D): every ordered pair within the cutoff, images included, D = r_j − r_i + shift."""
        return primitive_neighbor_list("ijD", atoms.pbc, atoms.cell.array, atoms.positions, self.cutoff,
                                       self_interaction=False)

    def edge_energy(self, numbers, i, j, D):
        """The interaction energy and G = ∂E/∂D for every edge."""
        r = np.linalg.norm(D, axis=1)
        unit = D / r[:, None] if len(r) else D
        radii = covalent_radii[numbers]
        r0 = WELL_AT_RADII_SUM * (radii[i] + radii[j])
        f, df = _cutoff(r, CUTOFF_ANGSTROM)
        x = np.exp(-STIFFNESS_PER_A * (r - r0))
        morse = WELL_EV * (x * x - 2 * x)
        dmorse = WELL_EV * (-2 * STIFFNESS_PER_A * x * x + 2 * STIFFNESS_PER_A * x)
        energy = 0.5 * np.sum(morse * f)
        G = (0.5 * (dmorse * f + morse * df))[:, None] * unit
        g = np.exp(-r / DECAY_ANGSTROM) * f
        dg = np.exp(-r / DECAY_ANGSTROM) * (df - f / DECAY_ANGSTROM)
        for centre in np.unique(i):
            edges = np.flatnonzero(i == centre)
            a, b = np.triu_indices(len(edges), 1)
            a, b = edges[a], edges[b]
            cos = np.sum(unit[a] * unit[b], axis=1)
            h = (cos + 1 / 3) ** 2
            dh = 2 * (cos + 1 / 3)
            energy += THREE_BODY_EV * np.sum(g[a] * g[b] * h)
            # ∂cos/∂D_a = (u_b − cos u_a) / r_a
            for one, other in ((a, b), (b, a)):
                dcos = (unit[other] - cos[:, None] * unit[one]) / r[one][:, None]
                grad = THREE_BODY_EV * ((dg[one] * g[other] * h)[:, None] * unit[one]
                                        + (g[one] * g[other] * dh)[:, None] * dcos)
                np.add.at(G, one, grad)
        return energy, G


class MinimumImagePeriodic(LawfulPeriodic):
    """Neighbours by the minimum-image convention: each pair once, at the image nearest in
    fractional coordinates, as codes written for large boxes do; wrong once a cell is shorter
    than twice the cutoff (an atom then has several images of a neighbour, and of itself)."""

    def neighbours(self, atoms):
        n = len(atoms)
        i, j = np.nonzero(~np.eye(n, dtype=bool))
        D = atoms.positions[j] - atoms.positions[i]
        if atoms.pbc.any():
            fractions = np.linalg.solve(atoms.cell.array.T, D.T).T
            fractions[:, atoms.pbc] -= np.round(fractions[:, atoms.pbc])
            D = fractions @ atoms.cell.array
        keep = np.linalg.norm(D, axis=1) < CUTOFF_ANGSTROM
        return i[keep], j[keep], D[keep]


class FlippedStressSign(LawfulPeriodic):
    """Reports −σ: positive under compression (the sign of VASP's pressure-like stress)."""

    def stress_units(self, stress):
        return -stress


class StressInGPa(LawfulPeriodic):
    """Reports the stress in GPa where eV/Å³ is due (160.2× too large)."""

    def stress_units(self, stress):
        return stress * GPA_PER_EV_PER_CUBIC_ANGSTROM


class WrapDependentPeriodic(LawfulPeriodic):
    """Searches periodic images as if every atom lay inside the cell: shifts out to the number of
    cells the cutoff spans, plus one.  Right for wrapped atoms; an atom two or more lattice vectors
    outside the cell loses neighbours, so the energy depends on whether atoms were wrapped."""

    def neighbours(self, atoms):
        cell = atoms.cell.array
        spans = [int(np.ceil(CUTOFF_ANGSTROM * np.linalg.norm(b))) + 1 if p else 0
                 for b, p in zip(np.linalg.inv(cell).T if atoms.pbc.any() else np.zeros((3, 3)), atoms.pbc)]
        shifts = np.array(np.meshgrid(*[np.arange(-s, s + 1) for s in spans], indexing="ij")).reshape(3, -1).T
        n = len(atoms)
        i, j, s = (x.ravel() for x in np.meshgrid(np.arange(n), np.arange(n), np.arange(len(shifts)), indexing="ij"))
        D = atoms.positions[j] - atoms.positions[i] + shifts[s] @ cell
        r = np.linalg.norm(D, axis=1)
        keep = (r < CUTOFF_ANGSTROM) & (r > 1e-9)
        return i[keep], j[keep], D[keep]


class IgnoresPbcOnZ(LawfulPeriodic):
    """Treats the third cell vector as periodic whenever the structure has a cell, whatever
    pbc says: a slab or a wire sees images across its vacuum."""

    def neighbours(self, atoms):
        pbc = atoms.pbc.copy()
        if np.linalg.norm(atoms.cell.array[2]) > 0:
            pbc[2] = True
        return primitive_neighbor_list("ijD", pbc, atoms.cell.array, atoms.positions, CUTOFF_ANGSTROM,
                                       self_interaction=False)


class PeriodicWheneverThereIsACell(LawfulPeriodic):
    """Takes a structure that has a cell and no periodic direction for a bulk crystal (as converters
    that read 'has a lattice' as 'periodic' do; a partial pbc is honoured): a molecule carrying a
    small cell with pbc off sees images of itself."""

    def neighbours(self, atoms):
        pbc = np.ones(3, dtype=bool) if atoms.cell.rank == 3 and not atoms.pbc.any() else atoms.pbc
        return primitive_neighbor_list("ijD", pbc, atoms.cell.array, atoms.positions, CUTOFF_ANGSTROM,
                                       self_interaction=False)


class WrapsIntoTheCell(LawfulPeriodic):
    """Wraps the atoms of a structure with no periodic direction into its cell before finding
    neighbours (a front end that wraps every structure that has a cell): a molecule across the
    cell's corner is torn apart."""

    def neighbours(self, atoms):
        if not atoms.pbc.any() and atoms.cell.rank == 3:
            atoms = atoms.copy()
            atoms.wrap(pbc=True)
        return super().neighbours(atoms)


class DeclaresNoStress(LawfulPeriodic):
    """The lawful model, declaring that it returns no stress: the stress checks are not applicable."""

    capabilities = Capabilities(reads_charge=False, reads_spin=False, elements=ELEMENTS, absolute_energies=False,
                                level_of_theory=None, cutoff=CUTOFF_ANGSTROM, periodic=True, stress=False)


PAIR_CUTOFF_ANGSTROM = 6.0
PAIR_ELEMENTS = frozenset({"C", "N", "O", "Na", "Mg", "Si", "Cl", "Cu"})   # no H: its short wall is soft
KINK_SLOPE_EV_PER_A2 = 20.0      # LinearForceCutoff: dF/dr over the last KINK_WIDTH_ANGSTROM
KINK_WIDTH_ANGSTROM = 0.002
SWITCH_DEPTH_EV = 0.002          # SteepSwitchCutoff: the attraction switched off ...
SWITCH_WIDTH_ANGSTROM = 0.005    # ... over the last 5 mÅ (forces up to 1.9 eV/Å)
FORCE_JUMP_EV_PER_A = 0.05       # CutoffForceJump: the jump of the pair force at the cutoff
FORCE_JUMP_WIDTH_ANGSTROM = 0.1  # ... which tapers off linearly between 0.1 and 0.2 Å inside it


def _morse_in_cutoff(r, r0):
    """The lawful model's Morse pair times the cosine cutoff at PAIR_CUTOFF_ANGSTROM, and its derivative."""
    x = np.exp(-STIFFNESS_PER_A * (r - r0))
    morse, dmorse = WELL_EV * (x * x - 2 * x), WELL_EV * 2 * STIFFNESS_PER_A * (x - x * x)
    f, df = _cutoff(r, PAIR_CUTOFF_ANGSTROM)
    return morse * f, dmorse * f + morse * df


def _shell_attraction(d, at_cutoff, peak, width):
    """An attraction confined to the shell within 2 × width of the cutoff, d = c − r: its force is
    piecewise linear, at_cutoff at d = 0, peak at d = width, 0 from d = 2 width in (continuous, with
    kinks); its energy, −∫₀ᵈ force, is continuous and constant further in.  (energy, dφ/dr = force)."""
    force = np.interp(d, [0.0, width, 2 * width], [at_cutoff, peak, 0.0])
    a, b = np.minimum(d, width), np.clip(d - width, 0.0, width)
    energy = -(at_cutoff * a + (peak - at_cutoff) * a * a / (2 * width) + peak * b - peak * b * b / (2 * width))
    return energy, force


class _PairPotential(LawfulPeriodic):
    """A pair potential φ(r) with a 6 Å cutoff (no three-body term): E = Σ e0 + ½ Σ_i Σ_j φ(r_ij),
    φ = Morse × the cosine cutoff + a feature at the cutoff (attractive, so every diatomic keeps
    one well, and confined near the cutoff or a few meV deep, so a compressed crystal still rises)."""

    capabilities = Capabilities(reads_charge=False, reads_spin=False, elements=PAIR_ELEMENTS, absolute_energies=False,
                                level_of_theory=None, cutoff=PAIR_CUTOFF_ANGSTROM, periodic=True, stress=True)
    cutoff = PAIR_CUTOFF_ANGSTROM

    def feature(self, r):
        """The feature's energy and dφ/dr for r inside the cutoff."""
        raise NotImplementedError

    def edge_energy(self, numbers, i, j, D):
        r = np.linalg.norm(D, axis=1)
        unit = D / r[:, None] if len(r) else D
        radii = covalent_radii[numbers]
        phi, dphi = _morse_in_cutoff(r, WELL_AT_RADII_SUM * (radii[i] + radii[j]))
        extra, dextra = self.feature(r)
        return 0.5 * np.sum(phi + extra), (0.5 * (dphi + dextra))[:, None] * unit


class LinearForceCutoff(_PairPotential):
    """The pair force goes linearly to zero at the cutoff, F = −k (c − r) over the last 10 mÅ (k = 20
    eV/Å², SevenNet-0's NaCl: 13.8), then tapers off linearly over the next 10 mÅ: energy and force
    continuous, the slope of the force jumps (kinks at c, c − 10 mÅ, c − 20 mÅ).  Lawful."""

    def feature(self, r):
        k, w = KINK_SLOPE_EV_PER_A2, KINK_WIDTH_ANGSTROM
        return _shell_attraction(PAIR_CUTOFF_ANGSTROM - r, 0.0, k * w, w)


def _smoothstep(r, start, end):
    """S = 1 below start, 0 beyond end, the quintic 1 − (10t³ − 15t⁴ + 6t⁵) between (C²), and dS/dr."""
    t = np.clip((r - start) / (end - start), 0.0, 1.0)
    return 1 - t ** 3 * (10 - 15 * t + 6 * t * t), -30 * t * t * (1 - t) ** 2 / (end - start)


class SteepSwitchCutoff(_PairPotential):
    """A 5 meV attraction switched off by a quintic smoothstep over the last 5 mÅ before the cutoff:
    steep (a force of up to 1.9 eV/Å, E‴ ~ 10⁶ eV/Å³) but smooth (C²).  Lawful."""

    def feature(self, r):
        s, ds = _smoothstep(r, PAIR_CUTOFF_ANGSTROM - SWITCH_WIDTH_ANGSTROM, PAIR_CUTOFF_ANGSTROM)
        return -SWITCH_DEPTH_EV * s, -SWITCH_DEPTH_EV * ds


class CutoffForceJump(_PairPotential):
    """A constant attraction of 50 meV/Å that stops dead at the cutoff (tapering off 0.1–0.2 Å inside
    it): the energy is continuous at the cutoff, the pair force jumps there by 50 meV/Å (a
    shifted-energy, unshifted-force cutoff)."""

    def feature(self, r):
        return _shell_attraction(PAIR_CUTOFF_ANGSTROM - r, FORCE_JUMP_EV_PER_A, FORCE_JUMP_EV_PER_A,
                                 FORCE_JUMP_WIDTH_ANGSTROM)
