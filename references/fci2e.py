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

The lowest triplet is not always the state one wants: at R ≤ 0.74 Å an unconstrained
triplet lands on ³Σg⁺ (σg σg' with a diffuse σg'), below the repulsive b³Σu⁺ (σg σu).
``sigma_parity="u"`` keeps only two-electron functions that are odd under inversion
through the bond midpoint and even under the C2 rotation about the bond axis: in the
orbital basis both operators are diagonal (±1 per orbital), so the constraint is a mask
on C.  Among the ungerade states this excludes Π (odd under C2), leaving Σu⁺ lowest.
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


def two_electron_energy(mol, spin_multiplicity=1, tol=1e-6, max_iter=100, sigma_parity=None):
    """Lowest two-electron state of the given multiplicity (1 = singlet, 3 = triplet).

    sigma_parity "g" or "u" restricts a homonuclear diatomic along z to Σ (and Δ) states of
    that inversion parity (see the module docstring); None: no spatial constraint.
    The energy error of the converged Ritz value is of order tol² (1e-12 Eh).
    """
    if spin_multiplicity not in (1, 3):
        raise ValueError("two electrons form a singlet (1) or a triplet (3)")
    symmetry = 1.0 if spin_multiplicity == 1 else -1.0
    eri = mol.intor("int2e", aosym="s8")   # in core: ~0.7 GB for aug-cc-pV5Z H2
    labels = None if sigma_parity is None else _sector_basis(mol)
    basis, diagonal = _fock_eigenbasis(mol, eri, labels)
    hcore = basis.T @ scf.hf.get_hcore(mol) @ basis
    mask = None if sigma_parity is None else _sigma_mask(labels, sigma_parity)

    def apply_hamiltonian(c):
        density = basis @ c @ basis.T
        vk = scf.hf.dot_eri_dm(eri, density, hermi=1 if symmetry > 0 else 0, with_j=False)[1]
        # dot_eri_dm contracts (ik|lj) D_lk; for a real basis that is Σ_kl (ik|jl) D_kl.
        return hcore @ c + c @ hcore + basis.T @ vk @ basis

    guess = _lowest_pair(diagonal, symmetry, mask)
    energy, residual, iterations = _davidson(apply_hamiltonian, diagonal, guess, symmetry, tol,
                                             max_iter, mask=mask)
    return FCIResult(energy + mol.energy_nuc(), residual, iterations, basis.shape[1])


def _fock_eigenbasis(mol, eri, sectors=None):
    """Orthonormal orbitals that diagonalize an RHF-like Fock operator, and pair energies ε_i + ε_j.

    The orbital energies only precondition the solver; the converged FCI energy does
    not depend on them.  The Fock operator is that of the lowest core orbital doubly
    occupied, so no SCF (which may misbehave with near-linear dependence) is needed.
    With sectors (from _sector_basis) the orbitals are diagonalized within each symmetry
    sector, so each keeps its (inversion, C2) labels; the labels are updated in place.
    """
    x = orthonormal_basis(mol) if sectors is None else sectors["basis"]
    hcore = scf.hf.get_hcore(mol)

    def diagonalize(matrix):
        if sectors is None:
            return scipy.linalg.eigh(matrix)
        return _blockwise_eigh(matrix, sectors)

    eps, u = diagonalize(x.T @ hcore @ x)
    for _ in range(10):   # a few fixed-point steps towards the RHF orbital are enough
        orbital = x @ u[:, np.argmin(eps)][:, None]
        vj, vk = scf.hf.dot_eri_dm(eri, 2 * orbital @ orbital.T, hermi=1)
        eps_new, u = diagonalize(x.T @ (hcore + vj - 0.5 * vk) @ x)
        if np.abs(eps_new.min() - eps.min()) < 1e-6:
            break
        eps = eps_new
    order = np.argsort(eps_new)
    eps_new, u = eps_new[order], u[:, order]
    if sectors is not None:
        sectors["labels"] = sectors["labels"][order]
        sectors["basis"] = x @ u
    basis = x @ u
    diagonal = eps_new[:, None] + eps_new[None, :]
    return basis, diagonal


# --- spatial symmetry of a homonuclear diatomic on the z axis ----------------------------------

