"""Periodic structures for the laws of conformance/test_periodic.py: a catalogue of real crystals,
a surface, a sheet and a molecule (data: each entry its atoms, cell, pbc and the laws that apply),
the operations the laws apply to a cell (supercell, equivalent cell, wrapping, rotation, strain,
displacement), and Hypothesis strategies for random cells.

Conventions: lengths in Å, energies in eV, stress in eV/Å³ with ASE's sign and Voigt order
(xx, yy, zz, yz, xz, xy): σ = (1/V) ∂E/∂ε, negative in a compressed cell, so the pressure is
P = −(σxx + σyy + σzz)/3.  A strain ε deforms the cell rows (lattice vectors) and the positions
alike: x' = x (1 + ε).  Every structure carries charge 0 and the lowest spin multiplicity its
electron count allows (atoms.info), like the molecules of the suite.
"""

from dataclasses import dataclass

import numpy as np
from ase import Atoms
from ase.build import bulk, fcc111, graphene, molecule
from ase.spacegroup import crystal
from ase.data import atomic_numbers, covalent_radii
from hypothesis import assume
from hypothesis import strategies as st

from mlip_conformance.conformance import strategies, systems
from mlip_conformance.conformance.applicability import Needs
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.references.atoms import GROUND_STATE_MULTIPLICITY

__all__ = [
    "LAWS", "Entry", "CATALOGUE", "entries_with", "DRAWN_ELEMENTS", "drawable_elements",
    "periodic_structure", "describe", "listing", "pbc_label", "ALL_MASKS",
    "prepared", "supercell", "equivalent_cell", "translated", "rotated", "rotate_stress", "strained",
    "displaced", "scaled", "boxed", "box_gap", "expanded", "separation_distance", "isolated_atoms",
    "STRAIN_STENCIL", "stencil_strains", "stencil_derivative", "VOIGT", "VOIGT_DIRECTIONS", "voigt_to_tensor", "contract", "equilibrium_scan", "compressed",
    "SCAN_LINEAR_FACTORS", "planned_crystals", "planned_boxes", "cell_examples",
    "pbc_masks", "periodic_cells", "separated_cell", "small_cell", "cutoff_cell", "example_element", "unimodular_matrices", "lattice_shifts", "strain_directions",
    "displacement_directions", "repeats_for",
]

# --- Building and naming periodic structures ------------------------------------------------

def periodic_structure(symbols, positions, cell, pbc):
    """Atoms with a cell and periodic directions, charge 0 and the lowest multiplicity."""
    atoms = Atoms(symbols, positions=np.asarray(positions, dtype=float), cell=np.asarray(cell, dtype=float),
                  pbc=pbc)
    atoms.info.update(charge=0, spin=systems.lowest_multiplicity(atoms.numbers))
    return atoms


def _with_info(atoms, like):
    atoms.info = dict(like.info)
    atoms.info["spin"] = systems.lowest_multiplicity(atoms.numbers, atoms.info.get("charge", 0))
    return atoms


def pbc_label(pbc):
    """'TTF' for pbc = (True, True, False): the form the test ids use."""
    return "".join("T" if p else "F" for p in pbc)


ALL_MASKS = [(True, True, True), (True, True, False), (True, False, True), (False, True, True),
             (True, False, False), (False, True, False), (False, False, True)]
"""Every combination with at least one periodic direction, fully periodic first."""


def _pair_distances(atoms, reach):
    """(i, j, d) for every pair of atoms, periodic images included (an atom and its own image
    too), no farther apart than reach.  Plain numpy over the images that can lie within reach:
    for the few atoms of the suite's cells this is much faster than a binned neighbour list."""
    cell = atoms.cell.array
    periodic = atoms.pbc
    spans = np.zeros(3, dtype=int)
    if periodic.any():
        # along a periodic direction k, images farther than reach / (plane spacing) cells are out of reach
        reciprocal = np.linalg.pinv(cell).T
        spans[periodic] = np.ceil(reach * np.linalg.norm(reciprocal[periodic], axis=1)).astype(int) + 1
    grids = np.meshgrid(*[np.arange(-n, n + 1) for n in spans], indexing="ij")
    integers = np.stack([g.ravel() for g in grids], axis=1)
    positions = atoms.get_positions(wrap=True)   # the same distances; the images within reach of the cell
    D = positions[None, :, None, :] - positions[:, None, None, :] + (integers @ cell)[None, None, :, :]
    d = np.linalg.norm(D, axis=-1)
    itself = np.eye(len(atoms), dtype=bool)[:, :, None] & ~integers.any(axis=1)[None, None, :]
    keep = (d <= reach) & ~itself
    i, j, _ = np.nonzero(keep)
    return i, j, d[keep]


