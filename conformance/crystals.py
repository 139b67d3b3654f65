"""Periodic structures for the laws of conformance/test_periodic.py: how a periodic structure is
built and named, and a catalogue of real crystals, a surface, a sheet and a molecule (data: each
entry its atoms, cell, pbc and the laws that apply), with the fixed parameters the catalogue laws
read (lattice shifts, a reflection, a displacement, an equilibrium scan, a box and an expansion)
and the plan of the structures they evaluate.  The operations on a cell live in cells.py, the
Hypothesis strategies for random cells in cell_strategies.py.

Conventions: lengths in Å, energies in eV, stress in eV/Å³ with ASE's sign (cells.py).  Every
structure carries charge 0 and the lowest spin multiplicity its electron count allows
(atoms.info), like the molecules of the suite.
"""

from dataclasses import dataclass

import numpy as np
from ase import Atoms
from ase.build import bulk, fcc111, graphene, molecule
from ase.spacegroup import crystal
from ase.data import atomic_numbers

from mlip_conformance.conformance import strategies, systems
from mlip_conformance.conformance.applicability import Needs
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.cells import (
    VOIGT_DIRECTIONS, boxed, closest_pair, displaced, equivalent_cell, expanded, prepared, rotated, scaled,
    stencil_strains, supercell, translated)
from mlip_conformance.references.atoms import GROUND_STATE_MULTIPLICITY

__all__ = [
    "periodic_structure", "describe", "listing", "pbc_label", "ALL_MASKS",
    "LAWS", "Entry", "CATALOGUE", "entries_with", "DRAWN_ELEMENTS", "drawable_elements",
    "box_gap", "separation_distance", "isolated_atoms", "SCAN_LINEAR_FACTORS", "equilibrium_scan", "compressed",
    "catalogue_shifts", "CATALOGUE_ROTATION", "catalogue_displacement", "planned_crystals", "planned_boxes",
]

# --- Building and naming periodic structures ------------------------------------------------

def periodic_structure(symbols, positions, cell, pbc):
    """Atoms with a cell and periodic directions, charge 0 and the lowest multiplicity."""
    atoms = Atoms(symbols, positions=np.asarray(positions, dtype=float), cell=np.asarray(cell, dtype=float),
                  pbc=pbc)
    atoms.info.update(charge=0, spin=systems.lowest_multiplicity(atoms.numbers))
    return atoms


def pbc_label(pbc):
    """'TTF' for pbc = (True, True, False): the form the test ids use."""
    return "".join("T" if p else "F" for p in pbc)


ALL_MASKS = [(True, True, True), (True, True, False), (True, False, True), (False, True, True),
             (True, False, False), (False, True, False), (False, False, True)]
"""Every combination with at least one periodic direction, fully periodic first."""


def describe(atoms):
    """One line: formula, cell lengths and angles, periodic directions, closest pair with images."""
    if not atoms.pbc.any():
        return systems.describe(atoms)
    a, b, c, alpha, beta, gamma = atoms.cell.cellpar()
    return (f"{atoms.get_chemical_formula()} in a {a:.3f} × {b:.3f} × {c:.3f} Å cell "
            f"(α = {alpha:.1f}°, β = {beta:.1f}°, γ = {gamma:.1f}°, periodic {pbc_label(atoms.pbc)}, "
            f"closest pair {closest_pair(atoms):.3g} Å with images)")


def listing(atoms):
    """The cell and positions in full, so that a failing Hypothesis cell can be rebuilt."""
    cell = "; ".join(" ".join(f"{x:+.4f}" for x in row) for row in atoms.cell.array)
    positions = "; ".join(f"{s} {x:+.4f} {y:+.4f} {z:+.4f}"
                          for s, (x, y, z) in zip(atoms.get_chemical_symbols(), atoms.positions))
    return f"cell rows [{cell}] Å, pbc {pbc_label(atoms.pbc)}, atoms [{positions}] Å"


# --- The catalogue of real structures --------------------------------------------------------

LAWS = ("extensive", "equivalent_cell", "wrapping", "rotation", "stress", "forces", "compression",
        "separation", "box")
BULK_LAWS = frozenset(LAWS) - {"box"}
SURFACE_LAWS = frozenset({"extensive", "equivalent_cell", "wrapping", "rotation", "stress", "forces"})


