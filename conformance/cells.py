"""Operations on a periodic cell for the laws of conformance/test_periodic.py (each returns a
new Atoms, charge and spin carried over): a fixed displacement, a supercell, an equivalent cell,
atoms moved by lattice vectors, a rotation or reflection, a strain, a displacement, a uniform
scaling, a box around a molecule and an expansion; the five-point strain stencil and the Voigt
algebra of the stress; the distances between atoms with their periodic images.

Conventions: lengths in Å, energies in eV, stress in eV/Å³ with ASE's sign and Voigt order
(xx, yy, zz, yz, xz, xy): σ = (1/V) ∂E/∂ε, negative in a compressed cell, so the pressure is
P = −(σxx + σyy + σzz)/3.  A strain ε deforms the cell rows (lattice vectors) and the positions
alike: x' = x (1 + ε).
"""

import numpy as np

from mlip_conformance.conformance import systems
from mlip_conformance.references.atoms import GROUND_STATE_MULTIPLICITY

__all__ = [
    "prepared", "supercell", "equivalent_cell", "translated", "rotated", "rotate_stress", "strained",
    "displaced", "scaled", "boxed", "expanded",
    "STRAIN_STENCIL", "stencil_strains", "stencil_derivative", "VOIGT", "VOIGT_DIRECTIONS", "voigt_to_tensor",
    "contract", "pair_distances", "closest_pair", "search_reach",
]


def _with_info(atoms, like):
    atoms.info = dict(like.info)
    atoms.info["spin"] = systems.lowest_multiplicity(atoms.numbers, atoms.info.get("charge", 0))
    return atoms


# --- Distances with periodic images ----------------------------------------------------------

def pair_distances(atoms, reach):
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


def closest_pair(atoms):
    """Shortest distance between two atoms, periodic images included (inf for a lone atom)."""
    distances = pair_distances(atoms, search_reach(atoms))[2]
    return float(distances.min()) if len(distances) else float("inf")


def search_reach(atoms):
    """A search radius that holds the closest pair: no pair is farther apart than an atom and its
    own image along the shortest periodic lattice vector (or, without one, the largest distance)."""
    lengths = np.linalg.norm(atoms.cell.array, axis=1)[atoms.pbc]
    if len(lengths):
        return 1.001 * lengths.min()
    return 1.001 * max(np.ptp(atoms.positions, axis=0).max(), 1e-3) * np.sqrt(3)


# --- Operations on a cell --------------------------------------------------------------------

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


# --- Boxes and expansion ---------------------------------------------------------------------

def boxed(atoms, gap, pbc):
    """The molecule centred in an orthorhombic box with `gap` Å of vacuum in every direction."""
    extent = np.ptp(atoms.positions, axis=0)
    moved = atoms.copy()
    moved.set_cell(np.diag(extent + gap))
    moved.center()
    moved.pbc = pbc
    return _with_info(moved, atoms)


def expanded(atoms, distance):
    """The crystal scaled uniformly until its closest pair (images included) is `distance` Å apart.
    Its multiplicity is the sum of its atoms' unpaired electrons + 1 (all aligned: at infinite
    separation every coupling of the atoms' spins has the same energy)."""
    moved = scaled(atoms, distance / closest_pair(atoms))
    moved.info["spin"] = 1 + sum(GROUND_STATE_MULTIPLICITY[s] - 1 for s in atoms.get_chemical_symbols())
    return moved
