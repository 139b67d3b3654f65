"""Refine before you accuse: one rule for every check that compares a model quantity with a
difference quotient, or probes for a discontinuity.

A central difference of the energy differs from the model's force (or stress) for two reasons:
the model is wrong, or the step straddles a feature the quotient cannot follow — a kink (a force
that goes linearly to zero at a cutoff: its derivative jumps), a steep but smooth switch.  The
two are told apart by shrinking the step.  A real defect persists as the step shrinks, down to
the model's round-off floor; an artefact of the step shrinks with it.  Likewise a probe of a
cutoff at c ± δ sees a force jump of |ΔF'|·δ where only the slope of the force jumps, and the
whole jump where the force itself jumps.

`refine(measure, first_step)` calls measure(step) → (error, allowance) at the check's own step and,
while the error exceeds its allowance, at steps shrunk by a factor per rung, and classifies:

- passed      within the allowance at the check's own step;
- artefact    over it at the check's step, within it at a finer one (no finding);
- persists    still over at the finest step and at least REFINEMENT_PERSISTENT_FRACTION of its size
              at the first: a finding;
- unresolved  still over at the finest step but shrinking: neither an artefact nor a clear defect;
              fails too, saying so with the numbers;
- unrefinable over at the first step, and no finer step is allowed (it would measure round-off).

`assert_refined` raises the check's AssertionError with the numbers at each step.
"""

from dataclasses import dataclass

from mlip_conformance.conformance import tolerances as tol

__all__ = ["Rung", "Refinement", "refine", "assert_refined", "PASSING"]

PASSING = ("passed", "artefact")
"""The outcomes that are no finding."""


@dataclass(frozen=True)
class Rung:
    """One step size: the error the check measured there and what it was allowed."""
    step: float
    error: float
    allowance: float

    @property
    def within(self):
        return abs(self.error) <= self.allowance


_MEANING = {
    "passed": "within its allowance at the check's step",
    "artefact": "an artefact of the step: it shrinks with the step and is within its allowance at a finer one",
    "persists": "it persists as the step shrinks: a real mismatch, not an artefact of the step",
    "unresolved": ("unresolved: still over its allowance at the finest step, but shrinking — neither an artefact "
                   "of the step nor a steady mismatch"),
    "unrefinable": "it cannot be refined: a finer step would measure the model's round-off",
}


@dataclass(frozen=True)
class Refinement:
    outcome: str          # one of _MEANING
    rungs: tuple          # Rungs, coarsest first
    step_name: str = "step"
    units: str = ""
    step_units: str = "Å"

    @property
    def passed(self):
        return self.outcome in PASSING

    @property
    def last(self):
        return self.rungs[-1]

    def describe(self):
        """The numbers at each step, and what they mean, for a failure message."""
        rows = "; ".join(f"{self.step_name} {r.step:.3g}{' ' + self.step_units if self.step_units else ''}: "
                         f"{r.error:+.4g} {self.units} "
                         f"(allowed ±{r.allowance:.3g})" for r in self.rungs)
        return f"refined: {rows} — {_MEANING[self.outcome]}"


def _steps(first_step, factor, max_rungs, finest):
    step = first_step
    for _ in range(max_rungs):
        yield step
        step = step / factor
        if step < finest:
            return


def refine(measure, first_step, *, factor=tol.REFINEMENT_STEP_FACTOR, max_rungs=tol.REFINEMENT_MAX_RUNGS,
           finest=0.0, step_name="step", units="", step_units="Å"):
    """Measure at first_step and, while over the allowance, at steps shrunk by factor (never below
    finest, at most max_rungs in all).  measure(step) -> (error, allowance)."""
    rungs = []
    for step in _steps(first_step, factor, max_rungs, finest):
        error, allowance = measure(step)
        rungs.append(Rung(step, float(error), float(allowance)))
        if rungs[-1].within:
            break
    return Refinement(_classify(rungs), tuple(rungs), step_name, units, step_units)


def _classify(rungs):
    first, last = rungs[0], rungs[-1]
    if last.within:
        return "passed" if len(rungs) == 1 else "artefact"
    if len(rungs) == 1:
        return "unrefinable"
    # a NaN error compares False: it neither shrinks nor passes
    if not abs(last.error) < tol.REFINEMENT_PERSISTENT_FRACTION * abs(first.error):
        return "persists"
    return "unresolved"


def assert_refined(refinement, what):
    """Raise AssertionError(what + the numbers at each step) unless the refinement passed."""
    if not refinement.passed:
        raise AssertionError(f"{what}; {refinement.describe()}")