@dataclass(frozen=True)
class Entry:
    """A real structure and the laws it is checked against.  The lattice constants are
    room-temperature experimental values (starting points of the model's own equilibrium scan,
    never references): diamond 3.567 Å, NaCl 5.640 Å, Cu 3.615 Å, Mg a = 3.209 Å, c = 5.211 Å
    (CRC Handbook of Chemistry and Physics, 97th ed., 'Crystal structures'), graphene 2.46 Å."""

    name: str                      # the test id
    description: str               # a chemist's words
    build: object                  # () -> Atoms, atoms at their ideal sites
    laws: frozenset
    repeats: tuple = (2, 2, 1)     # the supercell of the extensivity law
    cell_matrix: tuple = ((1, 1, 0), (0, 1, 0), (0, 0, 1))   # an equivalent cell: rows of integers, det +1
    seed: int = 0                  # of the fixed displacements that break the symmetry

    @property
    def requirements(self):
        """What the entry asks of a model: periodic cells and its elements (applicability.Needs)."""
        return Needs(periodic=True, elements=tuple(sorted(set(self.build().get_chemical_symbols()))))

    def structure(self):
        """The entry as the laws use it: atoms displaced by a fixed pseudo-random 0.05 Å (so that
        forces and shear stresses are not zero by symmetry), then wrapped into the cell."""
        return prepared(self.build(), self.seed)


def _bulk(*args, **kwargs):
    atoms = bulk(*args, **kwargs)
    return periodic_structure(atoms.get_chemical_symbols(), atoms.positions, atoms.cell, atoms.pbc)


def _slab():
    atoms = fcc111("Cu", size=(1, 1, 4), a=3.615, vacuum=5.0, periodic=False)
    return periodic_structure(atoms.get_chemical_symbols(), atoms.positions, atoms.cell, (True, True, False))


def _sheet():
    atoms = graphene("C2", a=2.46, vacuum=10.0)
    return periodic_structure(atoms.get_chemical_symbols(), atoms.positions, atoms.cell, (True, True, True))


def _quartz():
    # α-quartz, space group P3₂21: Si 3a (0.4697, 0, 2/3), O 6c (0.4135, 0.2669, 0.7857) in this
    # origin choice, a = 4.916 Å, c = 5.405 Å (L. Levien, C. T. Prewitt and D. J. Weidner, Am.
    # Mineral. 65, 920 (1980)); Si–O 1.604 and 1.614 Å.  Chiral: its mirror image is the other hand.
    atoms = crystal(["Si", "O"], basis=[(0.4697, 0.0, 2 / 3), (0.4135, 0.2669, 0.7857)], spacegroup=154,
                    cellpar=[4.916, 4.916, 5.405, 90, 90, 120])
    return periodic_structure(atoms.get_chemical_symbols(), atoms.positions, atoms.cell, atoms.pbc)


def _water():
    atoms = molecule("H2O")
    return systems.structure(atoms.get_chemical_symbols(), atoms.positions)


CATALOGUE = (
    Entry("diamond", "diamond C, 2-atom primitive cell (a = 3.567 Å)",
          lambda: _bulk("C", "diamond", a=3.567), BULK_LAWS, repeats=(2, 1, 2),
          cell_matrix=((1, 1, 0), (0, 1, 1), (1, 1, 1)), seed=1),
    Entry("rocksalt", "rock-salt NaCl, 2-atom primitive cell (a = 5.640 Å)",
          lambda: _bulk("NaCl", "rocksalt", a=5.640), BULK_LAWS, repeats=(1, 2, 2),
          cell_matrix=((1, 0, 0), (1, 1, 0), (0, -1, 1)), seed=2),
    Entry("fcc-Cu", "fcc Cu, 4-atom cubic cell (a = 3.615 Å)",
          lambda: _bulk("Cu", "fcc", a=3.615, cubic=True), BULK_LAWS, repeats=(2, 1, 1),
          cell_matrix=((1, 0, 1), (0, 1, 0), (0, 0, 1)), seed=3),
    Entry("hcp-Mg", "hcp Mg, 2-atom cell (a = 3.209 Å, c = 5.211 Å)",
          lambda: _bulk("Mg", "hcp", a=3.209, c=5.211), BULK_LAWS, repeats=(2, 2, 1),
          cell_matrix=((1, 1, 0), (0, 1, 0), (0, 1, 1)), seed=4),
    Entry("Cu111-slab", "Cu(111) slab, 4 layers, 1×1 surface cell, periodic in-plane only",
          _slab, SURFACE_LAWS, repeats=(2, 2, 1), seed=5),
    Entry("graphene", "graphene sheet (a = 2.46 Å) with 20 Å of vacuum, periodic in 3D",
          _sheet, SURFACE_LAWS, repeats=(2, 2, 1), cell_matrix=((1, 0, 0), (-1, 1, 0), (0, 0, 1)), seed=6),
    Entry("quartz", "α-quartz SiO2, 9-atom cell (a = 4.916 Å, c = 5.405 Å), a chiral crystal",
          _quartz, frozenset({"rotation"}), seed=7),
    Entry("water", "a water molecule (ASE's H2O)", _water, frozenset({"box"})),
)


def entries_with(law):
    return [entry for entry in CATALOGUE if law in entry.laws]


DRAWN_ELEMENTS = ("H", "C", "N", "O", "Na", "Mg", "Al", "Si", "Cl", "Cu")
"""Elements drawn for random cells when a model declares elements=None (every element): the
first and second rows' covalent and ionic chemistry (H, C, N, O, Na, Cl), two light metals and a
semiconductor (Mg, Al, Si) and a transition metal (Cu)."""


