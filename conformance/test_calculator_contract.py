"""The ASE calculator contract: one calculator object, never reset, gives every structure its own
answer.

A user's script keeps one calculator and changes the structure under it (atoms.calc = calc;
atoms.get_potential_energy()).  Each step of a fixed sequence changes exactly one thing: the
positions, an atomic number, atoms.info['charge'] or atoms.info['spin'] (conformance/contract.py).
The answer without a reset must equal the fresh answer for the same structure, which the suite's
evaluator computes with a reset before every structure: a calculator that caches by positions and
numbers only returns, after a change of charge or spin, the answer of the previous structure (a
real bug class: AIMNet2#48, torchmd-net#379, fairchem#1236).  For a model that reads no charge or
spin the fresh answers do not change with them, and the answers must still equal them.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.conformance import contract, systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close, assert_vectors_close, tolerance
from mlip_conformance.conformance.applicability import not_applicable

pytestmark = [pytest.mark.consistency, pytest.mark.system("calculator contract")]


@pytest.fixture(scope="session")
def unreset_answers(model):
    """(steps, answers): the sequence's answers from the model's own calculator, never reset;
    None where the model has no ASE calculator a script would keep."""
    adapter = contract.calculator_path(model)
    if adapter is None:
        return None
    steps = contract.sequence(model.capabilities)
    return steps, contract.run_without_reset(adapter, steps)


def _same(answer, other):
    if isinstance(answer, str) or isinstance(other, str):
        return False
    return (abs(answer[0] - other[0]) <= tolerance(other[0], tol.SAME_PREDICTION_RELATIVE, tol.SAME_PREDICTION_ENERGY_EV)
            and answer[1].shape == other[1].shape
            and np.all(np.abs(answer[1] - other[1])
                       <= tolerance(other[1], tol.SAME_PREDICTION_RELATIVE, tol.SAME_PREDICTION_FORCE_EV_PER_A)))


@pytest.mark.parametrize("change", contract.CHANGES)
def test_calculator_answer_follows_a_change_of(evaluator, model, unreset_answers, change):
    if unreset_answers is None:
        not_applicable(f"{model.name} is not called through an ASE calculator that a script "
                    "would keep (its adapter calls the model directly)")
    steps, answers = unreset_answers
    judged = [k for k, step in enumerate(steps) if step.change == change or (change, step.change) == ("positions", "start")]
    if not judged:
        not_applicable(f"no change of this kind keeps the structure within what {model.name} "
                    "declares it can answer")
    fresh = evaluator.predict_many([step.atoms for step in steps])
    for k in judged:
        step, answer = steps[k], answers[k]
        name = systems.describe(step.atoms)
        where = f"step {k} of the sequence ({step.what})"
        if isinstance(answer, str):
            raise AssertionError(f"{where}: the calculator, not reset, raised {answer} for {name}; "
                                 f"a fresh calculation gives E = {fresh[k].energy:.6g} eV")
        stale = ""
        if k > 0 and _same(answer, answers[k - 1]) and not _same(answer, (fresh[k].energy, fresh[k].forces)):
            stale = (f"; it is the previous structure's answer: the calculator did not see that the {change} "
                     "changed (it caches by what ASE compares, positions, numbers, cell and pbc, not atoms.info)")
        law = "the fresh (reset) answer for the same structure"
        try:
            assert_close(answer[0], fresh[k].energy,
                         tolerance(fresh[k].energy, tol.SAME_PREDICTION_RELATIVE, tol.SAME_PREDICTION_ENERGY_EV),
                         f"E of {name} after {where}, same calculator, no reset", law, key="energy")
            allowed = tolerance(fresh[k].forces, tol.SAME_PREDICTION_RELATIVE, tol.SAME_PREDICTION_FORCE_EV_PER_A)
            assert_vectors_close(answer[1], fresh[k].forces, allowed,
                                 f"forces on {name} after {where}, same calculator, no reset", law, key="forces")
        except AssertionError as error:
            raise AssertionError(f"{error}{stale}") from None
