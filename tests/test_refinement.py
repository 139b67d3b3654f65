"""Self-tests of refinement (conformance/refinement.py) on synthetic measures, and of the
continuity check's unresolved intervals (conformance/continuity.py): a real defect persists as the
step shrinks, an artefact of a kink or a steep smooth feature shrinks with it, and what neither
clears nor locates fails as unresolved, with the numbers at each step."""

import numpy as np
import pytest

from mlip_conformance.conformance import catalogue, continuity
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.refinement import assert_refined, refine

ALLOWED = 0.01


def constant(error):
    return lambda step: (error, ALLOWED)


def test_within_the_allowance_at_the_first_step_passes_without_refining():
    steps = []

    def measure(h):
        steps.append(h)
        return 0.5 * ALLOWED, ALLOWED
    found = refine(measure, 1e-3)
    assert found.outcome == "passed" and steps == [1e-3] and len(found.rungs) == 1


@pytest.mark.parametrize("power", [1, 2], ids=["kink", "steep-smooth"])
def test_an_error_that_shrinks_with_the_step_is_an_artefact(power):
    # a kink errs by O(h), a smooth steep feature by O(h²): over the allowance at 2 mÅ, within it a rung later
    found = refine(lambda h: ((h / 2e-3) ** power * 3 * ALLOWED, ALLOWED), 2e-3)
    assert found.outcome == "artefact" and found.passed
    assert [r.step for r in found.rungs] == [2e-3, 2e-3 / tol.REFINEMENT_STEP_FACTOR]
    assert_refined(found, "never raised")


def test_an_error_that_keeps_its_size_persists_at_every_step():
    found = refine(constant(-0.2), 5e-3, finest=0.0)
    assert found.outcome == "persists" and not found.passed
    assert len(found.rungs) == tol.REFINEMENT_MAX_RUNGS
    assert found.rungs[-1].step == pytest.approx(5e-3 / tol.REFINEMENT_STEP_FACTOR ** (tol.REFINEMENT_MAX_RUNGS - 1))
    with pytest.raises(AssertionError) as failure:
        assert_refined(found, "σ : D off")
    message = str(failure.value)
    assert message.startswith("σ : D off; refined: ")
    assert message.count("-0.2 ") == tol.REFINEMENT_MAX_RUNGS and "persists" in message   # the number at each step


def test_an_error_that_shrinks_but_stays_over_is_unresolved():
    # falls by 4^0.3 ≈ 1.5 per rung: to 0.29 of its first size after three rungs, still 29× the allowance
    found = refine(lambda h: (h ** 0.3, ALLOWED), 1.0)
    assert found.outcome == "unresolved" and not found.passed
    with pytest.raises(AssertionError, match="unresolved"):
        assert_refined(found, "mismatch")


def test_no_step_below_the_finest_displacement():
    found = refine(constant(1.0), 1e-4, finest=tol.REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM)
    assert min(r.step for r in found.rungs) >= tol.REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM
    assert [r.step for r in found.rungs] == [1e-4, 2.5e-5]
    assert refine(constant(1.0), 1e-5, finest=1e-5).outcome == "unrefinable"


def test_a_nan_error_is_never_passed():
    found = refine(constant(float("nan")), 1e-3)
    assert not found.passed and "nan" in found.describe()


def test_cutoff_probes_close_in_tenfold_down_to_the_finest_displacement():
    assert catalogue.cutoff_spans() == pytest.approx((1e-3, 1e-4, 1e-5))


@pytest.mark.parametrize("slope, expected", [(13.8, "artefact"), (None, "persists")], ids=["kink", "jump"])
def test_cutoff_force_jump_shrinks_for_a_kink_and_persists_for_a_jump(slope, expected):
    """SevenNet-0's NaCl: F = −13.8 eV/Å² (c − r) inside, 0 outside; a true jump of 50 meV/Å."""
    def jump(span):
        return (slope * span if slope else 0.05), tol.CUTOFF_FORCE_JUMP_EV_PER_A
    found = refine(jump, tol.CUTOFF_PROBE_ANGSTROM, factor=tol.CUTOFF_PROBE_REFINEMENT_FACTOR,
                   finest=tol.REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM)
    assert found.outcome == expected


