"""Hypothesis strategies for the random cells of conformance/test_periodic.py (1–4 atoms of the
declared elements in skewed lattice vectors, most shorter than any model's cutoff), the symmetry
operations drawn for them (supercell repeats, equivalent cells, lattice shifts, strain and
displacement directions), and the fixed cells every Hypothesis run of a cell law tries: a dense
small cell and a cell whose image pairs sit at the model's cutoff."""

import numpy as np
from ase import Atoms
from ase.data import atomic_numbers, covalent_radii
from hypothesis import assume
from hypothesis import strategies as st

from mlip_conformance.conformance import strategies
from mlip_conformance.conformance.cells import pair_distances, search_reach
from mlip_conformance.conformance.crystals import ALL_MASKS, periodic_structure

__all__ = [
    "MAX_ATOMS", "SEPARATION_FRACTION", "MIN_VOLUME_PER_ATOM", "example_element", "pbc_masks", "cell_examples",
    "periodic_cells", "separated_cell", "small_cell", "cutoff_cell", "mirror_cell", "Z_MIRROR", "repeats_for", "unimodular_matrices",
    "lattice_shifts", "strain_directions", "displacement_directions",
]

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


Z_MIRROR = np.diag([1.0, 1.0, -1.0])
"""The reflection z → −z."""

MIRROR_CELL_HYDROGEN_ANGSTROM = 3.1748
"""Edge of the mirror cell for hydrogen (scaled by the covalent radius for other elements): a
cubic cell whose four atoms, on the z axis and the −y half axis, a quarter edge apart at the
closest, have no mirror plane z = const among their symmetries."""


def mirror_cell(symbol):
    """A fixed cubic cell of four atoms of one element with no z-mirror symmetry (its image under
    Z_MIRROR is the same crystal only to a model without a handedness): every Hypothesis run of
    the rotation law tries its reflection, as every run of the molecule mirror law tries a chiral
    molecule, so a parity defect does not depend on what the seed draws.  (A drawn H4 cell of
    this shape exposed SevenNet-0's parity defect in the cell stress: tests/test_real_models.py.)"""
    edge = MIRROR_CELL_HYDROGEN_ANGSTROM * covalent_radii[atomic_numbers[symbol]] / covalent_radii[1]
    positions = [[0.0, 0.0, 0.0], [0.0, 0.0, edge / 2], [0.0, 0.0, edge / 4], [0.0, -edge / 2, 0.0]]
    return periodic_structure([symbol] * 4, positions, np.diag([-edge, -edge, edge]), (True, True, True))


def _closest_ratio(atoms):
    """min over pairs (images included) of distance / (SEPARATION_FRACTION × covalent radii sum)."""
    # the closest pair in units of the required separation lies within the reach scaled by the
    # largest ratio of covalent radii sums
    radii = covalent_radii[atoms.numbers]
    reach = search_reach(atoms) * (radii.max() / radii.min())
    i, j, d = pair_distances(atoms, reach)
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