def _symmetry_operators(mol):
    """AO matrices T of the inversion through the bond midpoint and the C2 rotation about z.

    Î χ_μ = s_μ χ_partner(μ): inversion swaps the atoms and multiplies a shell of angular
    momentum l by (-1)^l; C2(z) keeps the atom and multiplies a real harmonic by (-1)^|m|.
    """
    coords = mol.atom_coords()
    if mol.natm != 2 or np.abs(coords[:, :2]).max() > 1e-12 or mol.atom_charges()[0] != mol.atom_charges()[1]:
        raise ValueError("sigma_parity needs a homonuclear diatomic on the z axis")
    n = mol.nao_nr()
    half = n // 2
    inversion, rotation = np.zeros((n, n)), np.zeros((n, n))
    for shell in range(mol.nbas):
        l = mol.bas_angular(shell)
        start = mol.ao_loc_nr()[shell]
        # pyscf's spherical order: p as (x, y, z); l ≥ 2 as m = -l..l
        abs_m = [1, 1, 0] if l == 1 else [abs(m) for m in range(-l, l + 1)]
        for c in range(mol.bas_nctr(shell)):
            for k, m in enumerate(abs_m):
                mu = start + c * (2 * l + 1) + k
                partner = mu + half if mu < half else mu - half
                inversion[partner, mu] = (-1) ** l
                rotation[mu, mu] = (-1) ** m
    if any(mol.bas_atom(s) != (0 if mol.ao_loc_nr()[s] < half else 1) for s in range(mol.nbas)):
        raise ValueError("sigma_parity needs the same basis on both atoms")
    return inversion, rotation


def _sector_basis(mol):
    """An orthonormal basis in which inversion and C2(z) are diagonal, with their ±1 labels."""
    x = orthonormal_basis(mol)
    s = mol.intor("int1e_ovlp")
    inversion, rotation = _symmetry_operators(mol)
    p_inv, p_rot = x.T @ s @ inversion @ x, x.T @ s @ rotation @ x
    # the two commute and square to 1: eigenvalues of P_inv + 2 P_rot (−3, −1, 1, 3) label both
    values, vectors = scipy.linalg.eigh(0.5 * ((p_inv + 2 * p_rot) + (p_inv + 2 * p_rot).T))
    rounded = np.round(values)
    if np.abs(values - rounded).max() > 1e-8:
        raise RuntimeError("the basis is not closed under the symmetry operations")
    labels = np.array([(1 if v in (-1, 3) else -1, 1 if v > 0 else -1) for v in rounded])
    return {"basis": x @ vectors, "labels": labels}   # labels[:, 0] inversion, [:, 1] C2


def _blockwise_eigh(matrix, sectors):
    """Eigenpairs of a symmetric operator that commutes with the symmetry, sector by sector."""
    labels = sectors["labels"]
    eps, u = np.zeros(len(labels)), np.zeros((len(labels), len(labels)))
    for key in {tuple(k) for k in labels}:
        idx = np.flatnonzero((labels == key).all(axis=1))
        e, v = scipy.linalg.eigh(matrix[np.ix_(idx, idx)])
        eps[idx], u[np.ix_(idx, idx)] = e, v
    return eps, u


def _sigma_mask(sectors, parity):
    """1 where φ_i(1) φ_j(2) has the requested inversion parity and is even under C2(z)."""
    inversion, rotation = sectors["labels"][:, 0], sectors["labels"][:, 1]
    wanted = {"g": 1, "u": -1}[parity]
    return ((np.outer(inversion, inversion) == wanted)
            & (np.outer(rotation, rotation) == 1)).astype(float)


def _lowest_pair(diagonal, symmetry, mask=None):
    """Start from the lowest orbital pair allowed by the permutation (and spatial) symmetry."""
    n = diagonal.shape[0]
    allowed = np.ones((n, n)) if mask is None else mask
    if symmetry < 0:
        allowed = allowed * (1 - np.eye(n))
    i, j = np.unravel_index(np.argmin(np.where(allowed > 0, diagonal, np.inf)), diagonal.shape)
    guess = np.zeros((n, n))
    guess[i, j] += 1.0
    guess[j, i] += symmetry
    return guess / np.linalg.norm(guess)


def _symmetrize(c, symmetry):
    return 0.5 * (c + symmetry * c.T)


def _davidson(apply, diagonal, guess, symmetry, tol, max_iter, max_space=40, mask=None):
    if mask is not None:   # keep every vector, and its image, inside the symmetry sector
        unmasked = apply
        apply = lambda c: unmasked(c) * mask
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
        if mask is not None:
            t = t * mask
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
    from mlip_conformance.references.constants import angstrom_to_bohr
    r = angstrom_to_bohr(r_angstrom)
    return gto.M(atom=[["H", (0, 0, 0)], ["H", (0, 0, r)]], unit="Bohr", basis=basis,
                 charge=charge, spin=spin, verbose=0)


def atom(symbol, basis, spin):
    return gto.M(atom=[[symbol, (0, 0, 0)]], unit="Bohr", basis=basis, spin=spin, verbose=0)
