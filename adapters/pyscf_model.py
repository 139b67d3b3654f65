"""Real electronic-structure methods as models: pyscf computes every geometry from scratch.

``--model pyscf --model-option method=fci --model-option basis=cc-pvdz`` runs the suite on
real quantum chemistry, to show that real physics passes its laws (and where a finite basis
or an approximate method does not).  Methods, by number of electrons:

- no electrons (bare nuclei): the nuclear repulsion and its gradient, computed by pyscf;
  no SCF can run without electrons, and none is needed.
- one electron, wavefunction methods (fci, ccsd, uhf): UHF, exact within the basis.
- fci, two electrons: the energy from references.fci2e (the suite's own direct solver);
  the forces from pyscf's analytic FCI gradient, i.e. CASCI with every orbital active
  (singlet; ~20× faster than the equal CCSD gradient in cc-pVDZ, as slow in aug-cc-pVTZ), or analytic UCCSD (triplet,
  where CASCI gradients need ROHF orbitals that pyscf does not support).  Both are exact for
  two electrons; the energy of the wavefunction behind the forces is checked against the
  fci2e energy, so energy and forces always describe the same state.
- fci, more electrons: CASCI with every orbital active (= FCI), analytic gradient for
  closed shells; open shells get central finite differences of that energy (6N + 1 FCI
  solves for N atoms; fine for the tiny systems FCI is meant for, hopeless beyond).
- ccsd: RCCSD on RHF (closed shell) or UCCSD on the lowest UHF, analytic gradients.
- uhf / uks: the lowest stationary unrestricted solution found from the default guess, a
  broken-symmetry guess and stability following; analytic gradients.
- rks: restricted Kohn–Sham (restricted open-shell for odd electron counts); analytic
  gradients.  Restricted DFT dissociates H2 wrongly: that is the method's physics, reported.

An SCF or coupled-cluster solve that does not converge raises for that geometry: the suite
turns it into a per-geometry failure, never into a silently unconverged number.
Geometries are built in bohr with the suite's CODATA 2018 constants, not pyscf's own.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from mlip_conformance.adapters.base import Capabilities, ModelUsageError
from mlip_conformance.adapters.support import require
from mlip_conformance.references.constants import BOHR_ANGSTROM, HARTREE_EV, angstrom_to_bohr
from mlip_conformance.references.dft import is_aufbau

METHODS = ("fci", "ccsd", "uhf", "rks", "uks")
DFT_METHODS = ("rks", "uks")
EXACT_METHODS = ("fci", "ccsd")
"""CCSD is exact for the one- and two-electron systems (H, H2, H2⁺) every accuracy test uses."""

SCF_CONVERGENCE_HARTREE = 1e-10
POST_HF_CONVERGENCE_HARTREE = 1e-11
LEVEL_SHIFT_HARTREE = 1.0
"""Second try for an SCF that oscillates: 1 Eh without DIIS converged RKS/PBE H2 at 10 Å, where
0.5 Eh with DIIS did not."""

SAME_STATE_HARTREE = 1e-7
"""The wavefunction behind the forces must have the fci2e energy to this precision: both are
converged to ~1e-11 Eh, so a larger gap means a different state (or basis), not noise."""

FINITE_DIFFERENCE_STEP_BOHR = 1e-4
"""Central differences for open-shell FCI with > 2 electrons: truncation h²|E'''|/6 ~ 1e-9 and
round-off 1e-11/h ~ 1e-7 Eh/bohr, both far below the suite's 10 meV/Å (2e-4 Eh/bohr)."""

FCI_MAX_ELECTRONS = 2
"""What FCI here affords per curve: two electrons (H2, H2⁺, H⁻, He) are cheap in cc-pVDZ; three or
four cost about ten times more a geometry (HeH: open shell, 13 FCI solves for its forces; LiH: CASCI
gradient over 19 orbitals); the timings are in docs/findings.md."""

FORCE_EV_PER_A_FROM_HARTREE_PER_BOHR = HARTREE_EV / BOHR_ANGSTROM


class ConvergenceError(RuntimeError):
    """A solver did not converge for one geometry; the suite reports it for that geometry."""


def make_pyscf(method="fci", basis="aug-cc-pvtz", xc=None, threads=None):
    """Factory behind ``--model pyscf``: a real pyscf calculation for every geometry."""
    method = str(method).strip().lower()
    if method not in METHODS:
        raise ModelUsageError(f"model 'pyscf': unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method in DFT_METHODS and not xc:
        raise ModelUsageError(f"model 'pyscf': method={method} needs a functional, e.g. "
                              "--model-option xc=pbe or xc=wb97m-v")
    if method not in DFT_METHODS and xc:
        raise ModelUsageError(f"model 'pyscf': xc={xc} applies only to rks or uks, not method={method}")
    pyscf = require("pyscf", "pyscf", "pyscf")
    if threads:
        pyscf.lib.num_threads(int(threads))
    _check_basis(str(basis))
    return PyscfModel(method, str(basis), str(xc).lower() if xc else None)


def _check_basis(basis):
    from pyscf import gto
    try:
        with warnings.catch_warnings():   # pyscf's hint to install basis-set-exchange: noise here
            warnings.simplefilter("ignore")
            gto.basis.load(basis, "H")
    except Exception:
        raise ModelUsageError(f"model 'pyscf': pyscf knows no basis set {basis!r} for H; "
                              "try cc-pvdz, aug-cc-pvtz or def2-tzvp") from None


@dataclass
class PyscfModel:
    batched = False   # one calculation per geometry
    method: str
    basis: str
    xc: str | None = None

    @property
    def name(self):
        return f"pyscf {self.xc or self.method}/{self.basis}"

    @property
    def capabilities(self):
        # FCI and CCSD (for two electrons) are exact within the basis; a mean-field method in a basis
        # of the user's choice has no reference set of the suite (its name says method and basis)
        level = "exact" if self.method in EXACT_METHODS else None
        return Capabilities(reads_charge=True, reads_spin=True, elements=None,
                            absolute_energies=True, level_of_theory=level, cutoff=None,
                            max_electrons=FCI_MAX_ELECTRONS if self.method == "fci" else None,
                            periodic=False, stress=False)   # molecules only (pyscf.gto, not pbc)

    def evaluate(self, structures):
        results = [self.energy_and_forces(atoms) for atoms in structures]
        return np.array([energy for energy, _ in results]), [forces for _, forces in results]

    def energy_and_forces(self, atoms):
        """Energy (eV) and forces (eV/Å) of one structure."""
        mol = build_molecule(atoms, self.basis)
        energy, gradient = self._solve(mol)
        return energy * HARTREE_EV, -np.asarray(gradient) * FORCE_EV_PER_A_FROM_HARTREE_PER_BOHR

    def _solve(self, mol):
        """(energy in Eh, gradient in Eh/bohr) by the cheapest route that is exact for the method."""
        if mol.nelectron == 0:
            return nuclear_repulsion(mol)
        if mol.nelectron == 1 and self.method not in DFT_METHODS:
            return gradient_of(lowest_unrestricted(mol, "uhf"))
        if self.method == "fci":
            return full_ci(mol)
        if self.method == "ccsd":
            return coupled_cluster(mol)
        if self.method == "rks":
            return gradient_of(converged(mol, "rks", self.xc))
        return gradient_of(lowest_unrestricted(mol, self.method, self.xc))


def build_molecule(atoms, basis):
    """A pyscf Mole in bohr (CODATA 2018), with the structure's charge and spin multiplicity."""
    from pyscf import gto
    charge = int(atoms.info.get("charge", 0))
    electrons = int(atoms.numbers.sum()) - charge
    spin = atoms.info.get("spin")
    multiplicity = electrons % 2 + 1 if spin is None else int(spin)   # undeclared: the lowest
    if electrons < 0:
        raise ValueError(f"charge {charge:+d} leaves {electrons} electrons on {atoms.get_chemical_formula()}")
    if multiplicity < 1 or (multiplicity - 1) % 2 != electrons % 2 or multiplicity - 1 > electrons:
        raise ValueError(f"spin multiplicity {multiplicity} is impossible for {electrons} electrons")
    positions = angstrom_to_bohr(np.asarray(atoms.positions, dtype=float))
    geometry = [(symbol, tuple(xyz)) for symbol, xyz in zip(atoms.get_chemical_symbols(), positions)]
    return gto.M(atom=geometry, unit="Bohr", basis=basis, charge=charge, spin=multiplicity - 1, verbose=0)


def nuclear_repulsion(mol):
    """Bare nuclei: Coulomb repulsion of the point charges, from pyscf's own routines."""
    from pyscf.grad.rhf import grad_nuc
    return mol.energy_nuc(), grad_nuc(mol)


# --- FCI -------------------------------------------------------------------------------------

def full_ci(mol):
    if mol.nelectron == 2:
        return _two_electron_fci(mol)
    if mol.spin == 0:
        return _casci_all_orbitals(mol)
    return _fci_by_finite_differences(mol)


def _two_electron_fci(mol):
    solution = _two_electron_solution(mol)
    if mol.natm == 1:   # an isolated atom feels no force; no orbitals needed
        return solution.energy, np.zeros((1, 3))
    try:
        if mol.spin == 0:
            same_state_energy, gradient = _casci_all_orbitals(mol)
        else:   # a triplet: CCSD is exact for two electrons and has analytic UCCSD gradients
            same_state_energy, gradient = coupled_cluster(mol)
    except ConvergenceError:
        # The analytic gradients need a converged SCF, which a stretched singlet (H + H at 20 Å:
        # σg and σu degenerate) may not give; the direct FCI energy needs no SCF at all.
        return solution.energy, _central_differences(lambda m: _two_electron_solution(m).energy, mol)
    if abs(same_state_energy - solution.energy) > SAME_STATE_HARTREE:
        raise ConvergenceError(
            f"FCI energy {solution.energy:.10f} Eh and the energy {same_state_energy:.10f} Eh of the "
            f"wavefunction behind the forces differ by {same_state_energy - solution.energy:.2e} Eh: "
            "they found different states, so no consistent forces can be given")
    return solution.energy, gradient


def _casci_all_orbitals(mol):
    """FCI as CASCI over every orbital of a converged RHF, with pyscf's analytic gradient.

    With all orbitals active the energy is independent of the orbitals, so the RHF only
    supplies an orthonormal basis; the spin penalty keeps the solver on the singlet, which
    is all but degenerate with the triplet at long bonds.
    """
    from pyscf import mcscf
    mean_field = converged(mol, "rhf")
    casci = mcscf.CASCI(mean_field, mean_field.mo_coeff.shape[1], mol.nelec)
    casci.fcisolver.conv_tol = POST_HF_CONVERGENCE_HARTREE
    casci.fix_spin_(ss=0)
    energy = casci.kernel()[0]
    if not casci.converged:
        raise ConvergenceError(f"FCI (CASCI over all orbitals) did not converge for {_label(mol)}")
    return energy, casci.nuc_grad_method().kernel()


def _two_electron_solution(mol):
    from mlip_conformance.references.fci2e import two_electron_energy
    # Residual 1e-7 → energy error ~1e-14 Eh: fine enough for central differences too.
    return two_electron_energy(mol, spin_multiplicity=mol.spin + 1, tol=1e-7)


def _fci_by_finite_differences(mol):
    return _open_shell_fci_energy(mol), _central_differences(_open_shell_fci_energy, mol)


def _central_differences(energy_of, mol):
    """Gradient (Eh/bohr) of energy_of(mol) by central differences, one coordinate at a time."""
    coordinates = mol.atom_coords()
    gradient = np.zeros_like(coordinates)
    for index in np.ndindex(*coordinates.shape):
        shifted = []
        for sign in (1, -1):
            moved = coordinates.copy()
            moved[index] += sign * FINITE_DIFFERENCE_STEP_BOHR
            shifted.append(energy_of(mol.set_geom_(moved, unit="Bohr", inplace=False)))
        gradient[index] = (shifted[0] - shifted[1]) / (2 * FINITE_DIFFERENCE_STEP_BOHR)
    return gradient


def _open_shell_fci_energy(mol):
    from pyscf import fci
    mean_field = converged(mol, "rohf")
    solver = fci.FCI(mean_field)
    solver.conv_tol = POST_HF_CONVERGENCE_HARTREE
    solver = fci.addons.fix_spin_(solver, ss=0.5 * mol.spin * (0.5 * mol.spin + 1))
    energy = solver.kernel()[0]
    if not solver.converged:
        raise ConvergenceError(f"FCI did not converge for {_label(mol)}")
    return energy


# --- CCSD ------------------------------------------------------------------------------------

def coupled_cluster(mol):
    """RCCSD on RHF for closed shells, UCCSD on the lowest UHF otherwise; analytic gradient."""
    from pyscf import cc
    if mol.spin == 0:
        reference = converged(mol, "rhf")
    else:
        reference = lowest_unrestricted(mol, "uhf")
    solver = cc.CCSD(reference)
    solver.conv_tol = POST_HF_CONVERGENCE_HARTREE
    solver.conv_tol_normt = 1e-8
    solver.kernel()
    if not solver.converged:
        raise ConvergenceError(f"CCSD amplitudes did not converge for {_label(mol)}")
    return solver.e_tot, solver.nuc_grad_method().kernel()


# --- SCF -------------------------------------------------------------------------------------

def _mean_field(mol, kind, xc=None):
    from pyscf import dft, scf
    builders = {"rhf": scf.RHF, "rohf": scf.ROHF, "uhf": scf.UHF, "rks": dft.RKS, "uks": dft.UKS}
    mean_field = builders[kind](mol)
    if xc:
        mean_field.xc = xc
    mean_field.conv_tol = SCF_CONVERGENCE_HARTREE
    return mean_field


def converged(mol, kind, xc=None, guess=None):
    """A converged aufbau SCF solution, or a ConvergenceError naming the geometry."""
    mean_field = _run(mol, kind, xc, guess)
    if mean_field is None:
        raise ConvergenceError(f"{(xc or kind).upper()} SCF did not converge for {_label(mol)}, "
                               "not with DIIS, a level shift or the second-order solver")
    return mean_field


def _run(mol, kind, xc=None, guess=None):
    """The first of three ever more cautious SCF strategies that converges; None if none does.

    At stretched bonds the gap between the bonding and antibonding orbitals closes and DIIS
    oscillates (RKS/PBE H2 beyond ~8 Å here); a level shift without DIIS, then pyscf's
    second-order (Newton) solver, converge there.  pyscf judges convergence on the unshifted
    orbital gradient, so a converged result is a true stationary point; a non-aufbau one
    (Newton can land on one) is an excited state and is rejected.
    """
    for strategy in (_with_diis, _with_level_shift, _with_newton):
        mean_field = strategy(_mean_field(mol, kind, xc))
        mean_field.kernel(dm0=guess)
        if mean_field.converged and _is_aufbau(mean_field):
            return mean_field
    return None


def _with_diis(mean_field):
    return mean_field


def _with_level_shift(mean_field):
    mean_field.diis = None
    mean_field.level_shift = LEVEL_SHIFT_HARTREE
    mean_field.max_cycle = 500
    return mean_field


def _with_newton(mean_field):
    return mean_field.newton()


def lowest_unrestricted(mol, kind, xc=None):
    """The lowest converged, aufbau, internally stable UHF/UKS solution that can be found.

    pyscf's default guess keeps a stretched singlet spin-restricted (the wrong, ionic limit).
    The broken-symmetry guess mixes HOMO and LUMO of the converged restricted solution
    (σg ± σu: one electron on each atom, opposite spins) and reaches the lower solution beyond
    the Coulson–Fischer point; stability analysis catches what both guesses miss.
    """
    default = _run(mol, kind, xc)
    seed = _run(mol, RESTRICTED_PARTNER[kind], xc) if mol.spin == 0 else default
    broken = _run(mol, kind, xc, _broken_symmetry_guess(seed)) if seed is not None else None
    found = [mf for mf in (default, broken) if mf is not None]
    if not found:
        raise ConvergenceError(f"{(xc or kind).upper()} SCF did not converge for {_label(mol)} from the "
                               "default or a broken-symmetry guess, with DIIS, a level shift or Newton")
    return _follow_instabilities(min(found, key=lambda mf: mf.e_tot), kind, xc)


RESTRICTED_PARTNER = {"uhf": "rhf", "uks": "rks"}


def _broken_symmetry_guess(mean_field):
    """(α, β) densities with HOMO and LUMO mixed at 45°, in opposite senses for the two spins."""
    coefficients, occupations = mean_field.mo_coeff, mean_field.mo_occ
    if np.ndim(occupations) == 1:   # a restricted solution: both spins share its orbitals
        coefficients, occupations = (coefficients, coefficients), (occupations / 2, occupations / 2)
    densities = []
    for sign, orbitals, occupied in zip((1, -1), coefficients, occupations):
        orbitals = np.array(orbitals, copy=True)
        homo = int(np.count_nonzero(occupied > 0)) - 1
        if 0 <= homo < orbitals.shape[1] - 1:
            pair = orbitals[:, [homo, homo + 1]].copy()
            orbitals[:, homo] = (pair[:, 0] + sign * pair[:, 1]) / np.sqrt(2)
            orbitals[:, homo + 1] = (pair[:, 1] - sign * pair[:, 0]) / np.sqrt(2)
        densities.append((orbitals * (occupied > 0)) @ orbitals.T)
    return np.array(densities)


def _is_aufbau(mean_field):
    """Every spin channel fills its lowest orbitals (a converged SCF may not, e.g. under Newton).

    Restricted open-shell orbital energies belong to an effective Fock operator with no aufbau
    meaning (ROKS puts the H atom's one electron in its third-lowest orbital): not checked.
    """
    if np.ndim(mean_field.mo_occ) == 1 and np.any(mean_field.mo_occ == 1):
        return True
    return is_aufbau(mean_field)


def _follow_instabilities(mean_field, kind, xc, rounds=2):
    """Restart from the lower-energy direction stability analysis finds, while there is one."""
    for _ in range(rounds):
        try:
            orbitals, _, stable, _ = mean_field.stability(return_status=True)
        except NotImplementedError:  # some functionals have no orbital Hessian in pyscf
            return mean_field
        if stable:
            return mean_field
        lower = _run(mean_field.mol, kind, xc, mean_field.make_rdm1(orbitals, mean_field.mo_occ))
        if lower is None or lower.e_tot > mean_field.e_tot - 1e-9:
            return mean_field
        mean_field = lower
    return mean_field


def gradient_of(mean_field):
    return mean_field.e_tot, mean_field.nuc_grad_method().kernel()


def _label(mol):
    formula = "".join(mol.atom_symbol(i) for i in range(mol.natm))
    text = f"{formula} (charge {mol.charge:+d}, spin multiplicity {mol.spin + 1}"
    if mol.natm == 2:
        distance = np.linalg.norm(np.diff(mol.atom_coords(), axis=0)) * BOHR_ANGSTROM
        text += f", r = {distance:.4g} Å"
    return text + ")"
