"""The same geometry gives the same prediction however the model is called: in one batch or one
structure at a time, once or twice, and on CPU or on GPU (to float32 round-off).

A model is a function of the geometry.  A batched path that lets structures of a batch leak into
each other (padding atoms that interact, a neighbour list shared across the batch), or a GPU path
that runs in another precision, makes every verdict of the suite depend on how it was called.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.adapters import ModelUsageError, load_model, parse_option
from mlip_conformance.conformance import strategies, systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close, assert_vectors_close, tolerance
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.applicability import not_applicable
from mlip_conformance.evaluation import Evaluator

pytestmark = [pytest.mark.consistency, pytest.mark.system("numerics")]


def probes():
    """H2 on the wall, at the minimum and stretched; the H atom; bare protons; a chiral H4."""
    return ([systems.h2(r) for r in (0.5, 0.74, 1.5, 4.0)]
            + [systems.hydrogen_atom(), systems.bare_protons(1.0), strategies.chiral_cluster()])


def assert_same_predictions(first, second, how_first, how_second):
    for atoms, a, b in zip(probes(), first, second):
        name = systems.describe(atoms)
        energy = a.energy
        assert_close(b.energy, energy,
                     tolerance(energy, tol.SAME_PREDICTION_RELATIVE, tol.SAME_PREDICTION_ENERGY_EV),
                     f"E of {name} {how_second}", f"the same geometry {how_first}", key="energy")
        allowed = tolerance(a.forces, tol.SAME_PREDICTION_RELATIVE, tol.SAME_PREDICTION_FORCE_EV_PER_A)
        assert_vectors_close(b.forces, a.forces, allowed, f"forces on {name} {how_second}",
                             f"the same geometry {how_first}", key="forces")


def test_batched_and_single_evaluation_agree(evaluator):
    structures = probes()
    batched = evaluator.evaluate_afresh(structures, batched=True)
    alone = evaluator.evaluate_afresh(structures, batched=False)
    assert_same_predictions(alone, batched, "evaluated alone",
                            f"evaluated in one batch of {len(structures)}")


def test_repeated_evaluation_agrees(evaluator):
    """A model is a function: the same geometry evaluated twice afresh gives the same answer.
    A model with dropout left on, or sampling of any kind, gives another answer each time, and
    every other verdict of the run then depends on the draw."""
    structures = probes()
    first = evaluator.evaluate_afresh(structures, batched=False)
    second = evaluator.evaluate_afresh(structures, batched=False)
    worst = None
    for atoms, a, b in zip(structures, first, second):
        allowed = tolerance(a.energy, tol.SAME_PREDICTION_RELATIVE, tol.SAME_PREDICTION_ENERGY_EV)
        force_allowed = tolerance(a.forces, tol.SAME_PREDICTION_RELATIVE, tol.SAME_PREDICTION_FORCE_EV_PER_A)
        energy_ratio = abs(b.energy - a.energy) / allowed
        force_ratio = float(np.max(np.abs(b.forces - a.forces) / force_allowed))
        if worst is None or max(energy_ratio, force_ratio) > worst[0]:
            worst = (max(energy_ratio, force_ratio), atoms, a, b, allowed, float(np.max(np.abs(b.forces - a.forces))))
    _, atoms, a, b, allowed, force_change = worst
    record("energy", f"second evaluation of E of {systems.describe(atoms)}", b.energy, a.energy, allowed, "eV")
    record("forces", f"largest change of a force component of {systems.describe(atoms)} on a second evaluation",
           force_change, 0.0, tol.SAME_PREDICTION_FORCE_EV_PER_A, "eV/Å")
    assert worst[0] <= 1, (
        f"the model is nondeterministic: {systems.describe(atoms)} evaluated twice afresh gave E = {a.energy:.6f} eV "
        f"and then {b.energy:.6f} eV (they differ by {(b.energy - a.energy) * 1e3:+.3f} meV; float32 round-off "
        f"allows ±{allowed * 1e3:.3f} meV), and its forces moved by up to {force_change * 1e3:.3f} meV/Å; every "
        "other verdict of this run may change from one run to the next")


@pytest.mark.gpu
def test_cpu_and_gpu_predictions_agree(pytestconfig):
    spec = pytestconfig.getoption("model")
    options = dict(parse_option(text) for text in pytestconfig.getoption("model_option"))
    try:
        on_cpu, on_gpu = (Evaluator(load_model(spec, options, device)) for device in ("cpu", "cuda"))
    except ModelUsageError as error:
        not_applicable(f"model {spec!r} cannot be placed on a device ({error})")
    structures = probes()
    assert_same_predictions(on_cpu.evaluate_afresh(structures), on_gpu.evaluate_afresh(structures),
                            "on CPU", "on GPU")
