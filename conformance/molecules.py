"""The molecules every law is applied to: a declarative catalogue, one data entry per molecule.

Each entry states its atoms (Å), total charge and spin multiplicity (2S+1), and a note.  Most come
from ASE's copy of the G2 set (ase.data.g2: the G2/97 molecules of L. A. Curtiss et al., J. Chem.
Phys. 106, 1063 (1997), at their MP2(full)/6-31G(d) geometries), each in its ground electronic
state: the radicals with the multiplicity of their ground state (CH2 is the ³B₁ triplet, SiH2 the
¹A₁ singlet; O2, NH, SO, S2 and Si2 are triplets).  The larger, chiral and charged molecules are
built here from internal coordinates with typical bond lengths and angles (experimental where
known, rounded to 0.01 Å and 1°); they are sound geometries near a minimum, not optimized ones,
which the laws do not need.

A model is asked only about the molecules it declares it can answer: its elements
(Capabilities.covers), its electron count (Capabilities.affords) and, for ions, total charge.
The checks use each molecule rattled by a seeded displacement (MOLECULE_RATTLE_ANGSTROM), so that
no symmetry hides a defect, and the plan (planning.py) lists every geometry they read.
"""

import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from ase import Atoms

from mlip_conformance.conformance import systems
from mlip_conformance.conformance.applicability import Needs, why_not
from mlip_conformance.conformance import tolerances as tol

__all__ = ["Molecule", "CATALOGUE", "BY_NAME", "FINITE_DIFFERENCE_SET", "CHIRAL",
           "applicable", "rattled", "displaced", "displaced_coordinate", "square_loop", "ghost_fragment", "with_ghosts",
           "two_copies", "is_float32", "planned_structures", "CELL_LAW_MOLECULES", "STRAY_CELLS", "at_the_cell_origin",
           "in_a_cell", "planned_stray_cells"]


@dataclass(frozen=True)
class Molecule:
    name: str                 # the test id
    symbols: tuple
    positions: tuple          # Å
    charge: int
    spin: int                 # multiplicity 2S+1
    note: str
    chiral: bool = False
    source: str = "built here"   # "g2:<key>" for a molecule from ase.data.g2

    def atoms(self):
        return systems.structure(list(self.symbols), np.array(self.positions), self.charge, self.spin)

    @property
    def electrons(self):
        return systems.electron_count(list(self.symbols), self.charge)

    @property
    def requirements(self):
        """What the molecule asks of a model: a charge read for an ion, its elements, its
        electrons (applicability.Needs)."""
        return Needs(charge=self.charge != 0, elements=tuple(dict.fromkeys(self.symbols)), electrons=self.electrons)


def _g2(key, spin, note, name=None):
    """A G2 molecule as ASE ships it, with its ground-state multiplicity stated here."""
    from ase.data.g2 import data
    entry = data[key]
    return Molecule(name or key, tuple(Atoms(entry["symbols"]).get_chemical_symbols()),
                    tuple(map(tuple, entry["positions"])), 0, spin, note, source=f"g2:{key}")


def _built(name, symbols, positions, charge=0, spin=1, note="", chiral=False):
    return Molecule(name, tuple(symbols), tuple(tuple(float(x) for x in p) for p in positions),
                    charge, spin, note, chiral)


# ---- geometry from internal coordinates -------------------------------------------------------

def _unit(v):
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def _place(a, b, c, bond, angle, dihedral):
    """The point d with |cd| = bond (Å), angle b-c-d and dihedral a-b-c-d (degrees)."""
    a, b, c = map(np.asarray, (a, b, c))
    bc = _unit(c - b)
    normal = _unit(np.cross(b - a, bc))
    in_plane = np.cross(normal, bc)
    theta, phi = np.radians(angle), np.radians(dihedral)
    local = np.array([-np.cos(theta), np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi)])
    return c + bond * (local[0] * bc + local[1] * in_plane + local[2] * normal)


_TETRAHEDRON = [_unit(v) for v in ((1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1))]


