"""Self-tests of the NVE checks (conformance/test_dynamics.py) and of the comparison of the model
under another configuration (conformance/test_devices.py: --compare-option, the GPU).

Lawful toys pass every nve check, and so do their float32 twins; a curl force, heavy-atom forces
5 % too large and an energy staircase each fail exactly the nve checks aimed at them.  Under
--compare-option, a 0.2 % change of the physics fails naming the option, a change of float32
round-off passes, an option the factory does not take is a usage error.  A device that is present
(CUDA faked by a plugin) on which the model cannot be built fails, naming it.
"""

import numpy as np
import pytest

import many_body_models as toys
import suite
from mlip_conformance.adapters import CalculatorAdapter
from mlip_conformance.conformance import dynamics
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.evaluation import Evaluator
from suite import assert_fails_exactly, assert_only_not_applicable_skips

NVE = "test_nve_total_energy_is_conserved"
TOYS = suite.REPO / "tests" / "many_body_models.py"
PERIODIC = suite.REPO / "tests" / "periodic_models.py"
OPTION = "test_same_model_under_another_option_agrees"
GPU = "test_cpu_and_gpu_predictions_agree"

FAKE_CUDA = """
import torch
torch.cuda.is_available = lambda: True   # a machine with a GPU, as far as the suite can tell
"""


@pytest.fixture
def run_dynamics(pytester):
    return lambda model, *args: suite.run_suite(pytester, model, *args, modules=["test_dynamics.py"])


@pytest.fixture
def run_devices(pytester):
    return lambda model, *args: suite.run_suite(pytester, model, *args, modules=["test_devices.py"])


@pytest.mark.parametrize("model, systems", [
    (f"{TOYS}:Toy", ["H2O", "water-dimer"]), (f"{TOYS}:Float32Toy", ["H2O", "water-dimer"]),
    (f"{PERIODIC}:LawfulPeriodic", ["H2O", "water-dimer", "diamond"])])
def test_lawful_models_and_their_float32_twin_pass_every_nve_check(run_dynamics, model, systems):
    run = run_dynamics(model)
    assert run.exit_code == 0, run.output[-3000:]
    assert run.with_outcome("passed") == {f"{NVE}[{name}]" for name in systems}, run.outcomes
    assert_only_not_applicable_skips(run)


