"""The same geometry gives the same prediction however the model is called: in one batch or one
structure at a time, once or twice, on CPU or on GPU, and under another configuration of the
same model (--compare-option KEY=VALUE), all to float32 round-off.

A model is a function of the geometry.  A batched path that lets structures of a batch leak into
each other (padding atoms that interact, a neighbour list shared across the batch), a GPU path
that runs in another precision, or an inference setting sold as a speed-up (a cuEquivariance
kernel, a compiled graph, float32 instead of float64) that changes the physics, makes every
verdict of the suite depend on how it was called.  One mechanism compares two ways of calling
the model (compare_configurations): a batch against one by one on the probes, and a second
instance of the model — on the GPU, or with one factory option changed — on every geometry the
run's checks read (the plan) and the probes.

Only an absent device is 'not applicable': a model that cannot be built, or crashes, on a device
that is present and requested fails, naming the device and the error.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.adapters import ModelUsageError, check_spec, load_model, parse_option
from mlip_conformance.conformance import planning, strategies, systems
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


def assert_same_predictions(structures, first, second, how_first, how_second):
    """The one comparison: energy, forces and (where both give one) stress of each structure,
    within float32 round-off.  A structure the second way gives no answer for fails, naming it."""
    for atoms, a, b in zip(structures, first, second):
        name = systems.describe(atoms)
        if not b.ok and a.ok:
            raise AssertionError(f"{name} {how_second}: {b.value} (it has an answer {how_first})")
        if not a.ok:   # a geometry the model cannot answer at all fails the checks that read it
            continue
        energy = a.energy
        assert_close(b.energy, energy,
                     tolerance(energy, tol.SAME_PREDICTION_RELATIVE, tol.SAME_PREDICTION_ENERGY_EV),
                     f"E of {name} {how_second}", f"the same geometry {how_first}", key="energy")
        allowed = tolerance(a.forces, tol.SAME_PREDICTION_RELATIVE, tol.SAME_PREDICTION_FORCE_EV_PER_A)
        assert_vectors_close(b.forces, a.forces, allowed, f"forces on {name} {how_second}",
                             f"the same geometry {how_first}", key="forces")
        if a.stress is not None and b.stress is not None:
            allowed = tolerance(np.max(np.abs(a.stress)), tol.PERIODIC_STRESS_RELATIVE, tol.PERIODIC_STRESS_EV_PER_A3)
            assert_vectors_close(b.stress[None, :], a.stress[None, :], allowed,
                                 f"stress (Voigt) of {name} {how_second}", f"the same geometry {how_first}",
                                 units="eV/Å³", key="stress")


def compare_configurations(structures, reference, other, how_reference, how_other):
    """Predictions of the structures by two evaluators (two instances, or one called two ways)."""
    assert_same_predictions(structures, reference(structures), other(structures), how_reference, how_other)


def _planned(request, capabilities):
    """Every geometry of the run's plan (the checks selected with this one) and the probes."""
    names = {item.get_closest_marker("system").args[0] for item in request.session.items
             if item.get_closest_marker("system") is not None}
    return probes() + planning.planned_structures(names, capabilities)


def _other_instance(config, changes, device, timeout):
    """The model built again with `changes` to its factory options, on `device`.  A failure to
    build it on a device that is present fails the check (only an absent device is skipped,
    as a gpu test, before it runs)."""
    spec = config.getoption("model")
    options = dict(parse_option(text) for text in config.getoption("model_option"))
    try:
        return Evaluator(load_model(spec, {**options, **changes}, device), timeout=timeout)
    except ModelUsageError as error:
        where = ("with " + ", ".join(f"{k}={v}" for k, v in changes.items()) if changes
                 else f"on {device}, a device that is present and requested")
        raise AssertionError(f"{error} ({where})") from None


def test_batched_and_single_evaluation_agree(evaluator):
    structures = probes()
    compare_configurations(structures, lambda s: evaluator.evaluate_afresh(s, batched=False),
                           lambda s: evaluator.evaluate_afresh(s, batched=True),
                           "evaluated alone", f"evaluated in one batch of {len(structures)}")


def test_same_model_under_another_option_agrees(request, evaluator, model, device, compared_option):
    """--compare-option KEY=VALUE (the plugin parametrizes one test per option, and leaves the
    test out when none is given): the model built with that option changed predicts the same
    energies, forces and stresses on every planned geometry, within float32 round-off."""
    key, value = parse_option(compared_option, "--compare-option")
    other = _other_instance(request.config, {key: value}, device, evaluator.timeout)
    compare_configurations(_planned(request, model.capabilities), evaluator.predict_many, other.predict_many,
                           "as configured", f"with {key}={value}")


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
def test_cpu_and_gpu_predictions_agree(request):
    """Skipped (as a gpu test) without CUDA; with CUDA present, a model that cannot be built or
    crashes on it fails, naming the device and the error."""
    config = request.config
    try:
        check_spec(config.getoption("model"), {}, "cuda")
    except ModelUsageError as error:
        not_applicable(f"{error}")   # the factory declares no device to place the model on
    timeout = config.getoption("model_timeout")
    on_cpu, on_gpu = (_other_instance(config, {}, device, timeout) for device in ("cpu", "cuda"))
    structures = probes()
    compare_configurations(structures, on_cpu.evaluate_afresh, on_gpu.evaluate_afresh, "on CPU", "on GPU (cuda)")