def _bromochlorofluoromethane():
    """CHFClBr on ideal tetrahedral directions; C–H 1.09, C–F 1.35, C–Cl 1.76, C–Br 1.93 Å
    (microwave structure, rounded).  Br, Cl, F on the first three directions: (S)."""
    lengths = {"Br": 1.93, "Cl": 1.76, "F": 1.35, "H": 1.09}
    positions = [(0.0, 0.0, 0.0)] + [lengths[s] * d for s, d in zip(("Br", "Cl", "F", "H"), _TETRAHEDRON)]
    return ["C", "Br", "Cl", "F", "H"], positions


def _alanine():
    """L-alanine, (S), neutral (the gas-phase form), with its carboxyl O–H cis to C=O and the
    carbonyl O turned towards the amino group.  Bonds: N–Cα 1.46, Cα–C 1.52, C=O 1.21, C–O 1.35,
    O–H 0.97, Cα–Cβ 1.53, C–H 1.09, N–H 1.01 Å; angles tetrahedral at sp³ atoms, 124°/112° at
    the carboxyl carbon, 106° at the hydroxyl O."""
    ca = np.zeros(3)
    n, c, cb, ha = (length * d for length, d in zip((1.46, 1.52, 1.53, 1.09), _TETRAHEDRON))
    o1 = _place(n, ca, c, 1.21, 124, -15)
    o2 = _place(n, ca, c, 1.35, 112, 165)
    ho = _place(ca, c, o2, 0.97, 106, 180)
    methyl = [_place(n, ca, cb, 1.09, 110, d) for d in (60, 180, -60)]
    amino = [_place(c, ca, n, 1.01, 110, d) for d in (-65, 55)]
    symbols = ["N", "C", "C", "O", "O", "H", "C", "H", "H", "H", "H", "H", "H"]
    return symbols, [n, ca, c, o1, o2, ho, cb, *methyl, ha, *amino]


def _naphthalene():
    """Two regular hexagons sharing an edge, C–C 1.40 Å, C–H 1.09 Å (D2h)."""
    side, ch = 1.40, 1.09
    offset = side * np.sqrt(3) / 2
    symbols, positions = [], []
    for sign in (-1, 1):
        centre = np.array([sign * offset, 0.0, 0.0])
        for angle in (30, 90, 150, 210, 270, 330):
            direction = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle)), 0.0])
            atom = centre + side * direction
            if sign == 1 and abs(atom[0]) < 1e-9:
                continue   # the shared edge, already placed by the first ring
            symbols.append("C")
            positions.append(atom)
            if abs(atom[0]) > 1e-9:
                symbols.append("H")
                positions.append(atom + ch * direction)
    return symbols, positions


def _adamantane():
    """C10H16 cut from the diamond lattice: C–C 1.54 Å, C–H 1.09 Å, ideal tetrahedral angles (Td)."""
    a = 1.54 / np.sqrt(3)
    symbols, positions = [], []
    for d in _TETRAHEDRON:                       # four CH bridgeheads
        symbols += ["C", "H"]
        positions += [a * np.sqrt(3) * d, a * np.sqrt(3) * d + 1.09 * d]
    for axis in np.vstack([np.eye(3), -np.eye(3)]):   # six CH2 bridges
        carbon = 2 * a * axis
        neighbours = [a * np.sqrt(3) * d for d in _TETRAHEDRON if np.dot(d, axis) > 0]
        normal = _unit(np.cross(neighbours[0] - carbon, neighbours[1] - carbon))
        half = np.radians(109.47 / 2)
        symbols += ["C", "H", "H"]
        positions += [carbon] + [carbon + 1.09 * (np.cos(half) * axis + s * np.sin(half) * normal) for s in (1, -1)]
    return symbols, positions


