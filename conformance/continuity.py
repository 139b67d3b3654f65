"""Energy is the integral of the force along a scan: find where the energy steps, and say where.

Along a diatomic scan the bond force F (on the second atom, along the bond, > 0 repulsive) is
−dE/dr, so over any interval [x, y] the residual

    ρ = E(y) − E(x) + ∫ₓʸ F dr

vanishes.  With E and F known at both ends only, the integral is estimated by the trapezoid
rule with its Euler–Maclaurin end correction, (F(x) + F(y)) h/2 − h²/12 (F′(y) − F′(x)), F′
from neighbouring forces: what remains for a smooth curve is of order h⁴, and the size of the
correction itself measures what the points cannot resolve.  A grid interval whose residual
exceeds that (plus the round-off floor) is refined by following the residual: the half holding
most of it is bisected, one evaluation at a time.  Either the residual comes to fit the refined
integration error (the grid was coarse for the curve's curvature: no finding), or it stays
whole inside a sub-interval of 1 mÅ, more than any smooth force integrates to over so short a
distance: the energy steps there (a hard cutoff, a neighbour-list switch or cap, a change of
graph).  A residual that spreads out as it is refined is no step; where the forces are not the
derivative of the energy at all (forces 20 % too large) it spreads out and stays, and the interval
is left unresolved.  An interval still
over its allowance when the bisection depth (CONTINUITY_MAX_BISECTIONS) or the curve's budget of
evaluations (CONTINUITY_EVALUATIONS_PER_CURVE) runs out is unresolved: neither cleared nor
located, and the check fails on it, with its numbers (refine before you accuse, but do not pass
what was not refined).
"""

from dataclasses import dataclass

import numpy as np

from mlip_conformance.conformance import tolerances as tol

__all__ = ["Mismatch", "Verdict", "find_mismatches", "floor"]


@dataclass(frozen=True)
class Leaf:
    x: float
    y: float
    residual: float      # E(y) − E(x) + ∫ F over [x, y] by the corrected trapezoid, eV
    correction: float    # |h²/12 (F′(y) − F′(x))|: what the end points leave unresolved, eV
    force_change: float  # F(y) − F(x), eV/Å

    @property
    def width(self):
        return self.y - self.x


@dataclass(frozen=True)
class Verdict:
    """An interval's residual and what it is allowed, at the finest resolution it was judged."""
    x: float
    y: float
    residual: float
    allowed: float

    @property
    def ratio(self):
        return abs(self.residual) / self.allowed


@dataclass(frozen=True)
class Mismatch:
    a: float             # the grid interval, Å
    b: float
    residual: float      # the step: E(y) − E(x) + ∫F over the step's sub-interval, eV
    allowed: float       # floor + end correction + |ΔF| h over that sub-interval, eV
    step: Leaf           # the sub-interval (≤ tol.CONTINUITY_STEP_WIDTH_ANGSTROM) holding the step


def floor(energies):
    """Round-off floor of a residual built from these energies (tolerances.py)."""
    return max(tol.CONTINUITY_ENERGY_EV, tol.CONTINUITY_RELATIVE * sum(abs(e) for e in energies))


def _leaf(x, y, ex, ey, fx, fy, dfx, dfy):
    h = y - x
    correction = h * h / 12.0 * (dfy - dfx)
    return Leaf(x, y, ey - ex + 0.5 * (fx + fy) * h - correction, abs(correction), fy - fx)


def grid_leaves(r, energies, forces):
    """One leaf per grid interval, with F′ from the neighbouring forces (second order)."""
    slopes = np.gradient(forces, r, edge_order=2)
    return [_leaf(r[i], r[i + 1], energies[i], energies[i + 1], forces[i], forces[i + 1], slopes[i], slopes[i + 1])
            for i in range(len(r) - 1)]


