"""Every prediction is validated and copied, whatever the model returns or raises, and each
distinct geometry is evaluated once per session."""

import json
from collections import Counter

import numpy as np
import pytest

from mlip_conformance.adapters import Capabilities
from mlip_conformance.conformance import systems
from mlip_conformance.evaluation import BATCH_SIZE, Evaluator, PredictionError
from mlip_conformance.references.grids import H2_GRID_ANGSTROM
from suite import model_spec


class Fake:
    """An adapter whose evaluate() is the given function of one structure."""

    capabilities = Capabilities()

    def __init__(self, predict, name="fake", batched=True):
        self.name, self.predict, self.batched = name, predict, batched
        self.calls = []

    def evaluate(self, structures):
        self.calls.append(len(structures))
        results = [self.predict(atoms) for atoms in structures]
        return [e for e, _ in results], [f for _, f in results]


def zero_forces(atoms):
    return np.zeros((len(atoms), 3))


def raise_(error):
    raise error


class CudaLikeTensor:
    """Stands for a tensor numpy cannot read (on a GPU, or one that requires grad)."""

    def __array__(self, *args, **kwargs):
        raise TypeError("can't convert cuda:0 device type tensor to numpy")


@pytest.mark.parametrize("predict, got, expected", [
    (lambda a: (float("nan"), zero_forces(a)), "got energy nan eV", "expected one finite energy in eV"),
    (lambda a: (np.inf, zero_forces(a)), "got energy inf eV", "expected one finite energy in eV"),
    (lambda a: ("-13.6", zero_forces(a)), "got an energy of type str ('-13.6')", "expected one finite energy"),
    (lambda a: (1 + 2j, zero_forces(a)), "got a complex energy (1+2j)", "expected one finite energy"),
    (lambda a: (None, zero_forces(a)), "got no energy (None)", "expected one finite energy"),
    (lambda a: (True, zero_forces(a)), "got an energy of type bool", "expected one finite energy"),
    (lambda a: (CudaLikeTensor(), zero_forces(a)), "got an energy of type CudaLikeTensor that numpy cannot read "
     "(can't convert cuda:0 device type tensor to numpy)", "expected one finite energy"),
    (lambda a: (np.ones(2), zero_forces(a)), "got energy of shape (2,)", "expected one finite energy in eV"),
    (lambda a: (1.0, np.zeros((3, 3))), "got forces of shape (3, 3)", "expected shape (2, 3) in eV/Å"),
    (lambda a: (1.0, None), "got no forces (None)", "expected forces of shape (2, 3) in eV/Å"),
    (lambda a: (1.0, np.full((2, 3), "x")), "got forces of dtype <U1", "expected forces of shape (2, 3)"),
    (lambda a: (1.0, np.full((2, 3), np.nan)), "got non-finite forces", "expected finite forces"),
    (lambda a: 1 / 0, "the model raised ZeroDivisionError: division by zero", "expected an energy and forces"),
    (lambda a: raise_(SystemExit(3)), "the model raised SystemExit: 3", "expected an energy and forces"),
])
def test_bad_prediction_is_a_failure_naming_model_geometry_and_expectation(predict, got, expected):
    evaluator = Evaluator(Fake(predict, name="broken-model"))
    with pytest.raises(PredictionError) as error:
        evaluator.predict(systems.bare_protons(0.5))
    message = str(error.value)
    assert "model 'broken-model' on H2 (charge +2, spin 1, r = 0.5 Å)" in message
    assert got in message and expected in message, message


@pytest.mark.parametrize("energy", [np.float32(-1.5), np.array(-1.5), np.array([-1.5]), np.array([[-1.5]]), -1.5, np.longdouble(-1.5)])
def test_energies_of_any_numeric_scalar_type_are_read(energy):
    prediction = Evaluator(Fake(lambda a: (energy, zero_forces(a)))).predict(systems.h2(0.74))
    assert prediction.energy == -1.5 and type(prediction.energy) is float


def test_what_the_model_returns_is_copied_before_it_is_kept():
    """A model that writes every answer into one reused buffer (as tensor.numpy() views do)."""
    buffer = np.zeros((2, 3))

    def predict(atoms):
        buffer[:] = atoms.get_distance(0, 1)
        return 1.0, buffer

    evaluator = Evaluator(Fake(predict, batched=False))
    first, second = evaluator.predict_many([systems.h2(1.0), systems.h2(2.0)])
    assert first.forces[0, 0] == 1.0 and second.forces[0, 0] == 2.0


class Returns(Fake):
    """An adapter whose evaluate() returns (energies, forces[, stresses]) built from the whole call."""

    def __init__(self, outputs):
        super().__init__(None)
        self.outputs = outputs

    def evaluate(self, structures):
        return self.outputs(structures)


H2_AT = (0.7, 1.0, 2.0)


def test_one_force_array_for_several_structures_of_a_call_fails_those_structures():
    buffer = np.zeros((2, 3))
    alone = np.zeros((2, 3))
    outcomes = Evaluator(Returns(lambda s: ([1.0] * 3, [buffer, alone, buffer]))).predict_many(
        [systems.h2(r) for r in H2_AT])
    assert [o.ok for o in outcomes] == [False, True, False]
    for outcome in (outcomes[0], outcomes[2]):
        assert "got the same force array for structures 0 and 2 (counting from 0) of one call of 3" in str(outcome.value)