def _pyramid(centre, ligand, bond, angle, count=3):
    """A centre with `count` equal ligands at `bond` Å making the given angle with each other."""
    cos_between = np.cos(np.radians(angle))
    # ligands at polar angle θ from −z: cos(angle) = cos²θ + sin²θ cos(2π/count)
    c = np.cos(2 * np.pi / count)
    cos_theta = np.sqrt((cos_between - c) / (1 - c))
    theta = np.arccos(cos_theta)
    positions = [(0.0, 0.0, 0.0)]
    for k in range(count):
        phi = 2 * np.pi * k / count
        positions.append(bond * np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), -cos_theta]))
    return [centre] + [ligand] * count, positions


def _acetate():
    """CH3COO⁻: C–O 1.26 Å, O–C–O 126°, C–C 1.52 Å, C–H 1.09 Å, methyl staggered."""
    half = np.radians(63)
    positions = [(0, 0, 0), (1.26 * np.sin(half), 0, 1.26 * np.cos(half)),
                 (-1.26 * np.sin(half), 0, 1.26 * np.cos(half)), (0, 0, -1.52)]
    tilt = np.radians(180 - 109.47)
    for phi in (90, 210, 330):
        p = np.radians(phi)
        positions.append(np.array([0, 0, -1.52]) + 1.09 * np.array(
            [np.sin(tilt) * np.cos(p), np.sin(tilt) * np.sin(p), -np.cos(tilt)]))
    return ["C", "O", "O", "C", "H", "H", "H"], positions


def _trigonal(centre, ligand, bond):
    return [centre] + [ligand] * 3, [(0, 0, 0)] + [
        (bond * np.cos(np.radians(a)), bond * np.sin(np.radians(a)), 0) for a in (90, 210, 330)]


def _diatomic(a, b, r):
    return [a, b], [(0, 0, 0), (0, 0, r)]


