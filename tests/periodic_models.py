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
        return primitive_neighbor_list("ijD", atoms.pbc, atoms.cell.array, atoms.positions, CUTOFF_ANGSTROM,
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
