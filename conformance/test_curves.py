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
- at the model's declared cutoff nothing jumps.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.conformance import catalogue, continuity
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.metrics import arena_metrics, minima, monotonicity_breaks, sign_changes
from mlip_conformance.conformance.applicability import not_applicable

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

    mismatches, closest, _ = continuity.find_mismatches(r, energy, force, evaluate)
    worst = max(mismatches, key=lambda m: abs(m.residual) / m.allowed, default=None)
    if worst is None:
        record("energy_force_mismatch", f"E(b) − E(a) + ∫F dr of {entry.label} between {closest.x:.4g} and "
               f"{closest.y:.4g} Å (the interval closest to its allowance, as refined)", closest.residual, 0.0,
               closest.allowed, "eV")
        return
    record("energy_force_mismatch", f"energy step of {entry.label} between {worst.step.x:.4f} and "
           f"{worst.step.y:.4f} Å (E(b) − E(a) + ∫F dr)", worst.residual, 0.0, worst.allowed, "eV")
    raise AssertionError(_describe(entry, worst, len(mismatches)))


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
def test_curve_is_smooth_at_the_declared_cutoff(scan, evaluator, capabilities, model):
    entry = scan.entry
    c = capabilities.cutoff
    if not c:
        not_applicable(f"{model.name} declares no cutoff")
    probes = catalogue.cutoff_probes(entry, c)
    if not probes:
        not_applicable(f"the declared {c:g} Å cutoff lies outside this curve's grid")
    inside, outside = evaluator.predict_many(probes)
    # what a smooth curve changes by over the 2 mÅ is −∫F dr: only the rest is a jump
    span = 2 * tol.CUTOFF_PROBE_ANGSTROM
    energy_jump = outside.energy - inside.energy + 0.5 * (inside.forces[1, 2] + outside.forces[1, 2]) * span
    force_jump = outside.forces[1, 2] - inside.forces[1, 2]
    record("force_jump", f"{entry.name} bond force jump across the {c:g} Å cutoff", force_jump, 0.0,
           tol.CUTOFF_FORCE_JUMP_EV_PER_A, "eV/Å")
    assert_close(energy_jump, 0.0, tol.CUTOFF_ENERGY_JUMP_EV,
                 f"E({entry.name}, {c:g} Å + 1 mÅ) − E({entry.name}, {c:g} Å − 1 mÅ) + ∫F dr",
                 "a continuous energy across the cutoff (its change is −∫F dr)", key="energy_jump")
    assert abs(force_jump) <= tol.CUTOFF_FORCE_JUMP_EV_PER_A, (
        f"the {entry.label} bond force jumps by {force_jump:+.4g} eV/Å across the model's {c:g} Å cutoff "
        f"(tolerance ±{tol.CUTOFF_FORCE_JUMP_EV_PER_A:g} eV/Å): forces must be continuous, or "
        "molecular dynamics does not conserve energy")