CATALOGUE = (
    # ml-peg's physicality molecules first (also the finite-difference set)
    _g2("H2O", 1, "water, ¹A₁, C2v"),
    _g2("CH4", 1, "methane, Td"),
    _g2("NH3", 1, "ammonia, C3v"),
    _g2("C2H4", 1, "ethylene, D2h"),
    _g2("C2H2", 1, "acetylene, D∞h"),
    _g2("SO2", 1, "sulfur dioxide, C2v"),
    _g2("CH3OH", 1, "methanol, Cs"),
    _g2("C6H6", 1, "benzene, D6h"),
    # closed-shell G2 molecules: first-row, second-row, ionic, hypervalent, aromatic
    _g2("CO", 1, "carbon monoxide, X¹Σ⁺"),
    _g2("N2", 1, "dinitrogen, X¹Σg⁺"),
    _g2("F2", 1, "difluorine, X¹Σg⁺"),
    _g2("Cl2", 1, "dichlorine, X¹Σg⁺"),
    _g2("HF", 1, "hydrogen fluoride, X¹Σ⁺"),
    _g2("HCl", 1, "hydrogen chloride, X¹Σ⁺"),
    _g2("CO2", 1, "carbon dioxide, D∞h"),
    _g2("HCN", 1, "hydrogen cyanide, C∞v"),
    _g2("H2CO", 1, "formaldehyde, C2v"),
    _g2("HCOOH", 1, "formic acid, Cs"),
    _g2("CH3CN", 1, "acetonitrile, C3v"),
    _g2("N2O", 1, "nitrous oxide, C∞v"),
    _g2("O3", 1, "ozone, ¹A₁, C2v"),
    _g2("PH3", 1, "phosphine, C3v"),
    _g2("SH2", 1, "hydrogen sulfide, C2v", name="H2S"),
    _g2("SiH4", 1, "silane, Td"),
    _g2("SiH2_s1A1d", 1, "silylene in its ¹A₁ singlet ground state, C2v", name="SiH2"),
    _g2("BF3", 1, "boron trifluoride, D3h"),
    _g2("AlCl3", 1, "aluminium trichloride, D3h"),
    _g2("LiF", 1, "lithium fluoride, X¹Σ⁺ (6.3 D)"),
    _g2("NaCl", 1, "sodium chloride, X¹Σ⁺ (9.0 D, the most polar molecule here)"),
    _g2("Li2", 1, "dilithium, X¹Σg⁺"),
    _g2("CF4", 1, "carbon tetrafluoride, Td"),
    _g2("PF3", 1, "phosphorus trifluoride, C3v"),
    _g2("OCS", 1, "carbonyl sulfide, C∞v"),
    _g2("CH3NO2", 1, "nitromethane, Cs"),
    _g2("C5H5N", 1, "pyridine, C2v", name="pyridine"),
    _g2("C4H4S", 1, "thiophene, C2v", name="thiophene"),
    _g2("CH3CONH2", 1, "acetamide, C1", name="acetamide"),
    _g2("C2H6SO", 1, "dimethyl sulfoxide, Cs", name="DMSO"),
    _g2("trans-butane", 1, "n-butane, anti, C2h", name="butane"),
    _g2("ClF3", 1, "chlorine trifluoride (T-shaped, hypervalent), C2v"),
    _g2("H2O2", 1, "hydrogen peroxide, C2"),
    _g2("N2H4", 1, "hydrazine, C2"),
    # radicals, each in its ground state
    _g2("CH3", 2, "methyl radical, ²A₂″, D3h"),
    _g2("OH", 2, "hydroxyl radical, X²Π"),
    _g2("NO", 2, "nitric oxide, X²Π"),
    _g2("CN", 2, "cyano radical, X²Σ⁺"),
    _g2("O2", 3, "dioxygen, X³Σg⁻"),
    _g2("NH", 3, "imidogen, X³Σ⁻"),
    _g2("CH2_s3B1d", 3, "methylene in its ³B₁ triplet ground state, C2v", name="CH2"),
    _g2("NO2", 2, "nitrogen dioxide, ²A₁, C2v"),
    _g2("ClO", 2, "chlorine monoxide, X²Π"),
    _g2("SO", 3, "sulfur monoxide, X³Σ⁻"),
    _g2("HCO", 2, "formyl radical, ²A′, Cs"),
    _g2("C2H5", 2, "ethyl radical, ²A′, Cs"),
    _g2("S2", 3, "disulfur, X³Σg⁻"),
    _g2("BeH", 2, "beryllium monohydride, X²Σ⁺"),
    _g2("NH2", 2, "amino radical, ²B₁, C2v"),
    _g2("SiH3", 2, "silyl radical, ²A₁, C3v"),
    # larger and chiral molecules, built here
    _built("CHFClBr", *_bromochlorofluoromethane(), note="bromochlorofluoromethane, (S), the simplest "
           "chiral molecule", chiral=True),
    _built("alanine", *_alanine(), note="L-alanine, (S), neutral", chiral=True),
    _built("naphthalene", *_naphthalene(), note="naphthalene, D2h"),
    _built("adamantane", *_adamantane(), note="adamantane, Td"),
    # ions, built here (charge and spin stated)
    _built("OH-", *_diatomic("O", "H", 0.96), charge=-1, note="hydroxide, X¹Σ⁺"),
    _built("CN-", *_diatomic("C", "N", 1.18), charge=-1, note="cyanide, X¹Σ⁺"),
    _built("NO+", *_diatomic("N", "O", 1.06), charge=1, note="nitrosonium, X¹Σ⁺"),
    _built("O2-", *_diatomic("O", "O", 1.33), charge=-1, spin=2, note="superoxide, X²Πg"),
    _built("H3O+", *_pyramid("O", "H", 0.98, 111), charge=1, note="hydronium, C3v"),
    _built("NH4+", ["N", "H", "H", "H", "H"], [(0, 0, 0)] + [1.03 * d for d in _TETRAHEDRON], charge=1,
           note="ammonium, Td"),
    _built("NO3-", *_trigonal("N", "O", 1.25), charge=-1, note="nitrate, D3h"),
    _built("acetate", *_acetate(), charge=-1, note="acetate anion CH3COO⁻, Cs"),
)

BY_NAME = {entry.name: entry for entry in CATALOGUE}

