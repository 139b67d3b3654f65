"""The exact clamped-nuclei ground state of H2⁺ (1sσg), by separation of variables.

One electron, two fixed protons a distance R apart (atomic units).  In prolate spheroidal
coordinates ξ = (r_A + r_B)/R ∈ [1, ∞), η = (r_A − r_B)/R ∈ [−1, 1] the Schrödinger
equation separates, ψ = X(ξ) Y(η) (m = 0 for a σ state), with p² = −R² E_el / 2 and a
separation constant A:

    d/dη[(1 − η²) Y'] + (−A + p² η²) Y = 0                      (angular)
    d/dξ[(ξ² − 1) X'] + (A + 2R ξ − p² ξ²) X = 0                  (radial)

Angular: in normalized Legendre polynomials the operator is −l(l+1) + p² η², tridiagonal
in even l (gerade); the ground state has its largest eigenvalue A_ang(p).
Radial (G. Jaffé, Z. Phys. 87, 535 (1934)): X = (ξ + 1)^σ e^{−pξ} Σ g_n x^n with
x = (ξ − 1)/(ξ + 1) and σ = R/p − 1; substitution gives (derived here, checked numerically
against Madsen & Peek) the three-term recurrence

    p (k+1)² g_{k+1} + [−2p k(k−1) + k(2R − 4p² − 4p) + C0] g_k
        + [p (k−1)(k−2) + (k−1)(3p − 2R) + C1] g_{k−1} = 0,
    C0 = A p + 2R p + R − p³ − 2p² − p,   C1 = (R − p)² / p,

whose minimal solution (the one that stays finite as ξ → ∞) exists only where the
continued fraction below vanishes.  E_el follows from the p at which the radial and angular
equations share A.  The ground state is the only σg root with −2 < E_el < −1/2, i.e.
R/2 < p < R.  Total energy E = E_el + 1/R.  Numpy/scipy only; ~1 ms a point.
"""

from functools import lru_cache

import numpy as np
import scipy.linalg
import scipy.optimize

LEGENDRE_TERMS = 40        # even l = 0 … 78: A_ang converged to machine precision for p ≤ 20
RECURRENCE_TERMS = 1000    # depth of the continued fraction: 500 and 4000 agree to 1e-15 Eh over 0.3–20 bohr


def angular_eigenvalue(p):
    """Largest separation constant A of the gerade m = 0 angular equation."""
    l = 2 * np.arange(LEGENDRE_TERMS)
    # <l|η²|l> and <l|η²|l+2> in normalized Legendre polynomials
    diagonal = (2 * l * l + 2 * l - 1) / ((2 * l - 1) * (2 * l + 3)) * p * p - l * (l + 1)
    lu = l[:-1]
    off = (lu + 1) * (lu + 2) / ((2 * lu + 3) * np.sqrt((2 * lu + 1) * (2 * lu + 5))) * p * p
    return scipy.linalg.eigvalsh_tridiagonal(diagonal, off)[-1]


def radial_condition(p, r_bohr, a):
    """β0 + α0 g1/g0 of the minimal solution of Jaffé's recurrence; zero at an eigenvalue."""
    c0 = a * p + 2 * r_bohr * p + r_bohr - p ** 3 - 2 * p * p - p
    c1 = (r_bohr - p) ** 2 / p
    ratio = 0.0   # g_{k+1}/g_k at the far end of the minimal solution
    for k in range(RECURRENCE_TERMS, 0, -1):
        alpha = p * (k + 1) ** 2
        beta = -2 * p * k * (k - 1) + k * (2 * r_bohr - 4 * p * p - 4 * p) + c0
        gamma = p * (k - 1) * (k - 2) + (k - 1) * (3 * p - 2 * r_bohr) + c1
        ratio = -gamma / (beta + alpha * ratio)
    return c0 + p * ratio   # k = 0: α0 = p, β0 = C0


def _mismatch(p, r_bohr):
    return radial_condition(p, r_bohr, angular_eigenvalue(p))


@lru_cache(maxsize=None)
def electronic_energy(r_bohr):
    """E_el(R) of the 1sσg state in hartree (nuclear repulsion not included)."""
    r_bohr = float(r_bohr)
    grid = np.linspace(0.5 * r_bohr, r_bohr, 61)[1:]
    values = np.array([_mismatch(p, r_bohr) for p in grid])
    roots = []
    for a, b, fa, fb in zip(grid[:-1], grid[1:], values[:-1], values[1:]):
        if np.sign(fa) != np.sign(fb):
            p = scipy.optimize.brentq(_mismatch, a, b, args=(r_bohr,), xtol=1e-15, rtol=1e-15)
            # a sign change across a pole of the continued fraction is not a root
            if abs(_mismatch(p, r_bohr)) < 1e-8 * max(1.0, abs(fa), abs(fb)):
                roots.append(p)
    if len(roots) != 1:
        raise RuntimeError(f"H2+ at R = {r_bohr} bohr: expected one 1sσg root, found {roots}")
    p = roots[0]
    return -2 * p * p / (r_bohr * r_bohr)


def total_energy(r_bohr):
    """Clamped-nuclei H2⁺ ground-state energy at R (bohr), hartree, 1/R included."""
    return electronic_energy(r_bohr) + 1.0 / r_bohr


def minimum():
    """(Re in bohr, E(Re) in hartree) of the 1sσg curve."""
    result = scipy.optimize.minimize_scalar(lambda r: total_energy(r), bracket=(1.9, 2.0, 2.1),
                                            tol=1e-12)
    return float(result.x), float(result.fun)