def find_mismatches(r, energies, forces, evaluate):
    """Grid intervals where energy and force provably disagree, worst first, and those the
    refinement could not resolve.

    evaluate(list of bond lengths) -> list of (energy, bond force), used to refine the grid
    intervals that the points alone cannot clear.  Returns (mismatches, unresolved Verdicts — the
    intervals still over their allowance when the bisection depth or the curve's evaluation budget
    ran out —, the interval that came closest to its allowance once refined, as a Verdict,
    evaluations used)."""
    r, energies, forces = (np.asarray(x, dtype=float) for x in (r, energies, forces))
    leaves = grid_leaves(r, energies, forces)
    energy = dict(zip(map(float, r), map(float, energies)))
    force = dict(zip(map(float, r), map(float, forces)))
    verdicts = [Verdict(l.x, l.y, l.residual, floor((energy[l.x], energy[l.y])) + l.correction) for l in leaves]
    suspicious = sorted((i for i, v in enumerate(verdicts) if v.ratio > 1), key=lambda i: -verdicts[i].ratio)
    mismatches, unresolved, used = [], [], 0
    for i in suspicious:
        if len(mismatches) >= tol.CONTINUITY_REPORTED_INTERVALS:
            break   # the check fails already; the rest need not be told apart
        if used >= tol.CONTINUITY_EVALUATIONS_PER_CURVE:
            unresolved.append(verdicts[i])   # never refined: the budget ran out first
            continue
        found, n, verdicts[i], resolved = _refine(leaves[i], energy, force, evaluate)
        used += n
        if found is not None:
            mismatches.append(found)
        elif not resolved:
            unresolved.append(verdicts[i])
    mismatches.sort(key=lambda m: -abs(m.residual) / m.allowed)
    unresolved.sort(key=lambda v: -v.ratio)
    return mismatches, unresolved, max(verdicts, key=lambda v: v.ratio), used


def _refine(leaf, energy, force, evaluate):
    """Follow the residual: bisect the sub-interval holding most of it until the interval's
    residual is explained by the refined integration error (None), or the sub-interval is
    tol.CONTINUITY_STEP_WIDTH_ANGSTROM wide: a residual still there, beyond what any smooth
    force could integrate to over so short a distance, is a step (a Mismatch); one that has
    spread out is no step (None).  Returns (Mismatch or None, evaluations used, the Verdict
    on the interval as refined, whether it was resolved: False when the bisection depth ran out
    with the interval still over its allowance)."""
    a, b = leaf.x, leaf.y
    leaves, used = [leaf], 0
    while True:
        base = floor((energy[a], energy[b]))
        residual, allowed = sum(l.residual for l in leaves), base + sum(l.correction for l in leaves)
        if abs(residual) <= allowed:
            return None, used, Verdict(a, b, residual, allowed), True
        worst = max(leaves, key=lambda l: abs(l.residual))
        if worst.width <= tol.CONTINUITY_STEP_WIDTH_ANGSTROM:
            allowed = base + worst.correction + abs(worst.force_change) * worst.width
            found = Mismatch(a, b, worst.residual, allowed, worst) if abs(worst.residual) > allowed else None
            return found, used, Verdict(worst.x, worst.y, worst.residual, allowed), True
        if used == tol.CONTINUITY_MAX_BISECTIONS:
            return None, used, Verdict(a, b, residual, allowed), False
        leaves = [l for l in leaves if l is not worst] + _bisect(worst, energy, force, evaluate)
        used += 1


def _bisect(leaf, energy, force, evaluate):
    m = 0.5 * (leaf.x + leaf.y)
    (e_m, f_m), = evaluate([m])
    energy[m], force[m] = e_m, f_m
    d_x, d_m, d_y = _quadratic_slopes((leaf.x, m, leaf.y), (force[leaf.x], f_m, force[leaf.y]))
    return [_leaf(leaf.x, m, energy[leaf.x], e_m, force[leaf.x], f_m, d_x, d_m),
            _leaf(m, leaf.y, e_m, energy[leaf.y], f_m, force[leaf.y], d_m, d_y)]


def _quadratic_slopes(x, f):
    """dF/dr at three points from the parabola through them."""
    coefficients = np.polyfit(np.asarray(x) - x[1], f, 2)
    return tuple(float(np.polyval(np.polyder(coefficients), xi - x[1])) for xi in x)