def _step_curve(step_at, height=0.02):
    """A flat force-free curve whose energy steps by `height` at step_at: (energy, force) at r."""
    return lambda xs: [(height if x > step_at else 0.0, 0.0) for x in xs]


def test_continuity_locates_a_step_within_reach_of_its_bisections():
    r = np.array([0.0, 1.0, 2.0])
    evaluate = _step_curve(0.637)
    mismatches, unresolved, _, _ = continuity.find_mismatches(r, [e for e, _ in evaluate(r)], np.zeros(3), evaluate)
    assert len(mismatches) == 1 and not unresolved
    assert mismatches[0].step.x < 0.637 < mismatches[0].step.y


def test_continuity_reports_an_interval_its_bisections_cannot_resolve():
    # 12 bisections take a 10 Å interval to 2.4 mÅ only: the step is neither located nor cleared
    r = np.array([0.0, 10.0, 20.0])
    evaluate = _step_curve(3.337)
    mismatches, unresolved, _, used = continuity.find_mismatches(r, [e for e, _ in evaluate(r)], np.zeros(3), evaluate)
    assert not mismatches and used == tol.CONTINUITY_MAX_BISECTIONS
    assert len(unresolved) == 1 and unresolved[0].ratio > 1 and unresolved[0].x < 3.337 < unresolved[0].y


def test_continuity_reports_intervals_left_when_the_budget_runs_out():
    # many wide intervals, each with a step the bisections cannot reach: the budget ends the refinement
    intervals = tol.CONTINUITY_EVALUATIONS_PER_CURVE // tol.CONTINUITY_MAX_BISECTIONS + 2
    r = np.arange(0.0, 100.0 * (intervals + 1), 100.0)
    steps = r[:-1] + 33.3

    def evaluate(xs):
        return [(0.02 * float(np.sum(x > steps)), 0.0) for x in xs]
    energies = [e for e, _ in evaluate(r)]
    mismatches, unresolved, _, used = continuity.find_mismatches(r, energies, np.zeros(len(r)), evaluate)
    assert not mismatches and used >= tol.CONTINUITY_EVALUATIONS_PER_CURVE
    assert len(unresolved) == len(r) - 1


class _Outcome:
    def __init__(self, atoms):
        self.energy, self.forces = atoms.get_potential_energy(), atoms.get_forces()

    def unwrap(self):
        return self


class _Direct:
    """The few evaluator methods a check helper calls, straight from an ASE calculator."""

    def __init__(self, calculator):
        self.calculator = calculator

    def predict_many(self, structures):
        outcomes = []
        for atoms in structures:
            atoms = atoms.copy()
            atoms.calc = self.calculator
            outcomes.append(_Outcome(atoms))
        return outcomes


def test_a_molecule_whose_pair_sits_at_a_kinked_cutoff_passes_the_gradient_law_after_refinement():
    """N2 stretched to exactly the 6 Å cutoff of a pair force that goes linearly to zero there: the
    central difference at 3 mÅ straddles the kink (off by k h / 4 = 15 meV/Å), a quarter of the step
    does not."""
    from periodic_models import PAIR_CUTOFF_ANGSTROM, LinearForceCutoff, CutoffForceJump
    from mlip_conformance.conformance import systems, test_molecules
    atoms = systems.structure(["N", "N"], np.array([[0.0, 0.0, 0.0], [0.0, 0.0, PAIR_CUTOFF_ANGSTROM]]))
    h, k = tol.MOLECULE_FINITE_DIFFERENCE_STEP_ANGSTROM, 5   # the z coordinate of the second atom
    for model, outcome in ((LinearForceCutoff(), "artefact"), (CutoffForceJump(), "persists")):
        evaluator = _Direct(model)
        centre, = evaluator.predict_many([atoms])
        found = test_molecules._coordinate_refinement(evaluator, atoms, centre, k, h, tol.FLOAT64_EPSILON)
        assert found.outcome == outcome, found.describe()