def drawable_elements(capabilities):
    """The declared elements (or DRAWN_ELEMENTS), lightest first: Hypothesis shrinks towards H."""
    chosen = capabilities.elements if capabilities.elements is not None else DRAWN_ELEMENTS
    return sorted(chosen, key=lambda symbol: atomic_numbers[symbol])


# --- What the catalogue laws read: boxes, expansion, compression, fixed operations ----------

def box_gap(capabilities):
    """Vacuum between a molecule and its periodic images: twice the model's cutoff, so that no atom
    sees an image within the cutoff and no message can pass; 20 Å for a model without one."""
    if capabilities.cutoff:
        return tol.PERIODIC_VACUUM_CUTOFFS * capabilities.cutoff
    return tol.SIZE_CONSISTENCY_DISTANCE_ANGSTROM


def separation_distance(capabilities):
    """The nearest-neighbour distance of an expanded crystal: twice the cutoff, or 20 Å."""
    return box_gap(capabilities)


def isolated_atoms(atoms):
    """Each element of the crystal as a free neutral atom in its ground-state multiplicity."""
    return {s: systems.atom(s, 0, GROUND_STATE_MULTIPLICITY[s]) for s in sorted(set(atoms.get_chemical_symbols()))}


SCAN_LINEAR_FACTORS = tuple(np.round(np.arange(0.80, 1.2501, 0.05), 2))
"""Linear scale factors of the experimental lattice scanned for the model's own equilibrium volume:
0.80–1.25 every 0.05 (0.51–1.95 times the experimental volume)."""


def equilibrium_scan(entry):
    """The entry's ideal crystal (not displaced) scaled by each SCAN_LINEAR_FACTORS."""
    ideal = entry.build()
    return [scaled(ideal, s) for s in SCAN_LINEAR_FACTORS]


def compressed(entry, linear_factor):
    return scaled(entry.build(), linear_factor)


# --- The fixed structures the catalogue laws read (for the plan: conformance/planning.py) --------

def _law_structures(entry, law, capabilities):
    base = entry.structure()
    if law == "extensive":
        return [base, supercell(base, entry.repeats)]
    if law == "equivalent_cell":
        return [base, equivalent_cell(base, entry.cell_matrix)]
    if law == "wrapping":
        return [base, translated(base, catalogue_shifts(base))]
    if law == "rotation":
        return [base, rotated(base, CATALOGUE_ROTATION)]
    if law == "stress":
        h = tol.STRAIN_STEP
        return [base] + [a for d in VOIGT_DIRECTIONS for a in stencil_strains(base, d, h)]
    if law == "forces":
        h = tol.FINITE_DIFFERENCE_STEP_ANGSTROM
        d = catalogue_displacement(base)
        return [base, displaced(base, d, h), displaced(base, d, -h)]
    if law == "compression":
        return equilibrium_scan(entry)
    if law == "separation":
        ideal = entry.build()
        return [expanded(ideal, separation_distance(capabilities))] + list(isolated_atoms(ideal).values())
    return []


def planned_crystals(capabilities):
    """Every fixed structure of the catalogue laws that a periodic model covering its elements reads."""
    if not capabilities.periodic:
        return []
    planned = []
    for entry in CATALOGUE:
        if not capabilities.covers(entry.build().get_chemical_symbols()):
            continue
        for law in sorted(entry.laws - {"box"}):
            if law == "stress" and not capabilities.stress:
                continue
            planned += _law_structures(entry, law, capabilities)
    return planned


def planned_boxes(capabilities):
    if not capabilities.periodic:
        return []
    planned = []
    for entry in entries_with("box"):
        molecule_ = entry.build()
        if capabilities.covers(molecule_.get_chemical_symbols()):
            planned += [molecule_] + [boxed(molecule_, box_gap(capabilities), mask) for mask in ALL_MASKS]
    return planned


def catalogue_shifts(atoms):
    """Fixed lattice translations of the catalogue's wrapping law: 1 to 3 lattice vectors per atom
    along the periodic directions, of both signs."""
    pattern = np.array([[1, -2, 3], [-3, 2, -1], [2, 3, -2], [-1, -3, 2]])
    shifts = pattern[np.arange(len(atoms)) % len(pattern)]
    return shifts * atoms.pbc


CATALOGUE_ROTATION = strategies.MIRROR_Z @ np.array(
    [[0.36, 0.48, -0.8], [-0.8, 0.6, 0.0], [0.48, 0.64, 0.6]])
"""A mirror through the xy-plane after a rotation that aligns no lattice vector with an axis
(an improper rotation, det −1: the reflection of the crystal)."""


def catalogue_displacement(atoms):
    """A fixed direction (unit norm over all 3n components) for the catalogue's force law."""
    direction = np.random.default_rng(len(atoms)).normal(size=(len(atoms), 3))
    return direction / np.linalg.norm(direction)
