"""Shape and spectroscopic metrics of a diatomic potential-energy curve.

Inputs are bond lengths r (Å, increasing), energies E (eV) and bond forces F (eV/Å,
positive = repulsive).  Each function is checked on analytic curves in tests/test_metrics.py.
"""

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks
from scipy.stats import spearmanr

from mlip_conformance.references.constants import (ATOMIC_MASS_UNIT_KG, ELEMENTARY_CHARGE_C,
                                  SPEED_OF_LIGHT_CM_S)


def minima(energies, wiggle):
    """Indices of the interior local minima whose prominence (the smaller of the rises
    needed to escape to either side) exceeds wiggle."""
    indices, _ = find_peaks(-np.asarray(energies), prominence=wiggle)
    return indices


def monotonicity_breaks(r, energies, i_min, wiggle):
    """Where the curve turns the wrong way by more than wiggle: before r[i_min] it must not rise
    above its running minimum, after it it must not drop below its running maximum.

    Returns one (r where the break starts, largest excess in eV) per break; the excess is
    positive for a rise before the minimum and negative for a drop after it.
    """
    falling = energies[: i_min + 1]
    rising = energies[i_min:]
    return (_episodes(r[: i_min + 1], falling - np.minimum.accumulate(falling), wiggle, +1)
            + _episodes(r[i_min:], np.maximum.accumulate(rising) - rising, wiggle, -1))


def _episodes(r, excess, wiggle, sign):
    bad = excess > wiggle
    starts = np.flatnonzero(bad & ~np.concatenate([[False], bad[:-1]]))
    episodes = []
    for start in starts:
        end = start + np.argmin(bad[start:]) if not bad[start:].all() else len(bad)
        episodes.append((float(r[start]), sign * float(excess[start:end].max())))
    return episodes


def sign_changes(values, noise):
    """Number of sign changes of values, treating |value| < noise as zero (MLIP Arena 'flips')."""
    signs = np.sign(np.where(np.abs(values) < noise, 0.0, values))
    signs = signs[signs != 0]
    return int(np.count_nonzero(np.diff(signs)))


@dataclass(frozen=True)
class Well:
    r_e: float          # Å
    energy: float       # eV at r_e
    curvature: float    # d²E/dr² at r_e, eV/Å²


def fit_well(r, energies, half_width=0.04):
    """Equilibrium bond length, minimum energy and curvature from a quartic fit of the points
    within half_width Å of the lowest grid point."""
    i = int(np.argmin(energies))
    near = np.abs(r - r[i]) <= half_width + 1e-9
    if near.sum() < 5:
        raise ValueError(f"need 5 points within {half_width} Å of the minimum at {r[i]:.3f} Å, "
                         f"have {near.sum()}")
    x = r[near] - r[i]
    poly = np.polynomial.Polynomial.fit(x, energies[near], 4).convert()
    stationary = [z.real for z in poly.deriv().roots()
                  if abs(z.imag) < 1e-12 and abs(z.real) <= half_width and poly.deriv(2)(z.real) > 0]
    if not stationary:
        raise ValueError(f"no minimum of the fitted quartic near {r[i]:.3f} Å")
    x_e = min(stationary, key=abs)
    return Well(r[i] + x_e, float(poly(x_e)), float(poly.deriv(2)(x_e)))


@dataclass(frozen=True)
class LowestPoint:
    """Where a curve is lowest, on a grid of any spacing (measured_well)."""

    r_e: float          # Å: the fitted minimum, or the lowest grid point where no fit is possible
    fitted: bool        # False: the lowest grid point has fewer than two neighbours on a side, or no quartic minimum
    r_lowest: float     # Å: the lowest grid point
    depth: float        # eV: E(far) − E(minimum), 0 for a curve that is lowest at its far end


