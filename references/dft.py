"""Kohn–Sham DFT references for H2: the curves DFT-trained models were fitted to.

Functions only, no I/O; references/generate.py turns them into references/data/<set>.json.

Two spin treatments, because training sets differ:
- restricted (RKS) singlet: one spatial orbital for both electrons, what OMol25 computed for
  closed-shell molecules.  It dissociates into a mixture of H + H and H⁺ + H⁻, several eV
  above two hydrogen atoms: the method's error, which a model trained on it inherits.
- unrestricted broken-symmetry (UKS) singlet: α and β electrons may localise on different
  atoms beyond the Coulson–Fischer point, so H2 ends at 2E(H).  What a spin-polarised
  plane-wave calculation (VASP ISPIN=2, MPtrj) finds.

How a solution is accepted (pitfalls measured here, see the set's metadata): pyscf's default
guess keeps a stretched singlet restricted, so UKS also starts from the atoms' densities
(α on one centre, β on the other) and from the previous distance; DIIS that oscillates at long
range gets a level-shifted retry; a solution counts only if its unshifted orbital gradient is
small and its occupations are aufbau, and the lowest such solution is kept.  A point where no
start converges is reported as such, never filled with an unconverged number.
"""

from dataclasses import dataclass, field

import numpy as np

from mlip_conformance.references.constants import angstrom_to_bohr

CONVERGENCE_HARTREE = 1e-10
STATIONARY_GRADIENT = 1e-5
"""Norm of the unshifted orbital gradient a solution must reach (pyscf's own default for
conv_tol 1e-10 is sqrt(1e-10) = 1e-5); checked by us, so a level-shifted run cannot slip through."""

LEVEL_SHIFT_HARTREE = 1.0
"""Retry without DIIS: 1 Eh converged RKS/PBE H2 at 10 Å where DIIS oscillated (adapters/pyscf_model.py)."""

SAME_SOLUTION_HARTREE = 1e-6
"""E_RKS − E_UKS above this means the broken-symmetry solution has split off (SCF noise ~1e-9)."""

FRAGMENT_LIMIT_FROM_ANGSTROM = 8.0
"""A UKS point that will not converge from here outwards is given 2E(H): the converged points
show E(R) − 2E(H) below 0.1 meV from 8 Å (measured, stored in the metadata of each set)."""

STATUSES = ("converged", "fragment-limit", "not-converged")


@dataclass(frozen=True)
class Settings:
    """Everything that fixes a number in a DFT set; recomputation must use the same."""
    xc: str
    basis: str
    grid_level: int = 5
    nlc_grid_level: int | None = None     # None: pyscf's default for functionals with VV10
    extra: dict = field(default_factory=dict)

    def describe(self):
        return {"xc": self.xc, "basis": self.basis, "grid_level": self.grid_level,
                "nlc_grid_level": self.nlc_grid_level, "conv_tol_hartree": CONVERGENCE_HARTREE,
                "stationary_orbital_gradient": STATIONARY_GRADIENT,
                "level_shift_retry_hartree": LEVEL_SHIFT_HARTREE}


WB97M_V = Settings(xc="wb97m-v", basis="def2-tzvpd", nlc_grid_level=1)
"""VV10 grid level 1, not pyscf's default 3: 10× faster (1 s instead of 10 s an SCF at one thread) and
measured to move RKS energies by 3e-9 Eh at 0.74 Å and 1e-7 Eh at 3.0 Å."""
PBE = Settings(xc="pbe", basis="def2-tzvpd")
WB97M_D3BJ_TZVPPD = Settings(xc="wb97m-d3bj", basis="def2-tzvppd")
"""SPICE / MACE-OFF: pyscf reads 'wb97m-d3bj' as the ωB97M-V exchange–correlation functional with
its VV10 term switched off and D3(BJ) added (s6 = 1, a1 = 0.5660, s8 = 0.3908, a2 = 3.1280;
Najibi & Goerigk, J. Chem. Theory Comput. 14, 5725 (2018)) through pyscf-dispersion."""
WB97M_D3BJ_TZVPP = Settings(xc="wb97m-d3bj", basis="def2-tzvpp")
"""AIMNet2 (wb97m-d3 family): the same functional and D3(BJ) parameters (aimnet's model registry
adds D3(BJ) with s8 = 0.3908, a1 = 0.566, a2 = 3.128 post hoc), in def2-TZVPP."""


@dataclass(frozen=True)
class Point:
    energy: float | None     # Eh; None when not converged
    status: str
    density: object = None   # (α, β) or total density matrix, for continuation
    spin_squared: float | None = None
    start: str | None = None  # which initial guess gave the kept solution