def test_overlapping_views_fail_and_rows_of_one_batch_array_pass():
    batch = np.arange(18.0).reshape(6, 3)
    overlapping = Evaluator(Returns(lambda s: ([1.0] * 3, [batch[0:2], batch[1:3], batch[4:6]]))).predict_many(
        [systems.h2(r) for r in H2_AT])
    assert [o.ok for o in overlapping] == [False, False, True]
    assert "overlapping force arrays for structures 0 and 1" in str(overlapping[0].value)
    rows = Evaluator(Returns(lambda s: ([1.0] * 3, np.split(batch, 3)))).predict_many([systems.h2(r) for r in H2_AT])
    assert all(o.ok for o in rows) and rows[2].forces[1, 2] == 17.0
    strided = Evaluator(Returns(lambda s: ([1.0] * 2, [batch[0:4:2], batch[1:5:2]]))).predict_many(
        [systems.h2(r) for r in H2_AT[:2]])
    assert all(o.ok for o in strided)   # interleaved rows: overlapping byte bounds, no shared element


def test_one_stress_array_for_several_cells_of_a_call_fails_those_cells():
    stress = np.zeros(6)
    cells = [systems.h2(r) for r in H2_AT[:2]]
    for atoms in cells:
        atoms.set_cell([10.0, 10.0, 10.0])
        atoms.pbc = True
    shared = Returns(lambda s: ([1.0] * 2, [zero_forces(a) for a in s], [stress, stress]))
    outcomes = Evaluator(shared).predict_many(cells)
    assert not any(o.ok for o in outcomes)
    assert "the same stress array for structures 0 and 1" in str(outcomes[1].value)


def test_wrong_number_of_results_is_reported_per_geometry():
    class ReturnsNothing(Fake):
        def evaluate(self, structures):
            return [], []

    outcomes = Evaluator(ReturnsNothing(None)).predict_many([systems.h2(1.0), systems.h2(2.0)])
    assert not any(o.ok for o in outcomes)
    assert "returned 0 energies and 0 force arrays for 2 structures" in str(outcomes[0].value)
    assert "r = 2 Å" in str(outcomes[1].value)


def test_one_failing_geometry_does_not_spoil_the_batch():
    def predict(atoms):
        if atoms.get_distance(0, 1) < 0.3:
            raise RuntimeError("neighbour list overflow")
        return 1.0, zero_forces(atoms)

    outcomes = Evaluator(Fake(predict)).predict_many([systems.h2(0.2), systems.h2(1.0)])
    assert [o.ok for o in outcomes] == [False, True]
    assert "neighbour list overflow" in str(outcomes[0].value)


def test_a_system_exit_fails_its_geometry_only():
    def predict(atoms):
        if atoms.get_distance(0, 1) < 0.3:
            raise SystemExit("the model's C library called exit()")
        return 1.0, zero_forces(atoms)

    outcomes = Evaluator(Fake(predict)).predict_many([systems.h2(r) for r in (0.2, 1.0, 2.0)])
    assert [o.ok for o in outcomes] == [False, True, True]
    assert "the model raised SystemExit: the model's C library called exit()" in str(outcomes[0].value)


def test_a_keyboard_interrupt_is_not_a_model_failure():
    with pytest.raises(KeyboardInterrupt):
        Evaluator(Fake(lambda a: raise_(KeyboardInterrupt()))).predict(systems.h2(1.0))


def test_batched_adapters_get_batches_and_calculators_one_structure_per_call():
    curve = [systems.h2(r) for r in H2_GRID_ANGSTROM]
    batched, alone = Fake(lambda a: (1.0, zero_forces(a))), Fake(lambda a: (1.0, zero_forces(a)), batched=False)
    Evaluator(batched).predict_many(curve)
    Evaluator(alone).predict_many(curve)
    assert max(batched.calls) == BATCH_SIZE and sum(batched.calls) == len(curve)
    assert set(alone.calls) == {1} and len(alone.calls) == len(curve)


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


def test_whole_suite_evaluates_each_geometry_once(run_suite, tmp_path):
    log = tmp_path / "evaluations.jsonl"
    # (the batched-vs-single and repeatability checks of test_devices.py evaluate afresh on purpose)
    run = run_suite(model_spec("CountingAdapter"), "--model-option", f"log={log}",
                    "--deselect", "conformance/test_devices.py")
    assert run.exit_code == 0, run.output[-3000:]
    records = [json.loads(line) for line in log.read_text().splitlines()]
    geometries = Counter(json.dumps([r["numbers"], r["info"], r["positions"], r["cell"], r["pbc"]]) for r in records)
    repeated = [g for g, n in geometries.items() if n > 1]
    assert not repeated, f"{len(repeated)} geometries evaluated more than once, e.g. {repeated[0]}"
    # The planned curves go to the model before the first test, in full batches.
    h2_grid = {r["positions"][1][2] for r in records
               if r["numbers"] == [1, 1] and r["info"]["charge"] == 0 and r["positions"][0] == [0, 0, 0]}
    assert set(H2_GRID_ANGSTROM) <= h2_grid
    assert Counter(r["batch"] for r in records).most_common(1)[0][1] == BATCH_SIZE