def _closest_pair(atoms):
    """Shortest distance between two atoms, periodic images included (inf for a lone atom)."""
    distances = _pair_distances(atoms, _reach(atoms))[2]
    return float(distances.min()) if len(distances) else float("inf")


def _reach(atoms):
    """A search radius that holds the closest pair: no pair is farther apart than an atom and its
    own image along the shortest periodic lattice vector (or, without one, the largest distance)."""
    lengths = np.linalg.norm(atoms.cell.array, axis=1)[atoms.pbc]
    if len(lengths):
        return 1.001 * lengths.min()
    return 1.001 * max(np.ptp(atoms.positions, axis=0).max(), 1e-3) * np.sqrt(3)


def describe(atoms):
    """One line: formula, cell lengths and angles, periodic directions, closest pair with images."""
    if not atoms.pbc.any():
        return systems.describe(atoms)
    a, b, c, alpha, beta, gamma = atoms.cell.cellpar()
    return (f"{atoms.get_chemical_formula()} in a {a:.3f} × {b:.3f} × {c:.3f} Å cell "
            f"(α = {alpha:.1f}°, β = {beta:.1f}°, γ = {gamma:.1f}°, periodic {pbc_label(atoms.pbc)}, "
            f"closest pair {_closest_pair(atoms):.3g} Å with images)")


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


# --- Operations on a cell (each returns a new Atoms, charge and spin carried over) -------------

def prepared(atoms, seed, amplitude=0.05):
    """atoms displaced by a fixed pseudo-random amplitude (Å per component) and wrapped."""
    moved = atoms.copy()
    moved.positions += np.random.default_rng(seed).uniform(-amplitude, amplitude, moved.positions.shape)
    moved.wrap()
    return _with_info(moved, atoms)


def supercell(atoms, repeats):
    """The n1 × n2 × n3 supercell: atom k of copy m is atom k of the cell (ASE's repeat order)."""
    return _with_info(atoms.repeat(tuple(int(n) for n in repeats)), atoms)


def equivalent_cell(atoms, matrix):
    """The same crystal described by the lattice vectors matrix @ cell (integer rows, det +1),
    atoms wrapped into the new cell by lattice translations."""
    matrix = np.asarray(matrix)
    assert round(np.linalg.det(matrix)) == 1, matrix
    moved = atoms.copy()
    moved.set_cell(matrix @ atoms.cell.array, scale_atoms=False)
    moved.wrap()
    return _with_info(moved, atoms)


def translated(atoms, shifts):
    """Each atom moved by its own integer combination of lattice vectors (the same crystal)."""
    shifts = np.asarray(shifts)
    assert not np.any(shifts[:, ~atoms.pbc]), "atoms move by lattice vectors of periodic directions only"
    moved = atoms.copy()
    moved.positions += shifts @ atoms.cell.array
    return _with_info(moved, atoms)


def rotated(atoms, rotation):
    """The crystal rotated (and reflected, for det −1) as a whole.  After a reflection the first two
    lattice vectors (and their periodic flags) swap places, so the cell stays right-handed and every
    atom keeps its place inside it: the operation changes orientation, nothing else."""
    moved = atoms.copy()
    moved.positions = atoms.positions @ rotation.T
    cell = atoms.cell.array @ rotation.T
    pbc = list(atoms.pbc)
    if np.linalg.det(rotation) < 0:
        cell, pbc = cell[[1, 0, 2]], [pbc[1], pbc[0], pbc[2]]
    moved.set_cell(cell, scale_atoms=False)
    moved.pbc = pbc
    return _with_info(moved, atoms)


def rotate_stress(stress, rotation):
    """σ' = R σ Rᵀ, in Voigt order."""
    turned = rotation @ voigt_to_tensor(stress) @ rotation.T
    return turned[[0, 1, 2, 1, 0, 0], [0, 1, 2, 2, 2, 1]]