FINITE_DIFFERENCE_SET = ("H2O", "CH4", "NH3", "C2H4", "C2H2", "SO2", "CH3OH", "C6H6", "CHFClBr")
"""The laws that need 6N displaced evaluations (F = −∇E, a symmetric force Jacobian) run on ml-peg's
eight physicality molecules and the smallest chiral one (48 atoms: 288 evaluations, about 11 s for
SevenNet-0 on one CPU thread; alanine would add 78); the cheaper laws run on the whole catalogue."""

CHIRAL = tuple(entry.name for entry in CATALOGUE if entry.chiral)

CELL_LAW_MOLECULES = {entry.name: entry for entry in (
    _built("H2", *_diatomic("H", "H", 0.74), note="dihydrogen, X¹Σg⁺"),
    *(BY_NAME[name] for name in ("H2O", "CH4", "C6H6", "NaCl")))}
"""The molecules given a cell with no periodic direction (test_periodic.py): H2 (which the exact oracle
answers), water, methane, benzene (12 atoms, wider than the small cells) and NaCl (the most polar)."""

STRAY_CELLS = (
    ("a 30 Å cubic box", ((30.0, 0.0, 0.0), (0.0, 30.0, 0.0), (0.0, 0.0, 30.0))),
    ("a 2 Å cube, smaller than any cutoff", ((2.0, 0.0, 0.0), (0.0, 2.0, 0.0), (0.0, 0.0, 2.0))),
    ("a skewed cell of 3 Å vectors at 40–70°", ((3.0, 0.0, 0.0), (2.3, 1.93, 0.0), (1.0, 1.2, 2.56))),
)
"""Cells a molecule may carry with pbc off on every axis, as ASE users leave them (a box set for a
viewer or a DFT code; a cell kept from a crystal), each with its description.  Small and skewed cells
catch a front end that builds its neighbour list from the cell whatever pbc says."""


# ---- what a model can be asked -----------------------------------------------------------------

def applicable(capabilities, names=None):
    """The catalogue entries (or those named) that a model with these capabilities can answer."""
    chosen = CATALOGUE if names is None else [BY_NAME[name] for name in names]
    return [entry for entry in chosen if why_not(entry.requirements, capabilities, "") is None]


# ---- the geometries the checks read ------------------------------------------------------------

@lru_cache(maxsize=None)
def _rattle(name, n):
    """Seeded displacements, each atom moved by at most MOLECULE_RATTLE_ANGSTROM."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    directions = rng.normal(size=(n, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    return directions * rng.uniform(0.5, 1.0, size=(n, 1)) * tol.MOLECULE_RATTLE_ANGSTROM


def rattled(entry):
    """The molecule displaced from its catalogue geometry by its own seeded rattle."""
    atoms = entry.atoms()
    atoms.positions += _rattle(entry.name, len(atoms))
    return atoms


def displaced_coordinate(atoms, k, step):
    """Two copies: coordinate k of the flattened positions moved by +step, then by −step."""
    structures = []
    for sign in (1, -1):
        moved = atoms.copy()
        moved.positions.flat[k] += sign * step
        structures.append(moved)
    return structures


def displaced(atoms, step):
    """6N copies: coordinate k of the flattened positions moved by +step, then −step, for each k."""
    return [moved for k in range(3 * len(atoms)) for moved in displaced_coordinate(atoms, k, step)]


def square_loop(atoms, first, second, side, intervals):
    """Geometries around a square of the given side centred on atoms, in the plane of flattened
    coordinates `first` and `second`, counter-clockwise: for each of the four sides, (its
    intervals + 1 geometries, its unit direction in that plane as (d_first, d_second))."""
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]
    sides = []
    for start, end in zip(corners[:-1], corners[1:]):
        direction = ((end[0] - start[0]) / 2, (end[1] - start[1]) / 2)
        points = []
        for t in np.linspace(0.0, 1.0, intervals + 1):
            moved = atoms.copy()
            moved.positions.flat[first] += side / 2 * (start[0] + 2 * t * direction[0])
            moved.positions.flat[second] += side / 2 * (start[1] + 2 * t * direction[1])
            points.append(moved)
        sides.append((points, direction))
    return sides


_GHOSTS = ("Ne", "Ar", "He", "Kr", "Xe")


def ghost_fragment(capabilities, electrons):
    """A closed-shell neutral fragment the model covers (a noble-gas atom, else H2) such that the
    molecule (of `electrons` electrons) and MOLECULE_GHOST_COUNT of them stay affordable; or None."""
    candidates = [systems.atom(symbol) for symbol in _GHOSTS] + [systems.h2(0.74)]
    for fragment in candidates:
        count = systems.electron_count(fragment.get_chemical_symbols())
        if capabilities.covers(fragment.get_chemical_symbols()) and capabilities.affords(
                electrons + tol.MOLECULE_GHOST_COUNT * count):
            return fragment
    return None


def with_ghosts(atoms, fragment):
    """The molecule with MOLECULE_GHOST_COUNT copies of the fragment, each centred
    MOLECULE_GHOST_DISTANCE_ANGSTROM from the molecule's centre along a tetrahedral direction.
    Charge and spin are the molecule's (the fragments are neutral singlets)."""
    centre = atoms.positions.mean(axis=0)
    combined = atoms.copy()
    for direction in _TETRAHEDRON[:tol.MOLECULE_GHOST_COUNT]:
        ghost = fragment.copy()
        ghost.positions += centre + tol.MOLECULE_GHOST_DISTANCE_ANGSTROM * direction - ghost.positions.mean(axis=0)
        combined += ghost
    combined.info = dict(atoms.info)
    return combined