def measured_well(r, energies, far_energy):
    """The minimum of a curve sampled on a non-uniform grid, fitted as fit_well does, over the lowest
    grid point and at least two neighbours on each side (half width: the wider two-step span around
    it), and its depth below far_energy."""
    r, energies = np.asarray(r), np.asarray(energies)
    i = int(np.argmin(energies))
    if 2 <= i <= len(r) - 3:
        span = max(r[i + 2] - r[i], r[i] - r[i - 2])
        try:
            well = fit_well(r, energies, half_width=span * (1 + 1e-6))
        except ValueError:   # no minimum of the quartic near the lowest point
            pass
        else:
            return LowestPoint(float(well.r_e), True, float(r[i]), float(far_energy - well.energy))
    return LowestPoint(float(r[i]), False, float(r[i]), float(far_energy - energies[i]))


def harmonic_wavenumber(curvature, reduced_mass_u):
    """ωe in cm⁻¹ from the curvature (eV/Å²) and the reduced mass (u): ω = √(k/μ)/(2πc)."""
    k_si = curvature * ELEMENTARY_CHARGE_C / 1e-20
    mu_si = reduced_mass_u * ATOMIC_MASS_UNIT_KG
    return float(np.sqrt(k_si / mu_si) / (2 * np.pi * SPEED_OF_LIGHT_CM_S))


ARENA_FORCE_NOISE_EV_PER_A = 1e-2
ARENA_ENERGY_NOISE_EV = 1e-3


def _flips(signs):
    """Sign changes of a sequence of signs after dropping its zeros."""
    signs = signs[signs != 0]
    return np.flatnonzero(np.diff(signs))


def arena_metrics(r, energies, forces):
    """The MLIP Arena homonuclear-diatomic smoothness metrics of one curve.

    Definitions as in MLIP Arena's diatomics analysis (Y. Chiang et al., "MLIP Arena", NeurIPS 2025
    Datasets & Benchmarks; github.com/atomind-ai/mlip-arena, mlip_arena/tasks/diatomics/run.py,
    analyze()), re-implemented here: the curve is read from the far end inwards, energies relative
    to the farthest point, bond force F > 0 repulsive.
    - force flips: sign changes of F, forces under 10 meV/Å counted as zero;
    - energy-difference flips: sign changes of successive differences ΔE, |ΔE| < 1 meV as zero;
    - energy jump: Σ over those flips of |ΔE| on both sides of the flip (eV);
    - tortuosity: Σ|ΔE| / (|E_far − E_min| + (E_near − E_min)); 1 for one clean well or a
      monotonic curve, larger for every detour;
    - conservation deviation: mean |F + dE/dr| with dE/dr from numpy.gradient on the grid (eV/Å);
    - Spearman repulsion: rank correlation of r and E from the minimum inwards (−1: the
      energy rises at every step towards short range);
    - Spearman attraction: the same from the far end to the minimum (+1 ideal).
    """
    order = np.argsort(r)[::-1]
    r, e, f = np.asarray(r)[order], np.asarray(energies)[order] - energies[order[0]], np.asarray(forces)[order]
    step = np.diff(e)
    quiet_step = np.where(np.abs(step) < ARENA_ENERGY_NOISE_EV, 0.0, step)
    kept = quiet_step[quiet_step != 0]
    flips = _flips(np.sign(kept))
    i_min = int(np.argmin(e))
    total_variation = float(np.abs(step).sum())
    span = abs(e[0] - e[i_min]) + (e[-1] - e[i_min])

    def spearman(x, y):
        return float(spearmanr(x, y).statistic) if len(x) > 1 and np.ptp(y) > 0 else float("nan")

    return {
        "force flips": len(_flips(np.sign(np.where(np.abs(f) < ARENA_FORCE_NOISE_EV_PER_A, 0.0, f)))),
        "energy-difference flips": len(flips),
        "energy jump": float(np.abs(kept[flips]).sum() + np.abs(kept[flips + 1]).sum()),
        "tortuosity": float(total_variation / span) if span > 0 else float("nan"),
        "conservation deviation": float(np.mean(np.abs(f + np.gradient(e, r)))),
        "Spearman repulsion": spearman(r[i_min:], e[i_min:]),
        "Spearman attraction": spearman(r[:i_min], e[:i_min]),
    }