def strained(atoms, direction, t):
    """Cell and positions deformed by the strain t·direction (a symmetric 3×3 matrix)."""
    deformation = np.eye(3) + t * np.asarray(direction)
    moved = atoms.copy()
    moved.set_cell(atoms.cell.array @ deformation, scale_atoms=False)
    moved.positions = atoms.positions @ deformation
    return _with_info(moved, atoms)


def displaced(atoms, direction, t):
    """Positions moved by t·direction (an (n, 3) array), the cell kept."""
    moved = atoms.copy()
    moved.positions = atoms.positions + t * np.asarray(direction)
    return _with_info(moved, atoms)


def scaled(atoms, factor):
    """The cell and positions scaled uniformly by a linear factor (volume × factor³)."""
    return strained(atoms, np.eye(3), factor - 1.0)


STRAIN_STENCIL = ((2, -1 / 12), (1, 8 / 12), (-1, -8 / 12), (-2, 1 / 12))
"""(multiple of the step h, weight): dE/dt ≈ Σ weight · E(multiple · h) / h, the five-point central
difference (the centre has weight 0), exact to O(h⁴): a strain step large enough to rise above a
float32 model's energy noise then truncates nothing a stiff crystal shows."""


def stencil_strains(atoms, direction, h):
    """The strained copies of atoms the STRAIN_STENCIL reads, in its order."""
    return [strained(atoms, direction, k * h) for k, _ in STRAIN_STENCIL]


def stencil_derivative(energies, h):
    """(five-point derivative, Richardson's estimate of its remaining error): with the central
    differences D(h) and D(2h) the stencil is (4 D(h) − D(2h)) / 3, and |D(h) − D(2h)| / 3 is the
    error D(h) had; what the five points leave is smaller still."""
    derivative = sum(w * e for (_, w), e in zip(STRAIN_STENCIL, energies)) / h
    e2, e1, m1, m2 = energies
    return derivative, abs((e1 - m1) / (2 * h) - (e2 - m2) / (4 * h)) / 3


VOIGT = ("xx", "yy", "zz", "yz", "xz", "xy")
VOIGT_DIRECTIONS = tuple(np.array(m, dtype=float) for m in (
    [[1, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 1, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 1]],
    [[0, 0, 0], [0, 0, 1], [0, 1, 0]], [[0, 0, 1], [0, 0, 0], [1, 0, 0]], [[0, 1, 0], [1, 0, 0], [0, 0, 0]]))
"""Strain directions whose derivative gives one Voigt component each: for the shear ones
dE/dt = 2 V σ_ij, since ε_ij and ε_ji both move."""


def voigt_to_tensor(stress):
    xx, yy, zz, yz, xz, xy = stress
    return np.array([[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]])


def contract(stress, direction):
    """σ : D = Σ_ij σ_ij D_ij, the stress projected on a strain direction; (1/V) dE/dt along it."""
    return float(np.sum(voigt_to_tensor(stress) * np.asarray(direction)))


# --- Boxes, expansion and compression ---------------------------------------------------------

def box_gap(capabilities):
    """Vacuum between a molecule and its periodic images: twice the model's cutoff, so that no atom
    sees an image within the cutoff and no message can pass; 20 Å for a model without one."""
    if capabilities.cutoff:
        return tol.PERIODIC_VACUUM_CUTOFFS * capabilities.cutoff
    return tol.SIZE_CONSISTENCY_DISTANCE_ANGSTROM


def boxed(atoms, gap, pbc):
    """The molecule centred in an orthorhombic box with `gap` Å of vacuum in every direction."""
    extent = np.ptp(atoms.positions, axis=0)
    moved = atoms.copy()
    moved.set_cell(np.diag(extent + gap))
    moved.center()
    moved.pbc = pbc
    return _with_info(moved, atoms)


def separation_distance(capabilities):
    """The nearest-neighbour distance of an expanded crystal: twice the cutoff, or 20 Å."""
    return box_gap(capabilities)


def expanded(atoms, distance):
    """The crystal scaled uniformly until its closest pair (images included) is `distance` Å apart.
    Its multiplicity is the sum of its atoms' unpaired electrons + 1 (all aligned: at infinite
    separation every coupling of the atoms' spins has the same energy)."""
    moved = scaled(atoms, distance / _closest_pair(atoms))
    moved.info["spin"] = 1 + sum(GROUND_STATE_MULTIPLICITY[s] - 1 for s in atoms.get_chemical_symbols())
    return moved




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