def two_copies(atoms):
    """The molecule and a copy translated by MOLECULE_COPY_DISTANCE_ANGSTROM along x; the pair's
    multiplicity is the high-spin coupling of the two (degenerate with every other coupling at
    this distance), its charge twice the molecule's."""
    copy = atoms.copy()
    copy.positions += np.array([tol.MOLECULE_COPY_DISTANCE_ANGSTROM, 0.0, 0.0])
    pair = atoms + copy
    spin = atoms.info.get("spin", 1)
    pair.info = dict(charge=2 * atoms.info.get("charge", 0), spin=2 * (spin - 1) + 1)
    return pair


def is_float32(values):
    """True when every value is exactly a float32 number: the model computes in single precision."""
    return all(float(np.float32(v)) == float(v) for v in values)


def at_the_cell_origin(entry):
    """The rattled molecule with its centroid on the origin, where a cell's corner sits: half its atoms
    lie outside any cell, so a model that wraps them into the cell tears the molecule apart."""
    atoms = rattled(entry)
    atoms.positions -= atoms.positions.mean(axis=0)
    return atoms


def in_a_cell(atoms, cell):
    """The same atoms carrying a cell, periodic along no axis (the positions unchanged)."""
    boxed = atoms.copy()
    boxed.set_cell(cell, scale_atoms=False)
    boxed.pbc = False
    return boxed


def planned_stray_cells(capabilities):
    """The geometries of the law 'a cell with no periodic direction changes nothing'."""
    planned = []
    for entry in CELL_LAW_MOLECULES.values():
        if why_not(entry.requirements, capabilities, "") is None:
            free = at_the_cell_origin(entry)
            planned += [free] + [in_a_cell(free, cell) for _, cell in STRAY_CELLS]
    return planned


def planned_structures(capabilities):
    """Every fixed geometry the molecule checks read, for a model with these capabilities."""
    planned = []
    for entry in applicable(capabilities):
        atoms = rattled(entry)
        planned.append(atoms)
        fragment = ghost_fragment(capabilities, entry.electrons)
        if fragment is not None:
            planned += [with_ghosts(atoms, fragment), fragment]
        if entry.charge == 0 and capabilities.affords(2 * entry.electrons):
            planned.append(two_copies(atoms))
        if entry.name in FINITE_DIFFERENCE_SET:
            planned += displaced(atoms, tol.MOLECULE_FINITE_DIFFERENCE_STEP_ANGSTROM)
    return planned