BROKEN = {
    # model: (nve checks that must fail, a phrase one failure message must contain)
    "CurlForces": ([f"{NVE}[H2O]", f"{NVE}[water-dimer]"], "shrank less than 2×"),
    "HeavyAtomForces": ([f"{NVE}[H2O]", f"{NVE}[water-dimer]"], "pumps energy in or out"),
    "EnergySteps": ([f"{NVE}[H2O]", f"{NVE}[water-dimer]"], "the RMS deviation and the drift shrank"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_toy_fails_the_nve_checks(run_dynamics, name):
    patterns, phrase = BROKEN[name]
    assert_fails_exactly(run_dynamics(f"{TOYS}:{name}"), patterns, phrase)


def test_exact_oracle_is_not_applicable_beyond_two_electrons(run_dynamics):
    run = run_dynamics("exact")
    assert run.exit_code == 5 or not run.with_outcome("failed"), run.output[-3000:]
    assert len(run.with_outcome("skipped")) == len(dynamics.SYSTEMS)
    assert_only_not_applicable_skips(run)


# ---- the run itself, in-process -----------------------------------------------------------------

class _Pushing(toys.Toy):
    """An outward force of 1 eV/Å on every atom that no energy accounts for: the run leaves physics."""

    def energy_and_forces(self, atoms):
        energy, forces = self.lawful(atoms)
        outward = atoms.positions - atoms.positions.mean(axis=0)
        return energy, forces + outward / np.linalg.norm(outward, axis=1, keepdims=True)


class _NaNWhenHot(toys.Toy):
    """NaN once an O–H bond stretches past 1.0 Å (a fitted model outside its training data)."""

    def energy_and_forces(self, atoms):
        energy, forces = self.lawful(atoms)
        if atoms.get_distance(0, 1) > 1.0:
            return float("nan"), forces
        return energy, forces


def _evaluator(model_class):
    return Evaluator(CalculatorAdapter(model_class(), name=model_class.__name__, capabilities=toys.Toy.capabilities))


def test_run_that_blows_up_fails_with_its_step_and_numbers():
    evaluator = _evaluator(_Pushing)
    system = dynamics.BY_NAME["H2O"]
    start = dynamics.relaxed(_evaluator(toys.Toy), system)
    with pytest.raises(dynamics.Blowup, match=r"blew up at step \d+ \(t = .* fs, dt = 0.5 fs\): the "
                                              r"(temperature ran away|atoms fly apart)"):
        dynamics.run_nve(evaluator, system, start)


def test_nan_during_a_run_fails_naming_model_geometry_and_step():
    system = dynamics.BY_NAME["H2O"]
    start = dynamics.relaxed(_evaluator(toys.Toy), system)
    start.set_distance(0, 1, 0.999, fix=0)
    with pytest.raises(AssertionError, match=r"model '_NaNWhenHot' on H2O .*energy nan eV.*at step \d+ of the NVE run"):
        dynamics.run_nve(_evaluator(_NaNWhenHot), system, start)


def test_refinement_decision():
    floor = 1e-4
    assert not dynamics.drift_survives_refinement(4e-3, 1e-3, floor)     # the integrator's dt²
    assert dynamics.drift_survives_refinement(4e-3, 3.9e-3, floor)       # the model's own
    assert not dynamics.drift_survives_refinement(4e-3, 0.9e-4, floor)   # shrunk into round-off
    assert dynamics.drift_survives_refinement(1e-4 / 2, 2e-4, floor)     # grew on refinement


def test_time_step_follows_the_lightest_element():
    assert dynamics.time_step_fs(dynamics.BY_NAME["H2O"].build()) == pytest.approx(tol.NVE_HYDROGEN_TIME_STEP_FS)
    assert dynamics.time_step_fs(dynamics.BY_NAME["diamond"].build()) == pytest.approx(
        tol.NVE_HYDROGEN_TIME_STEP_FS * np.sqrt(12.011 / 1.008), rel=1e-3)


# ---- the same model under another configuration -----------------------------------------------

CONFIGURABLE = f"{TOYS}:configurable"


def test_option_that_changes_the_physics_fails_naming_it_and_round_off_passes(run_devices):
    run = run_devices(CONFIGURABLE, "--compare-option", "scale=1.002", "--compare-option", "dtype=float32")
    assert_fails_exactly(run, [f"{OPTION}[scale=1.002]"], "with scale=1.002 = ")
    assert run.outcomes[f"{OPTION}[dtype=float32]"] == "passed"


def test_option_comparison_covers_every_planned_geometry(pytester):
    """heavy_shift changes only molecules beyond hydrogen: the probes (all hydrogen) cannot see it,
    the calculator contract's planned H2O and H2S can."""
    args = (CONFIGURABLE, "--compare-option", "heavy_shift=0.01")
    alone = suite.run_suite(pytester, *args, modules=["test_devices.py"])
    assert alone.outcomes[f"{OPTION}[heavy_shift=0.01]"] == "passed", alone.output[-3000:]
    planned = suite.run_suite(pytester, *args, modules=["test_devices.py", "test_calculator_contract.py"])
    assert planned.outcomes[f"{OPTION}[heavy_shift=0.01]"] == "failed", planned.output[-3000:]
    assert "E of H2O (charge +0, spin 1" in planned.messages[f"{OPTION}[heavy_shift=0.01]"]


def test_without_compare_option_the_option_check_is_left_out(run_devices):
    run = run_devices(CONFIGURABLE)
    assert run.exit_code == 0, run.output[-3000:]
    assert not any(OPTION in test for test in run.outcomes), run.outcomes


def test_compare_option_the_factory_does_not_take_is_a_usage_error(run_devices):
    run = run_devices(CONFIGURABLE, "--compare-option", "precision=high")
    assert run.exit_code == 4, run.output
    errors = [line for line in run.output.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1, run.output
    assert "--compare-option precision=high" in errors[0] and "accepted: dtype, scale, heavy_shift, cuda_fails" in errors[0]
    assert "Traceback" not in run.output


@pytest.mark.parametrize("failure, phrase", [("build", "a device that is present and requested"),
                                             ("evaluation", "on GPU (cuda): model 'toy on cuda' on H2")])
def test_model_that_fails_on_a_present_gpu_fails_naming_it(pytester, run_devices, failure, phrase):
    pytest.importorskip("torch")
    pytester.makepyfile(fake_cuda=FAKE_CUDA)
    run = run_devices(CONFIGURABLE, "-p", "fake_cuda", "--model-option", f"cuda_fails={failure}")
    assert_fails_exactly(run, [GPU], phrase)
    assert toys.CUDA_FAILURE in run.messages[GPU]


def test_device_list_with_a_present_gpu_the_model_fails_on_names_it(pytester, run_devices):
    """--device=cpu,cuda builds the model on both before any test: one it cannot be built on, though
    present, is one line naming the device (exit 4), never a quiet CPU-only run."""
    pytest.importorskip("torch")
    pytester.makepyfile(fake_cuda=FAKE_CUDA)
    run = run_devices(CONFIGURABLE, "-p", "fake_cuda", "--device", "cpu,cuda")
    assert run.exit_code == 4, run.output[-3000:]
    errors = [line for line in run.output.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1 and toys.CUDA_FAILURE in errors[0] and "(on cuda, one of --device=cpu,cuda)" in errors[0]


def test_without_cuda_the_gpu_comparison_is_not_applicable(run_devices):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    run = run_devices(CONFIGURABLE, "--device", "cpu,cuda")
    assert run.outcomes[GPU] == "skipped" and "needs CUDA" in run.messages[GPU], run.output[-3000:]