# --- Hypothesis strategies for random cells ----------------------------------------------------

MAX_ATOMS = 4
"""Atoms in a drawn cell: 1–4, so a supercell of up to 4 copies stays at ≤ 16 atoms."""

SEPARATION_FRACTION = 0.8
"""No two atoms of a drawn cell, periodic images included, come closer than 0.8 × the sum of
their covalent radii (Cordero et al. 2008), times a drawn looseness of 1–1.5: compressed but
chemical geometries, e.g. C–C ≥ 1.22 Å, where real models still answer."""


MIN_VOLUME_PER_ATOM = 8.0
"""Å³ per atom of a drawn cell at least, between diamond (5.7, the densest solid at ambient
pressure) and fcc Cu (11.8).  It keeps cells of light atoms (H: 0.5 Å apart by the separation
rule alone) from holding hundreds of neighbours per atom inside a 5–6 Å cutoff; cells of up to
four atoms still come out shorter than any model's cutoff."""


def example_element(elements):
    """The element of the fixed small cell: Si, C or Cu where declared, else the lightest."""
    return next((s for s in ("Si", "C", "Cu") if s in elements), elements[0])


def pbc_masks(kind="any"):
    """'full': periodic in 3D; 'any': any combination with a periodic direction (3D first, so
    Hypothesis shrinks towards it); 'partial': at least one periodic and one open direction."""
    masks = {"full": ALL_MASKS[:1], "any": ALL_MASKS, "partial": ALL_MASKS[1:]}[kind]
    return st.sampled_from(masks)