def molecule(settings, r_angstrom=None, charge=0, multiplicity=1):
    """H2 at r (Å, converted with the CODATA 2018 bohr), or the H atom when r is None."""
    from pyscf import gto
    if r_angstrom is None:
        return gto.M(atom=[("H", (0.0, 0.0, 0.0))], unit="Bohr", basis=settings.basis, spin=1,
                     verbose=0)
    half = angstrom_to_bohr(r_angstrom) / 2
    return gto.M(atom=[("H", (0.0, 0.0, -half)), ("H", (0.0, 0.0, half))], unit="Bohr",
                 basis=settings.basis, charge=charge, spin=multiplicity - 1, verbose=0)


def _kohn_sham(mol, settings, restricted):
    from pyscf import dft
    mean_field = (dft.RKS if restricted else dft.UKS)(mol)
    mean_field.xc = settings.xc
    mean_field.grids.level = settings.grid_level
    if settings.nlc_grid_level is not None:
        mean_field.nlcgrids.level = settings.nlc_grid_level
    mean_field.conv_tol = CONVERGENCE_HARTREE
    mean_field.max_cycle = 100
    return mean_field


def _solve(mol, settings, restricted, guess=None):
    """A stationary aufbau solution from this guess (DIIS, then level shift), or None."""
    for shifted in (False, True):
        mean_field = _kohn_sham(mol, settings, restricted)
        if shifted:
            mean_field.diis = None
            mean_field.level_shift = LEVEL_SHIFT_HARTREE
            mean_field.max_cycle = 300
        mean_field.kernel(dm0=guess)
        if mean_field.converged and is_stationary(mean_field) and is_aufbau(mean_field):
            return mean_field
    return None


def is_stationary(mean_field):
    """Orbital gradient of the unshifted Fock matrix (pyscf's may include the level shift)."""
    density = mean_field.make_rdm1()
    fock = mean_field.get_fock(dm=density)
    gradient = mean_field.get_grad(mean_field.mo_coeff, mean_field.mo_occ, fock)
    return float(np.linalg.norm(gradient)) < STATIONARY_GRADIENT


def is_aufbau(mean_field, slack=1e-6):
    """Each spin channel fills its lowest orbitals: not an excited state."""
    energies = np.reshape(mean_field.mo_energy, (-1, np.shape(mean_field.mo_energy)[-1]))
    occupations = np.reshape(mean_field.mo_occ, energies.shape)
    for e, occ in zip(energies, occupations):
        occupied, virtual = e[occ > 0], e[occ == 0]
        if len(occupied) and len(virtual) and occupied.max() > virtual.min() + slack:
            return False
    return True


def hydrogen_atom(settings):
    """UKS doublet H atom: (energy in Eh, its α density matrix for broken-symmetry starts)."""
    mean_field = _solve(molecule(settings), settings, restricted=False)
    if mean_field is None:
        raise RuntimeError(f"UKS {settings.xc}/{settings.basis} did not converge for the H atom")
    return float(mean_field.e_tot), mean_field.make_rdm1()[0]


def broken_symmetry_guess(atom_density):
    """α density of a free H atom on the first centre, β on the second (AOs are atom-ordered)."""
    n = atom_density.shape[0]
    alpha, beta = np.zeros((2 * n, 2 * n)), np.zeros((2 * n, 2 * n))
    alpha[:n, :n] = atom_density
    beta[n:, n:] = atom_density
    return np.array([alpha, beta])


def restricted_point(settings, r, previous=None):
    """RKS singlet at r (Å), continuing from the previous distance's density when given."""
    mol = molecule(settings, r)
    starts = {}
    if previous is not None and previous.density is not None:
        starts["continuation"] = previous.density
    return _lowest(mol, settings, True, starts, fallback={"default": None})


def unrestricted_point(settings, r, atom_density, previous=None):
    """Broken-symmetry UKS singlet at r (Å): the lowest of the atoms-density start and the
    previous distance's solution.  No fallback to pyscf's default start: far out it converges
    to the restricted saddle (ωB97M-V at 9.5 Å here, 4.7 eV too high), so a point where both
    starts fail is reported not converged."""
    mol = molecule(settings, r)
    starts = {"broken-symmetry": broken_symmetry_guess(atom_density)}
    if previous is not None and previous.density is not None:
        starts["continuation"] = previous.density
    point = _lowest(mol, settings, False, starts, fallback={})
    # From 8 Å on, the singlet is two doublet atoms (<S²> → 1 in broken symmetry).  A UKS
    # solution with no spin polarization there is the restricted saddle (ωB97M-V at 10 Å from
    # the atoms-density start alone: 4.78 eV too high), not the answer: report it unconverged.
    if (r >= FRAGMENT_LIMIT_FROM_ANGSTROM - 1e-9 and point.spin_squared is not None
            and point.spin_squared < 0.5):
        return Point(energy=None, status="not-converged")
    return point


