"""Hypothesis strategies for geometries and the symmetry operations applied to them."""

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from mlip_conformance.conformance import systems

MIN_SEPARATION_ANGSTROM = 0.3
BOX_ANGSTROM = 2.5

_coordinate = st.floats(-BOX_ANGSTROM, BOX_ANGSTROM, allow_nan=False, allow_infinity=False)
_point = st.tuples(_coordinate, _coordinate, _coordinate)


@st.composite
def rotations(draw, improper=st.booleans()):
    """A uniformly random orthogonal matrix; improper ones (det −1) include a reflection."""
    q = np.array(draw(st.tuples(*[st.floats(-1, 1)] * 4)))
    assume(np.linalg.norm(q) > 0.1)
    w, x, y, z = q / np.linalg.norm(q)
    rotation = np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
        [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
        [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
    ])
    return -rotation if draw(improper) else rotation


translations = st.tuples(*[st.floats(-20, 20)] * 3).map(np.array)


@st.composite
def h2_molecules(draw, r=st.floats(0.4, 4.0)):
    """Neutral singlet H2 with a random bond length, along z."""
    return systems.h2(draw(r))


@st.composite
def bare_clusters(draw, symbols, sizes=st.integers(2, 6)):
    """2–6 bare nuclei drawn from symbols, at random positions no closer than 0.3 Å."""
    n = draw(sizes)
    chosen = draw(st.lists(st.sampled_from(symbols), min_size=n, max_size=n))
    positions = np.array(draw(st.lists(_point, min_size=n, max_size=n)))
    distances = np.linalg.norm(positions[:, None] - positions[None], axis=-1)
    assume(distances[np.triu_indices(n, 1)].min() >= MIN_SEPARATION_ANGSTROM)
    return systems.bare_cluster(chosen, positions)


@st.composite
def with_permutation(draw, structures):
    """(atoms, a permutation of its atom indices)."""
    atoms = draw(structures)
    return atoms, draw(st.permutations(range(len(atoms))))


def chiral_cluster(symbols=("H", "H", "H", "H")):
    """A fixed non-planar cluster of four bare nuclei with no mirror symmetry.

    Clusters of two or three atoms are planar, so a reflection of them equals a rotation;
    only a chiral cluster tells a model that breaks parity apart from one that does not.
    """
    positions = [(0.0, 0.0, 0.0), (1.1, 0.0, 0.0), (0.2, 1.3, 0.0), (0.4, 0.5, 0.9)]
    return systems.bare_cluster(list(symbols), positions)


def oblique_pair():
    """Two bare protons 5 Å apart along the xy diagonal: where Coulomb's force is weak (0.58 eV/Å)
    its 1 % tolerance is tightest, and a direction in no symmetry plane of the axes shows any
    dependence on orientation.  Every Hypothesis run of a bare-cluster property tries it."""
    return systems.bare_cluster(["H", "H"], [(0.0, 0.0, 0.0), (2.5 * np.sqrt(2.0), 2.5 * np.sqrt(2.0), 0.0)])


MIRROR_Z = np.diag([1.0, 1.0, -1.0])


def transformed(atoms, rotation, translation, permutation):
    """A copy of atoms rotated, translated and with its atoms reordered."""
    moved = atoms[list(permutation)]
    moved.positions = moved.positions @ rotation.T + translation
    moved.info = dict(atoms.info)
    return moved
