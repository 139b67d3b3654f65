"""Full configuration interaction for two electrons, solved directly.

pyscf's general FCI builds a determinant space that is far too large for a
quintuple-zeta basis on this machine (aug-cc-pVQZ: 153 s and 8.7 GB a point).
For two electrons in a singlet the spatial wavefunction is a symmetric matrix of
coefficients, Ψ(1,2) = Σ_ij C_ij φ_i(1) φ_j(2), and the Hamiltonian acts as

    (H C)_ij = (h C + C h)_ij + Σ_kl (ik|jl) C_kl,

the last term being an exchange matrix built from C as if it were a density.
A Davidson solver over that action gives the exact (within the basis) energy in a
few seconds.  A triplet is the same with an antisymmetric C.  The test
``tests/test_references.py`` checks this solver against pyscf's own FCI.
"""

from dataclasses import dataclass

import numpy as np
import scipy.linalg
from pyscf import gto, scf

LINEAR_DEPENDENCE_CUTOFF = 1e-6
"""Overlap eigenvalues below this are dropped (canonical orthogonalization).

pyscf's own default.  A tighter cutoff (1e-10) lets near-dependent diffuse
functions through at short bond lengths and the FCI energy collapses (about
−51 Eh at 0.05 Å with aug-cc-pV5Z); at R ≥ 0.2 Å the two cutoffs agree to 3e-6 Eh.
"""


@dataclass(frozen=True)
class FCIResult:
    energy: float            # total energy, hartree, nuclear repulsion included
    residual: float          # norm of the final Davidson residual
    iterations: int
    n_basis: int             # orthonormal functions kept after removing linear dependence


def orthonormal_basis(mol):
    """Canonical orthogonalization X (AO → orthonormal) dropping near-dependent combinations."""
    s = mol.intor("int1e_ovlp")
    eigval, eigvec = scipy.linalg.eigh(s)
    keep = eigval > LINEAR_DEPENDENCE_CUTOFF
    return eigvec[:, keep] / np.sqrt(eigval[keep])


def one_electron_energy(mol):
    """Exact energy of a one-electron system within the basis (H, H2⁺, ...)."""
    x = orthonormal_basis(mol)
    h = x.T @ scf.hf.get_hcore(mol) @ x
    return float(scipy.linalg.eigvalsh(h)[0] + mol.energy_nuc())


def two_electron_energy(mol, spin_multiplicity=1, tol=1e-6, max_iter=100):
    """Lowest two-electron state of the given multiplicity (1 = singlet, 3 = triplet).

    The energy error of the converged Ritz value is of order tol² (1e-12 Eh).
    """
    if spin_multiplicity not in (1, 3):
        raise ValueError("two electrons form a singlet (1) or a triplet (3)")
    symmetry = 1.0 if spin_multiplicity == 1 else -1.0
    eri = mol.intor("int2e", aosym="s8")   # in core: ~0.7 GB for aug-cc-pV5Z H2
    basis, diagonal = _fock_eigenbasis(mol, eri)
    hcore = basis.T @ scf.hf.get_hcore(mol) @ basis

    def apply_hamiltonian(c):
        density = basis @ c @ basis.T
        vk = scf.hf.dot_eri_dm(eri, density, hermi=1 if symmetry > 0 else 0, with_j=False)[1]
        # dot_eri_dm contracts (ik|lj) D_lk; for a real basis that is Σ_kl (ik|jl) D_kl.
        return hcore @ c + c @ hcore + basis.T @ vk @ basis

    guess = _lowest_pair(diagonal, symmetry)
    energy, residual, iterations = _davidson(apply_hamiltonian, diagonal, guess, symmetry, tol, max_iter)
    return FCIResult(energy + mol.energy_nuc(), residual, iterations, basis.shape[1])


def _fock_eigenbasis(mol, eri):
    """Orthonormal orbitals that diagonalize an RHF-like Fock operator, and pair energies ε_i + ε_j.

    The orbital energies only precondition the solver; the converged FCI energy does
    not depend on them.  The Fock operator is that of the lowest core orbital doubly
    occupied, so no SCF (which may misbehave with near-linear dependence) is needed.
    """
    x = orthonormal_basis(mol)
    hcore = scf.hf.get_hcore(mol)
    eps, u = scipy.linalg.eigh(x.T @ hcore @ x)
    for _ in range(10):   # a few fixed-point steps towards the RHF orbital are enough
        orbital = x @ u[:, :1]
        vj, vk = scf.hf.dot_eri_dm(eri, 2 * orbital @ orbital.T, hermi=1)
        eps_new, u = scipy.linalg.eigh(x.T @ (hcore + vj - 0.5 * vk) @ x)
        if np.abs(eps_new[0] - eps[0]) < 1e-6:
            break
        eps = eps_new
    basis = x @ u
    diagonal = eps_new[:, None] + eps_new[None, :]
    return basis, diagonal


def _lowest_pair(diagonal, symmetry):
    """Start from the lowest orbital pair allowed by the permutation symmetry."""
    n = diagonal.shape[0]
    guess = np.zeros((n, n))
    if symmetry > 0:
        guess[0, 0] = 1.0
    else:
        guess[0, 1], guess[1, 0] = 1.0, -1.0
    return guess / np.linalg.norm(guess)


def _symmetrize(c, symmetry):
    return 0.5 * (c + symmetry * c.T)


def _davidson(apply, diagonal, guess, symmetry, tol, max_iter, max_space=40):
    vectors, images = [guess], [apply(guess)]
    for iteration in range(1, max_iter + 1):
        sub = np.array([[np.vdot(v, a) for a in images] for v in vectors])
        theta, y = scipy.linalg.eigh(0.5 * (sub + sub.T))
        theta, y = theta[0], y[:, 0]
        x = sum(yi * v for yi, v in zip(y, vectors))
        ax = sum(yi * a for yi, a in zip(y, images))
        residual = ax - theta * x
        norm = np.linalg.norm(residual)
        if norm < tol:
            return theta, norm, iteration
        denominator = theta - diagonal
        denominator[np.abs(denominator) < 1e-8] = 1e-8
        t = _symmetrize(residual / denominator, symmetry)
        if len(vectors) >= max_space:  # restart from the current best vector
            vectors, images = [x / np.linalg.norm(x)], [ax / np.linalg.norm(x)]
        for _ in range(2):
            for v in vectors:
                t = t - np.vdot(v, t) * v
        t /= np.linalg.norm(t)
        vectors.append(t)
        images.append(apply(t))
    raise RuntimeError(f"Davidson did not converge in {max_iter} iterations (residual {norm:.2e})")


def h2_molecule(r_angstrom, basis, charge=0, spin=0):
    """H2 at bond length r (Å), built in bohr with our CODATA 2018 bohr, not pyscf's."""
    from references.constants import angstrom_to_bohr
    r = angstrom_to_bohr(r_angstrom)
    return gto.M(atom=[["H", (0, 0, 0)], ["H", (0, 0, r)]], unit="Bohr", basis=basis,
                 charge=charge, spin=spin, verbose=0)


def atom(symbol, basis, spin):
    return gto.M(atom=[[symbol, (0, 0, 0)]], unit="Bohr", basis=basis, spin=spin, verbose=0)