def cell_examples():
    """Examples per law on drawn cells: half the Hypothesis profile's (25 under 'ci'), at least 10.
    Each example costs two or three evaluations of a periodic cell (up to 16 atoms in a supercell)
    where a molecular property costs one or two of a few atoms."""
    from hypothesis import settings
    return max(10, settings.default.max_examples // 2)


@st.composite
def periodic_cells(draw, elements, pbc=pbc_masks("any"), max_atoms=MAX_ATOMS):
    """A random cell: 1–max_atoms atoms of the given elements (an even electron count, so the cell
    and all its supercells are singlets), skewed lattice vectors in a random orientation, random
    fractional positions; scaled so that the closest pair, images included, is 1–1.5 times
    SEPARATION_FRACTION × the covalent radii sum.  Most cells come out shorter than 5 Å."""
    n = draw(st.integers(1, max_atoms))
    symbols = draw(st.lists(st.sampled_from(elements), min_size=n, max_size=n))
    assume(sum(atomic_numbers[s] for s in symbols) % 2 == 0)
    lengths = draw(st.tuples(*[st.floats(1.0, 2.0)] * 3))
    shear = draw(st.tuples(*[st.floats(-0.5, 0.5)] * 3))
    shape = np.array([[lengths[0], 0.0, 0.0],
                      [shear[0] * lengths[0], lengths[1], 0.0],
                      [shear[1] * lengths[0], shear[2] * lengths[1], lengths[2]]])
    shape = shape @ draw(strategies.rotations(improper=st.just(False))).T
    fractions = np.array(draw(st.lists(st.tuples(*[st.floats(0.0, 0.999)] * 3), min_size=n, max_size=n)))
    mask = draw(pbc)
    # atoms (nearly) on top of each other would need a huge, empty cell to be separated
    assume(_closest_ratio(Atoms(symbols, scaled_positions=fractions, cell=shape, pbc=mask)) > 0.2)
    return separated_cell(symbols, fractions, shape, mask, draw(st.floats(1.0, 1.5)))


def separated_cell(symbols, fractions, shape, pbc, looseness):
    """Atoms at these fractional positions in the cell `shape`, scaled so that the closest pair
    (images included) is `looseness` × SEPARATION_FRACTION × their covalent radii sum."""
    trial = Atoms(symbols, scaled_positions=fractions, cell=shape, pbc=pbc)
    factor = max(looseness / _closest_ratio(trial),
                 (MIN_VOLUME_PER_ATOM * len(symbols) / trial.get_volume()) ** (1 / 3))
    cell = np.asarray(shape) * factor
    return periodic_structure(symbols, np.asarray(fractions) @ cell, cell, pbc)


def small_cell(symbol, pbc=(True, True, True)):
    """A fixed skewed two-atom cell of one element, about as dense as SEPARATION_FRACTION and
    MIN_VOLUME_PER_ATOM allow: its lattice vectors (3.5–3.9 Å for Si) are shorter than any
    model's cutoff, so every atom sees dozens of images of itself and of its neighbour.  Every
    Hypothesis run of a cell law tries it."""
    shape = [[2.0, 0.0, 0.0], [0.7, 1.9, 0.0], [-0.4, 0.6, 2.1]]
    return separated_cell([symbol, symbol], [[0.0, 0.0, 0.0], [0.45, 0.55, 0.4]], shape, pbc, 1.1)


def cutoff_cell(symbol, cutoff):
    """Two atoms of a simple cubic crystal (a 2 × 1 × 1 cell) whose lattice constant divides the
    model's declared cutoff (2–4 Å: c/⌊c/2⌋; 2 Å without a cutoff): image pairs sit exactly at the
    cutoff, where a pair energy switched off too abruptly has its kink or its step, so every strain
    and every displacement of the drawn-cell laws crosses it.  Every Hypothesis run of the stress
    and force laws tries it."""
    a = cutoff / max(1, int(cutoff // 2)) if cutoff else 2.0
    return periodic_structure([symbol, symbol], [[0.0, 0.0, 0.0], [a, 0.0, 0.0]], np.diag([2 * a, a, a]),
                              (True, True, True))


def _closest_ratio(atoms):
    """min over pairs (images included) of distance / (SEPARATION_FRACTION × covalent radii sum)."""
    # the closest pair in units of the required separation lies within the reach scaled by the
    # largest ratio of covalent radii sums
    radii = covalent_radii[atoms.numbers]
    reach = _reach(atoms) * (radii.max() / radii.min())
    i, j, d = _pair_distances(atoms, reach)
    return float(np.min(d / (SEPARATION_FRACTION * (radii[i] + radii[j]))))


def repeats_for(pbc):
    """Supercell repeats (n1, n2, n3): 1–4 along periodic directions, 1 along open ones, 2–4 copies."""
    counts = [st.integers(1, 4) if p else st.just(1) for p in pbc]
    return st.tuples(*counts).filter(lambda r: 2 <= np.prod(r) <= 4)


@st.composite
def unimodular_matrices(draw):
    """An integer matrix of determinant +1: one to three elementary shears (a_i += k a_j, |k| ≤ 2),
    then perhaps a cyclic relabelling of the lattice vectors.  Its rows give an equivalent cell."""
    matrix = np.eye(3, dtype=int)
    for _ in range(draw(st.integers(1, 3))):
        i, j = draw(st.sampled_from([(i, j) for i in range(3) for j in range(3) if i != j]))
        shear = np.eye(3, dtype=int)
        shear[i, j] = draw(st.sampled_from([1, -1, 2, -2]))
        matrix = shear @ matrix
    if draw(st.booleans()):
        matrix = matrix[[1, 2, 0]]
    return matrix


@st.composite
def lattice_shifts(draw, n, pbc):
    """Integer lattice translations, one per atom, −3…3 along periodic directions, not all zero."""
    shifts = np.array(draw(st.lists(st.tuples(*[st.integers(-3, 3)] * 3), min_size=n, max_size=n))) * np.asarray(pbc)
    assume(np.any(shifts))
    return shifts


@st.composite
def strain_directions(draw):
    """A random symmetric strain direction of unit (Frobenius) norm."""
    xx, yy, zz, yz, xz, xy = draw(st.tuples(*[st.floats(-1.0, 1.0)] * 6))
    direction = np.array([[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]])
    norm = np.linalg.norm(direction)
    assume(norm > 0.1)
    return direction / norm


@st.composite
def displacement_directions(draw, n):
    """A random displacement of n atoms, of unit norm over all 3n components."""
    direction = np.array(draw(st.lists(st.tuples(*[st.floats(-1.0, 1.0)] * 3), min_size=n, max_size=n)))
    norm = np.linalg.norm(direction)
    assume(norm > 0.1)
    return direction / norm