def _lowest(mol, settings, restricted, starts, fallback):
    """The lowest accepted solution over the starts; the fallback starts only if none converged."""
    found = _accepted(mol, settings, restricted, starts) or _accepted(mol, settings, restricted, fallback)
    if not found:
        return Point(energy=None, status="not-converged")
    energy, name, best = min(found, key=lambda item: item[0])
    spin_squared = None if restricted else float(best.spin_square()[0])
    return Point(energy=energy, status="converged", density=best.make_rdm1(),
                 spin_squared=spin_squared, start=name)


def _accepted(mol, settings, restricted, starts):
    found = []
    for name, guess in starts.items():
        mean_field = _solve(mol, settings, restricted, guess)
        if mean_field is not None:
            found.append((float(mean_field.e_tot), name, mean_field))
    return found


def with_fragment_limit(r, point, two_atoms):
    """A non-converged UKS point far out gets 2E(H), marked; nearer in it stays not-converged."""
    if point.status == "not-converged" and r >= FRAGMENT_LIMIT_FROM_ANGSTROM - 1e-9:
        return Point(energy=two_atoms, status="fragment-limit")
    return point


def coulson_fischer_point(r, e_restricted, e_unrestricted):
    """(first grid point where UKS lies below RKS by > 1e-6 Eh, refined estimate) in Å.

    Past the instability the symmetry-broken solution lowers the energy by ∝ (R − R_CF)²,
    so √(E_RKS − E_UKS) is linear in R: a line through the first two split points gives R_CF.
    """
    r = np.asarray(r, dtype=float)
    gap = np.array([np.nan if a is None or b is None else a - b
                    for a, b in zip(e_restricted, e_unrestricted)])
    split = np.flatnonzero(gap > SAME_SOLUTION_HARTREE)
    if len(split) == 0:
        return None, None
    first = split[0]
    if first + 1 >= len(r) or not gap[first + 1] > SAME_SOLUTION_HARTREE:
        return float(r[first]), None
    x, y = r[first:first + 2], np.sqrt(gap[first:first + 2])
    slope = (y[1] - y[0]) / (x[1] - x[0])
    return float(r[first]), float(x[0] - y[0] / slope)


def curves(settings, points, progress=lambda *args: None):
    """RKS and UKS H2 curves on points (Å) and the UKS H atom, as plain data."""
    hydrogen, atom_density = hydrogen_atom(settings)
    restricted, unrestricted = [], []
    for i, r in enumerate(points):
        restricted.append(restricted_point(settings, r, restricted[-1] if restricted else None))
        raw = unrestricted_point(settings, r, atom_density, unrestricted[-1] if unrestricted else None)
        unrestricted.append(with_fragment_limit(r, raw, 2 * hydrogen))
        progress(i + 1, len(points), f"r = {r:.2f} Å  RKS {_fmt(restricted[-1])}  UKS {_fmt(unrestricted[-1])}")
    return hydrogen, restricted, unrestricted


def open_shell_point(settings, r, charge, multiplicity, previous=None):
    """UKS H2 with the given charge and multiplicity (H2⁺ doublet, triplet H2) at r (Å): the
    lowest of pyscf's default start and the previous distance's solution.  No broken-symmetry
    start is needed: these states are open-shell already, and their aufbau UKS solution is what
    a calculation of that charge and multiplicity returns."""
    mol = molecule(settings, r, charge=charge, multiplicity=multiplicity)
    starts = {"default": None}
    if previous is not None and previous.density is not None:
        starts["continuation"] = previous.density
    return _lowest(mol, settings, False, starts, fallback={})


def open_shell_curve(settings, points, charge, multiplicity, progress=lambda *args: None):
    """UKS curve of H2 with this charge and multiplicity on points (Å), continued outwards."""
    curve = []
    for i, r in enumerate(points):
        curve.append(open_shell_point(settings, r, charge, multiplicity, curve[-1] if curve else None))
        progress(i + 1, len(points), f"r = {r:.2f} Å  UKS q={charge} 2S+1={multiplicity} {_fmt(curve[-1])}")
    return curve


def _fmt(point):
    return f"{point.energy:.8f} ({point.status})" if point.energy is not None else point.status
