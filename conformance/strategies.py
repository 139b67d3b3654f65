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


# --- Molecules and clusters of the declared elements (test_molecules.py, test_species.py) -------

@st.composite
def rattles(draw, n, amplitude):
    """Displacements of n atoms, each by at most `amplitude` Å."""
    offsets = np.array(draw(st.lists(st.tuples(*[st.floats(-1, 1)] * 3), min_size=n, max_size=n)))
    lengths = np.linalg.norm(offsets, axis=1, keepdims=True)
    return offsets / np.maximum(lengths, 1.0) * amplitude


@st.composite
def rattled_molecules(draw, entries, amplitude):
    """A catalogue molecule (conformance/molecules.py) with a random rattle of its atoms."""
    entry = draw(st.sampled_from(entries))
    atoms = entry.atoms()
    atoms.positions += draw(rattles(len(atoms), amplitude))
    return atoms


@st.composite
def clusters(draw, symbols, radius, bond_range, min_separation, max_electrons=None):
    """1–4 atoms of the given elements, each bonded to an earlier one at bond_range × the sum of
    their radii (radius(symbol), Å) in a random direction, no pair closer than min_separation × that
    sum, at most max_electrons electrons in all; neutral, in the lowest spin state."""
    from ase.data import atomic_numbers
    n = draw(st.integers(1, 4))
    budget = max_electrons if max_electrons is not None else 10 ** 6
    chosen, positions = [], []
    for k in range(n):
        fitting = [s for s in symbols if atomic_numbers[s] <= budget]
        if not fitting:
            break
        symbol = draw(st.sampled_from(fitting))
        if k == 0:
            position = np.zeros(3)
        else:
            anchor = draw(st.integers(0, k - 1))
            direction = np.array(draw(st.tuples(*[st.floats(-1, 1)] * 3)))
            assume(np.linalg.norm(direction) > 0.1)
            length = draw(st.floats(*bond_range)) * (radius(symbol) + radius(chosen[anchor]))
            position = positions[anchor] + length * direction / np.linalg.norm(direction)
            for other, place in zip(chosen, positions):
                assume(np.linalg.norm(position - place) >= min_separation * (radius(symbol) + radius(other)))
        chosen.append(symbol)
        positions.append(position)
        budget -= atomic_numbers[symbol]
    electrons = sum(atomic_numbers[s] for s in chosen)
    return systems.structure(chosen, np.array(positions), 0, 1 + electrons % 2)
