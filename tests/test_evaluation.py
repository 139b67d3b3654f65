"""Every prediction is validated, and each distinct geometry is evaluated once per session."""

import json
from collections import Counter

import numpy as np
import pytest

from adapters import Capabilities
from conformance import systems
from conformance.evaluation import Evaluator, PredictionError
from references.grids import H2_GRID_ANGSTROM
from suite import model_spec


class Fake:
    """An adapter whose evaluate() is the given function of one structure."""

    capabilities = Capabilities()

    def __init__(self, predict, name="fake"):
        self.name, self.predict = name, predict

    def evaluate(self, structures):
        results = [self.predict(atoms) for atoms in structures]
        return [e for e, _ in results], [f for _, f in results]


def zero_forces(atoms):
    return np.zeros((len(atoms), 3))


@pytest.mark.parametrize("predict, got, expected", [
    (lambda a: (float("nan"), zero_forces(a)), "got energy nan eV", "expected a finite energy"),
    (lambda a: (np.inf, zero_forces(a)), "got energy inf eV", "expected a finite energy"),
    (lambda a: (1.0, np.zeros((3, 3))), "got forces of shape (3, 3)", "expected shape (2, 3) in eV/Å"),
    (lambda a: (np.ones(2), zero_forces(a)), "got energy of shape (2,)", "expected one energy in eV"),
    (lambda a: (1.0, np.full((2, 3), np.nan)), "got non-finite forces", "expected finite forces"),
    (lambda a: 1 / 0, "the model raised ZeroDivisionError: division by zero", "expected an energy and forces"),
])
def test_bad_prediction_is_a_failure_naming_model_geometry_and_expectation(predict, got, expected):
    evaluator = Evaluator(Fake(predict, name="broken-model"))
    with pytest.raises(PredictionError) as error:
        evaluator.predict(systems.bare_protons(0.5))
    message = str(error.value)
    assert "model 'broken-model' on H2 (charge +2, spin 1, r = 0.5 Å)" in message
    assert got in message and expected in message


def test_wrong_number_of_results_is_reported_per_geometry():
    class ReturnsNothing(Fake):
        def evaluate(self, structures):
            return [], []

    outcomes = Evaluator(ReturnsNothing(None)).predict_many([systems.h2(1.0), systems.h2(2.0)])
    assert not any(o.ok for o in outcomes)
    assert "returned 0 energies and 0 force arrays for 1 structures" in str(outcomes[0].value)
    assert "r = 2 Å" in str(outcomes[1].value)


def test_one_failing_geometry_does_not_spoil_the_batch():
    def predict(atoms):
        if atoms.get_distance(0, 1) < 0.3:
            raise RuntimeError("neighbour list overflow")
        return 1.0, zero_forces(atoms)

    outcomes = Evaluator(Fake(predict)).predict_many([systems.h2(0.2), systems.h2(1.0)])
    assert [o.ok for o in outcomes] == [False, True]
    assert "neighbour list overflow" in str(outcomes[0].value)


def test_evaluator_calls_the_model_once_per_distinct_geometry():
    calls = Counter()

    def predict(atoms):
        calls[atoms.get_distance(0, 1), atoms.info["charge"]] += 1
        return 1.0, zero_forces(atoms)

    evaluator = Evaluator(Fake(predict))
    curve = [systems.h2(r) for r in H2_GRID_ANGSTROM]
    evaluator.predict_many(curve)
    evaluator.predict_many(curve + [systems.bare_protons(1.0)])
    evaluator.predict(systems.h2(1.0))
    assert evaluator.evaluations == len(H2_GRID_ANGSTROM) + 1
    assert set(calls.values()) == {1}


def test_whole_suite_evaluates_each_geometry_once_and_the_curve_in_one_batch(run_suite, tmp_path):
    log = tmp_path / "evaluations.jsonl"
    # (the batched-vs-single check of test_devices.py evaluates its probes again on purpose)
    run = run_suite(model_spec("CountingAdapter"), "--model-option", f"log={log}",
                    "--deselect", "conformance/test_devices.py::test_batched_and_single_evaluation_agree")
    assert run.exit_code == 0, run.output[-3000:]
    records = [json.loads(line) for line in log.read_text().splitlines()]
    geometries = Counter(json.dumps([r["numbers"], r["info"], r["positions"]]) for r in records)
    repeated = [g for g, n in geometries.items() if n > 1]
    assert not repeated, f"{len(repeated)} geometries evaluated more than once, e.g. {repeated[0]}"
    # The H2 curve goes to the model as one batch; grid points that an earlier test already
    # needed (e.g. 0.74 Å for the charge probe) come from the cache instead.
    grid_batches = {r["positions"][1][2]: r["batch"] for r in records
                    if r["numbers"] == [1, 1] and r["info"]["charge"] == 0
                    and r["positions"][0] == [0, 0, 0] and r["positions"][1][2] in H2_GRID_ANGSTROM}
    assert set(grid_batches) == set(H2_GRID_ANGSTROM)
    curve_batch, size = Counter(grid_batches.values()).most_common(1)[0]
    assert size > len(H2_GRID_ANGSTROM) - 5
    assert all(batch < curve_batch for batch in grid_batches.values() if batch != curve_batch)
