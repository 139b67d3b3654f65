"""Laws of every scanned curve (conformance/catalogue.py): H2, H2⁺, triplet H2, two bare
protons and 25 other diatomics, each in its stated electronic state.  None needs a reference:

- the curve has the wells its state has: a bound state exactly one, a repulsive state none, and
  a van der Waals pair whose well is at the noise floor of the laws (He2, Ne2, HeH) one or none;
  a diatomic is bound when its measured well (references/diatomics.py) is deeper than
  tolerances.BOUND_WELL_DEPTH_EV;
- the energy falls monotonically to the minimum and rises after it (a repulsive curve falls
  all the way out);
- at short range the nuclear repulsion wins: the energy rises above the separated fragments and
  keeps rising as the atoms approach, and the force pushes them apart;
- the curve ends at the sum of the model's own energies of its fragments (size consistency);
- the bond force changes sign as the shape requires (once for a well, never for a repulsive
  curve); the MLIP Arena smoothness metrics of each curve are recorded;
- the energy is the integral of the force between every two grid points (continuity: a step
  anywhere — a hard cutoff, a switch of neighbour list — is found and located by bisection);
- at the model's declared cutoff neither energy nor force jumps (a jump counts only if it persists as
  the probes close in on the cutoff); the order of continuity there and the jump of dF/dr are recorded.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.conformance import catalogue, continuity
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.refinement import assert_refined, refine
from mlip_conformance.conformance.metrics import arena_metrics, minima, monotonicity_breaks, sign_changes
from mlip_conformance.conformance.applicability import Needs, not_applicable

pytestmark = pytest.mark.law


curves = catalogue.over_curves


def _state(entry):
    if entry.bound is True:
        return "a bound state: exactly one well"
    if entry.bound is False:
        return "a repulsive state: no well"
    return "a well at the noise floor of the laws: one well or none"


@curves()
def test_curve_has_the_wells_of_its_state(scan):
    entry = scan.entry
    r, energy, _ = scan.curve.window()
    found = minima(energy, tol.WIGGLE_EV)
    allowed = {True: (1, 1), False: (0, 0), None: (0, 1)}[entry.bound]
    record("wells", f"minima of the {entry.label} curve deeper than 1 meV", len(found))
    where = ", ".join(f"{r[i]:.3g} Å ({energy[i] - scan.curve.at(entry.far).energy:+.4f} eV)" for i in found)
    assert allowed[0] <= len(found) <= allowed[1], (
        f"{entry.label}: {_state(entry)}, but the model's curve has {len(found)} minima deeper than "
        f"{tol.WIGGLE_EV * 1e3:.0f} meV" + (f" (at {where}, energies relative to E({entry.far:g} Å))" if len(found) else "")
        + (f"; the exact curve's minimum: {entry.exact_minimum}" if entry.exact_minimum else ""))


@curves()
def test_energy_is_monotonic_on_each_side_of_the_minimum(scan):
    entry = scan.entry
    r, energy, _ = scan.curve.window()
    i_min = len(energy) - 1 if entry.bound is False else int(np.argmin(energy))
    breaks = monotonicity_breaks(r, energy, i_min, tol.WIGGLE_EV)
    record("monotonicity_breaks", f"monotonicity breaks of the {entry.label} curve", len(breaks), 0, 0)
    listed = "; ".join(f"from r = {x:.3g} Å it {'rises' if d > 0 else 'drops'} by {abs(d) * 1e3:.1f} meV"
                       for x, d in breaks[:4])
    shape = ("fall monotonically all the way out (a repulsive state)" if entry.bound is False else
             f"fall monotonically to its minimum (here {r[i_min]:.3g} Å) and rise monotonically after it")
    assert not breaks, (f"the {entry.label} energy must {shape}, but it turns the wrong way {len(breaks)} "
                        f"times (by more than {tol.WIGGLE_EV * 1e3:.0f} meV): {listed}")


@curves()
def test_repulsive_wall_rises_as_the_atoms_approach(scan):
    entry = scan.entry
    r, energy, force = scan.curve.window(0.0, tol.WALL_FRACTION_OF_COVALENT_SUM * entry.covalent_sum)
    above = energy - scan.limit
    record("wall_energy", f"E({r[0]:.3g} Å) − E(fragments) of {entry.label}", above[0], units="eV")
    weak = np.flatnonzero(force <= tol.FORCE_SIGN_NOISE_EV_PER_A)
    assert len(r) and above.min() > 0 and not len(weak) and np.all(np.diff(energy) < 0), (
        f"{entry.label} at r ≤ {r[-1]:.3g} Å (0.6 × the covalent radii sum): E − E(fragments) = "
        f"{', '.join(f'{e:+.3g}' for e in above[:4])} eV at r = {', '.join(f'{x:.3g}' for x in r[:4])} Å, "
        f"bond forces {', '.join(f'{f:+.3g}' for f in force[:4])} eV/Å: as the atoms approach, the "
        "nuclear repulsion must win — the energy rises above the separated fragments and keeps rising, "
        "and the force pushes the atoms apart")


@curves(lambda entry: entry.dissociates)
def test_curve_dissociates_into_its_fragments(scan):
    entry = scan.entry
    fragments = " − ".join(f"E({f.name})" for f in entry.fragments)
    assert_close(scan.curve.at(entry.far).energy - scan.limit, 0.0, tol.CHEMICAL_ACCURACY_EV,
                 f"E({entry.name}, {entry.far:g} Å) − {fragments}",
                 "size consistency (fragments this far apart do not interact)", key="dissociation_energy")


_ARENA_UNITS = {"energy jump": "eV", "conservation deviation": "eV/Å"}


@curves()
def test_bond_force_changes_sign_as_the_shape_requires(scan):
    entry = scan.entry
    r, energy, force = scan.curve.window()
    for quantity, value in arena_metrics(r, energy, force).items():
        if np.isfinite(value):   # a Spearman coefficient of a branch with fewer than two points is NaN
            record("arena_" + quantity.lower().replace(" ", "_").replace("-", "_"), f"MLIP Arena {quantity}",
                   value, units=_ARENA_UNITS.get(quantity, ""))
    flips = sign_changes(force, tol.FORCE_SIGN_NOISE_EV_PER_A)
    allowed = {True: (1, 1), False: (0, 0), None: (0, 1)}[entry.bound]
    record("force_flips", f"sign changes of the {entry.label} bond force", flips)
    assert allowed[0] <= flips <= allowed[1] and force[0] > 0, (
        f"{entry.label}: {_state(entry)}, so its bond force is repulsive at short range and changes sign "
        + {True: "exactly once (attractive beyond the well)", False: "never",
           None: "at most once (attractive beyond a well, if there is one)"}[entry.bound]
        + f"; the model's changes sign {flips} times (forces under {tol.FORCE_SIGN_NOISE_EV_PER_A * 1e3:.0f} meV/Å "
        f"ignored) and is {force[0]:+.3g} eV/Å at {r[0]:.3g} Å")


@curves()
def test_energy_is_the_integral_of_the_force(scan, evaluator):
    entry = scan.entry
    r, energy, force = scan.curve.window()

    def evaluate(bond_lengths):
        outcomes = evaluator.predict_many([entry.structure(x) for x in bond_lengths])
        return [(o.energy, o.forces[1, 2]) for o in outcomes]

    mismatches, unresolved, closest, used = continuity.find_mismatches(r, energy, force, evaluate)
    worst = max(mismatches, key=lambda m: abs(m.residual) / m.allowed, default=None)
    if worst is not None:
        record("energy_force_mismatch", f"energy step of {entry.label} between {worst.step.x:.4f} and "
               f"{worst.step.y:.4f} Å (E(b) − E(a) + ∫F dr)", worst.residual, 0.0, worst.allowed, "eV")
        raise AssertionError(_describe(entry, worst, len(mismatches)))
    if unresolved:
        first = unresolved[0]
        record("energy_force_mismatch", f"E(b) − E(a) + ∫F dr of {entry.label} between {first.x:.4g} and "
               f"{first.y:.4g} Å (unresolved when the refinement ran out)", first.residual, 0.0, first.allowed, "eV")
        raise AssertionError(_describe_unresolved(entry, unresolved, used))
    record("energy_force_mismatch", f"E(b) − E(a) + ∫F dr of {entry.label} between {closest.x:.4g} and "
           f"{closest.y:.4g} Å (the interval closest to its allowance, as refined)", closest.residual, 0.0,
           closest.allowed, "eV")


def _describe_unresolved(entry, unresolved, used):
    listed = "; ".join(f"{v.x:.4f}–{v.y:.4f} Å: {v.residual * 1e3:+.2f} meV (allowed ±{v.allowed * 1e3:.2f} meV)"
                       for v in unresolved[:tol.CONTINUITY_REPORTED_INTERVALS])
    return (f"the {entry.label} energy is not the integral of the force on {len(unresolved)} interval(s), unresolved: "
            f"E(b) − E(a) + ∫F dr = {listed}; the refinement ran out ({used} evaluations of a budget of "
            f"{tol.CONTINUITY_EVALUATIONS_PER_CURVE}, at most {tol.CONTINUITY_MAX_BISECTIONS} bisections per interval) "
            f"before the residual either fitted the integration error of a finer grid or stayed whole inside "
            f"{tol.CONTINUITY_STEP_WIDTH_ANGSTROM * 1e3:g} mÅ: neither a step located nor a coarse grid cleared "
            "(a residual that spreads out as it is bisected, on many intervals, is a force that is not −dE/dr)")


def _describe(entry, mismatch, count):
    step = mismatch.step
    smooth = (f"while the force stays smooth (it changes by {step.force_change * 1e3:+.1f} meV/Å there)"
              if abs(step.force_change) <= tol.FORCE_SIGN_NOISE_EV_PER_A else
              f"while the force changes by only {step.force_change:+.3g} eV/Å there")
    others = f"; {count - 1} more steps on this curve" if count > 1 else ""
    return (f"the {entry.label} energy jumps by {step.residual * 1e3:+.1f} meV between {step.x:.4f} and "
            f"{step.y:.4f} Å {smooth}: the energy is not the integral of the force there (a hard cutoff, "
            f"a neighbour-list switch or cap, a change of graph; allowed ±{mismatch.allowed * 1e3:.2f} meV: "
            f"round-off and what a smooth force can do over {step.width * 1e3:.2f} mÅ){others}")


@curves()
@pytest.mark.needs(Needs(cutoff=True))
def test_curve_is_smooth_at_the_declared_cutoff(scan, evaluator, capabilities, model):
    entry = scan.entry
    c = capabilities.cutoff
    spans = catalogue.cutoff_spans()
    if not catalogue.cutoff_probes(entry, c, spans[0]):
        not_applicable(f"the declared {c:g} Å cutoff lies outside this curve's grid")

    def probe(span):   # the bond force and energy at c − span and c + span
        inside, outside = evaluator.predict_many(catalogue.cutoff_probes(entry, c, span))
        return inside, outside

    def energy_jump(span):   # what a smooth curve changes by over the 2 spans is −∫F dr: only the rest is a jump
        inside, outside = probe(span)
        residual = outside.energy - inside.energy + 0.5 * (inside.forces[1, 2] + outside.forces[1, 2]) * 2 * span
        return residual, tol.CUTOFF_ENERGY_JUMP_EV

    def force_jump(span):
        inside, outside = probe(span)
        return outside.forces[1, 2] - inside.forces[1, 2], tol.CUTOFF_FORCE_JUMP_EV_PER_A

    # a jump is a jump only if it stays as the probes close in on c (a kink of the force shrinks ∝ span)
    shrinking = dict(factor=tol.CUTOFF_PROBE_REFINEMENT_FACTOR, max_rungs=len(spans),
                     finest=tol.REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM, step_name="probes c ±")
    energy = refine(energy_jump, spans[0], units="eV", **shrinking)
    force = refine(force_jump, spans[0], units="eV/Å", **shrinking)
    order = 0 if not energy.passed else 1 if not force.passed else 2
    record("continuity_order", f"order of continuity of the {entry.name} curve at the {c:g} Å cutoff "
           "(0: the energy jumps; 1: the energy is continuous, the force jumps; 2: the force is continuous)", order)
    record("energy_jump", f"E({entry.name}, {c:g} Å + δ) − E({entry.name}, {c:g} Å − δ) + ∫F dr, "
           f"δ = {energy.last.step * 1e3:.3g} mÅ", energy.last.error, 0.0, tol.CUTOFF_ENERGY_JUMP_EV, "eV")
    record("force_jump", f"{entry.name} bond force jump across the {c:g} Å cutoff (c ± {force.last.step * 1e3:.3g} mÅ)",
           force.last.error, 0.0, tol.CUTOFF_FORCE_JUMP_EV_PER_A, "eV/Å")
    if order == 2:
        jump = _slope_jump(probe, spans[0], spans[1])
        kind = ("a kink: the force is continuous, its slope jumps (energy C¹; recorded, not a failure)"
                if abs(jump) > tol.CUTOFF_SLOPE_JUMP_EV_PER_A2 else "no kink worth describing")
        record("slope_jump", f"jump of dF/dr of the {entry.name} bond force across the {c:g} Å cutoff, "
               f"dF/dr(c⁺) − dF/dr(c⁻): {kind}", jump, units="eV/Å²")
    assert_refined(energy, (
        f"E({entry.name}, {c:g} Å + {energy.rungs[0].step * 1e3:.3g} mÅ) − E({entry.name}, {c:g} Å − "
        f"{energy.rungs[0].step * 1e3:.3g} mÅ) + ∫F dr = {energy.rungs[0].error:.6g} eV: the {entry.label} energy "
        f"jumps at the model's {c:g} Å cutoff, where a continuous energy across the cutoff (its change is −∫F dr) "
        f"changes by nothing else (tolerance ±{tol.CUTOFF_ENERGY_JUMP_EV:g} eV)"))
    assert_refined(force, (
        f"the {entry.label} bond force jumps by {force.rungs[0].error:+.4g} eV/Å across the model's {c:g} Å cutoff "
        f"(c ± {force.rungs[0].step * 1e3:.3g} mÅ; tolerance ±{tol.CUTOFF_FORCE_JUMP_EV_PER_A:g} eV/Å): forces must "
        "be continuous, or molecular dynamics does not conserve energy"))


def _slope_jump(probe, wide, narrow):
    """dF/dr just outside the cutoff minus dF/dr just inside, eV/Å², from the bond forces at c ± wide
    and c ± narrow (one-sided differences on each side: the cutoff itself is never straddled)."""
    (in_wide, out_wide), (in_narrow, out_narrow) = probe(wide), probe(narrow)
    inside = (in_narrow.forces[1, 2] - in_wide.forces[1, 2]) / (wide - narrow)
    outside = (out_wide.forces[1, 2] - out_narrow.forces[1, 2]) / (wide - narrow)
    return outside - inside
