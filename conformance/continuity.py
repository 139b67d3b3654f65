"""Energy is the integral of the force along a scan: find where it is not, and say what it is.

Along a diatomic scan the bond force F (on the second atom, along the bond, > 0 repulsive) is
−dE/dr, so between two bond lengths a < b

    E(b) − E(a) + ∫ₐᵇ F dr = 0.

On the grid the integral is the trapezoid rule with its Euler–Maclaurin end correction,
(F(a) + F(b)) h/2 − h²/12 (F′(b) − F′(a)), F′ from the neighbouring forces.  What remains
of the residual for a smooth curve is of order h⁴; the size of the correction itself bounds
what the grid cannot resolve.  An interval whose residual exceeds that bound (plus the
round-off floor) is refined: its midpoint is evaluated and the sub-interval holding most of
the residual is split again, down to a resolution.  Either the residual then fits inside the
refined integration error (the grid was too coarse for the curvature: no finding), or it stays:
concentrated in one small sub-interval it is a step of the energy (a hard cutoff, a switch of
neighbour list, a cap on neighbours); spread over the interval it is a force that is not the
derivative of the energy.
"""

from dataclasses import dataclass

import numpy as np

from mlip_conformance.conformance import tolerances as tol

__all__ = ["Mismatch", "find_mismatches", "allowed_residual"]


@dataclass(frozen=True)
class Leaf:
    x: float
    y: float
    residual: float      # E(y) − E(x) + ∫ F over [x, y], eV
    correction: float    # |h²/12 (F′(y) − F′(x))|: what the grid leaves unresolved, eV
    force_change: float  # F(y) − F(x), eV/Å


@dataclass(frozen=True)
class Mismatch:
    a: float             # the grid interval, Å
    b: float
    residual: float      # over [a, b] after refinement, eV
    allowed: float       # floor + integration error, eV
    worst: Leaf          # the sub-interval holding most of the residual

    @property
    def is_step(self):
        """The residual sits in one small sub-interval: the energy jumps there."""
        return abs(self.worst.residual) >= 0.5 * abs(self.residual)


def allowed_residual(energies, correction):
    """What an interval may miss by: the round-off floor of its two energies plus the part of
    the integral the grid cannot resolve."""
    return max(tol.CONTINUITY_ENERGY_EV, tol.CONTINUITY_RELATIVE * sum(abs(e) for e in energies)) + correction


def _leaf(x, y, ex, ey, fx, fy, dfx, dfy):
    h = y - x
    correction = h * h / 12.0 * (dfy - dfx)
    return Leaf(x, y, ey - ex + 0.5 * (fx + fy) * h - correction, abs(correction), fy - fx)


def grid_leaves(r, energies, forces):
    """One leaf per grid interval, with F′ from the neighbouring forces (numpy.gradient)."""
    slopes = np.gradient(forces, r, edge_order=2)
    return [_leaf(r[i], r[i + 1], energies[i], energies[i + 1], forces[i], forces[i + 1], slopes[i], slopes[i + 1])
            for i in range(len(r) - 1)]


def find_mismatches(r, energies, forces, evaluate):
    """Grid intervals where energy and force disagree beyond the integration error, worst first.

    evaluate(list of bond lengths) -> list of (energy, bond force); called only to refine the
    (at most tol.CONTINUITY_REFINED_INTERVALS) worst intervals.  Returns (mismatches, the grid
    interval closest to failing as (Leaf, its allowed residual), evaluations used)."""
    leaves = grid_leaves(np.asarray(r), np.asarray(energies), np.asarray(forces))
    energy = dict(zip(map(float, r), map(float, energies)))
    force = dict(zip(map(float, r), map(float, forces)))
    allowances = [allowed_residual((energy[leaf.x], energy[leaf.y]), leaf.correction) for leaf in leaves]
    ratios = [abs(leaf.residual) / allowed for leaf, allowed in zip(leaves, allowances)]
    closest = max(range(len(leaves)), key=lambda i: ratios[i])
    closest = (leaves[closest], allowances[closest])
    flagged = sorted((i for i, ratio in enumerate(ratios) if ratio > 1), key=lambda i: -ratios[i])
    mismatches, used = [], 0
    for i in flagged[:tol.CONTINUITY_REFINED_INTERVALS]:
        found, n = _refine(leaves[i], energy, force, evaluate)
        used += n
        if found is not None:
            mismatches.append(found)
    unrefined = flagged[tol.CONTINUITY_REFINED_INTERVALS:]
    mismatches += [Mismatch(leaves[i].x, leaves[i].y, leaves[i].residual,
                            allowed_residual((energy[leaves[i].x], energy[leaves[i].y]), leaves[i].correction),
                            leaves[i]) for i in unrefined]
    return mismatches, closest, used


def _refine(leaf, energy, force, evaluate):
    """Bisect the leaf holding most of the residual until the residual is explained or the
    resolution is reached.  Returns (Mismatch or None, evaluations used)."""
    a, b = leaf.x, leaf.y
    leaves = [leaf]
    used = 0
    for _ in range(tol.CONTINUITY_MAX_BISECTIONS):
        worst = max(leaves, key=lambda l: abs(l.residual))
        if worst.y - worst.x <= tol.CONTINUITY_RESOLUTION_ANGSTROM:
            break
        m = 0.5 * (worst.x + worst.y)
        (e_m, f_m), = evaluate([m])
        used += 1
        energy[m], force[m] = e_m, f_m
        d_x, d_m, d_y = _quadratic_slopes((worst.x, m, worst.y), (force[worst.x], f_m, force[worst.y]))
        halves = [_leaf(worst.x, m, energy[worst.x], e_m, force[worst.x], f_m, d_x, d_m),
                  _leaf(m, worst.y, e_m, energy[worst.y], f_m, force[worst.y], d_m, d_y)]
        leaves = [l for l in leaves if l is not worst] + halves
        total = sum(l.residual for l in leaves)
        allowed = allowed_residual((energy[a], energy[b]), sum(l.correction for l in leaves))
        if abs(total) <= allowed:
            return None, used
    total = sum(l.residual for l in leaves)
    allowed = allowed_residual((energy[a], energy[b]), sum(l.correction for l in leaves))
    if abs(total) <= allowed:
        return None, used
    return Mismatch(a, b, total, allowed, max(leaves, key=lambda l: abs(l.residual))), used


def _quadratic_slopes(x, f):
    """dF/dr at three points from the parabola through them."""
    coefficients = np.polyfit(np.asarray(x) - x[1], f, 2)
    return tuple(float(np.polyval(np.polyder(coefficients), xi - x[1])) for xi in x)
