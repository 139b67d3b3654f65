"""The suite as a CI gate: whatever the model does (dies, exits, hangs, reuses its buffers, draws
noise) and however the run ends (a failure, a timeout, SIGTERM), the run ends in bounded time
with the right exit code and reports that describe every check that ran.  Every bad path,
baseline and option is one usage line (exit 4) before any test runs."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from suite import REPO, read_run, run_suite, suite_arguments

MODELS = REPO / "tests" / "misbehaving_models.py"
MODULES = ["test_curves.py", "test_curve_accuracy.py", "test_h2.py", "test_forces.py"]
READS_H2_AT_HALF_AN_ANGSTROM = {
    # every check of MODULES that reads neutral H2 at 0.5 Å (the misbehaving models' trigger)
    "test_curve_has_the_wells_of_its_state[H2]", "test_energy_is_monotonic_on_each_side_of_the_minimum[H2]",
    "test_bond_force_changes_sign_as_the_shape_requires[H2]", "test_energy_is_the_integral_of_the_force[H2]",
    "test_equilibrium_bond_length[H2]", "test_well_depth[H2]", "test_harmonic_wavenumber[H2]",
    "test_bond_length_against_experiment[H2]", "test_well_depth_against_experiment[H2]",
    "test_curve_matches_the_reference[H2]", "test_h2_wall_stays_above_united_atom_bound[r=0.50]",
    "test_h2_triplet_never_lies_below_the_singlet", "test_h2_forces_are_energy_gradient[r=0.50]",
    "test_h2_forces_obey_newtons_third_law[r=0.50]",
}
BOUND_S = 240   # no run of these tests may take longer (each takes seconds when the suite works)


def spec(name):
    return f"{MODELS}:{name}"


def assert_complete_reports(run, expected_exit):
    """Exit code as expected; the JUnit file, the scorecard and the table describe the same checks."""
    assert run.exit_code == expected_exit, f"exit code {run.exit_code}\n{run.output[-4000:]}"
    card = run.scorecard
    assert card is not None, run.output[-3000:]
    assert {c["id"] for c in card["checks"]} == set(run.outcomes), "scorecard and JUnit list other checks"
    assert card["exit_status"] == expected_exit
    assert "conformance: " in run.output and "key number" in run.output   # the table


def failing(run):
    return run.with_outcome("failed") | run.with_outcome("error")


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "two workers"])
def test_a_model_raising_system_exit_fails_exactly_the_checks_that_read_that_geometry(pytester, workers):
    run = run_suite(pytester, spec("CallsSysExit"), *workers, modules=MODULES, scorecard=True, timeout=BOUND_S)
    assert_complete_reports(run, 1)
    assert failing(run) == READS_H2_AT_HALF_AN_ANGSTROM, sorted(failing(run) ^ READS_H2_AT_HALF_AN_ANGSTROM)
    message = run.messages["test_h2_wall_stays_above_united_atom_bound[r=0.50]"]
    assert "r = 0.5 Å" in message and "the model raised SystemExit: the model's library called sys.exit(3)" in message
    assert "Traceback" not in run.output and "INTERNALERROR" not in run.output


@pytest.mark.parametrize("model", ["HardExitInWorker", "SegfaultInWorker"])
def test_a_worker_that_dies_fails_the_geometry_it_was_evaluating_and_the_run_ends(pytester, model):
    run = run_suite(pytester, spec(model), "-n", "2", modules=MODULES, scorecard=True, timeout=BOUND_S)
    assert_complete_reports(run, 1)
    assert failing(run) == READS_H2_AT_HALF_AN_ANGSTROM, sorted(failing(run) ^ READS_H2_AT_HALF_AN_ANGSTROM)
    message = run.messages["test_h2_wall_stays_above_united_atom_bound[r=0.50]"]
    assert "H2 (charge +0, spin 1, r = 0.5 Å)" in message and "died" in message, message


def test_a_check_whose_worker_dies_is_reported_with_the_geometry(pytester):
    run = run_suite(pytester, spec("HardExitInATest"), "-n", "2", modules=["test_forces.py"], scorecard=True,
                    timeout=BOUND_S)
    assert_complete_reports(run, 1)
    crashed = "test_h2_forces_obey_newtons_third_law[r=0.50]"
    assert failing(run) == {crashed}, failing(run)
    entry = next(c for c in run.scorecard["checks"] if c["id"] == crashed)
    assert entry["status"] == "error" and entry["system"] == "H2" and entry["category"] == "law"
    assert "crashed" in entry["message"] and "r = 0.5 Å" in entry["message"], entry["message"]
    assert any(line.startswith("ERROR") and "h2_forces_obey_newtons_third_law" in line
               for line in run.output.splitlines()), "the crashed check is missing from the table"


@pytest.mark.parametrize("model, workers", [("Sleeper", []), ("Sleeper", ["-n", "2"]), ("BusyLoop", [])],
                         ids=["sleep", "sleep, two workers", "busy loop"])
def test_model_timeout_fails_the_hanging_geometry_and_the_run_goes_on(pytester, model, workers):
    started = time.monotonic()
    run = run_suite(pytester, spec(model), "--model-timeout", "2", *workers, modules=MODULES, scorecard=True,
                    timeout=BOUND_S)
    assert_complete_reports(run, 1)
    assert failing(run) == READS_H2_AT_HALF_AN_ANGSTROM, sorted(failing(run) ^ READS_H2_AT_HALF_AN_ANGSTROM)
    assert "no answer within --model-timeout=2 s" in run.messages["test_h2_wall_stays_above_united_atom_bound[r=0.50]"]
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "two workers"])
def test_sigterm_mid_run_still_writes_every_report(tmp_path, workers):
    """CI cancels a job by sending SIGTERM to its process group while the model hangs."""
    marker = tmp_path / "hanging"
    argv = [sys.executable, "-m", "pytest", *suite_arguments(tmp_path, spec("Sleeper"), "--model-option",
                                                               f"marker={marker}", *workers, scorecard=True)]
    process = subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        deadline = time.monotonic() + BOUND_S
        while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert marker.exists(), process.communicate()[0].decode()[-3000:]
        time.sleep(1.0)   # let the checks that do not need the hanging geometry run
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    run = read_run(tmp_path, process.returncode, output.decode(), scorecard=True)
    assert_complete_reports(run, 2)
    assert run.scorecard["interrupted"] == "SIGTERM"
    assert "INTERRUPTED (SIGTERM)" in run.output


def test_a_model_reusing_its_output_buffer_gets_no_false_failures(pytester):
    run = run_suite(pytester, spec("ReusedBuffer"), modules=MODULES + ["test_bare_protons.py"], timeout=BOUND_S)
    assert run.exit_code == 0, run.output[-3000:]


BATCH_MODULES = MODULES + ["test_bare_protons.py"]


def test_a_batched_model_returning_rows_of_one_batch_array_passes_as_the_oracle_does(pytester):
    """Non-overlapping views into one batch array share no memory: nothing to report."""
    exact = run_suite(pytester, "exact", modules=BATCH_MODULES, timeout=BOUND_S)
    rows = run_suite(pytester, spec("BatchRows"), modules=BATCH_MODULES, timeout=BOUND_S)
    assert rows.exit_code == 0, rows.output[-3000:]
    assert rows.outcomes == exact.outcomes


def test_outputs_sharing_memory_within_one_call_fail_as_the_adapters_fault(pytester):
    """One buffer for every structure of a call: each check that reads such a structure fails with
    the adapter message naming the structures, never a physics verdict; nothing else changes."""
    exact = run_suite(pytester, "exact", modules=BATCH_MODULES, timeout=BOUND_S)
    run = run_suite(pytester, spec("ReusedBatchBuffer"), modules=BATCH_MODULES, timeout=BOUND_S)
    failed = run.with_outcome("failed")
    assert run.exit_code == 1 and failed and not run.with_outcome("error"), run.output[-3000:]
    phrase = re.compile(r"model 'reused-batch-buffer' on .*: got (the same|overlapping) force arrays? "
                        r"for structures \d+ and \d+ \(counting from 0\) of one call of \d+")
    wrong = {test: run.messages[test] for test in failed if not phrase.search(run.messages[test])}
    assert not wrong, wrong
    assert failed <= exact.with_outcome("passed")
    assert run.outcomes.keys() == exact.outcomes.keys()
    assert run.with_outcome("skipped") == exact.with_outcome("skipped")


def test_a_nondeterministic_model_is_named_as_such(pytester):
    run = run_suite(pytester, spec("Noisy"), modules=["test_devices.py"], timeout=BOUND_S)
    assert run.outcomes["test_repeated_evaluation_agrees"] == "failed"
    assert "the model is nondeterministic" in run.messages["test_repeated_evaluation_agrees"]
    assert "NONDETERMINISTIC MODEL" in run.output


# ---- usage errors: one line, exit code 4, before any test runs -----------------------------------

def assert_usage_error(run, phrase):
    errors = [line for line in run.output.splitlines() if line.startswith("ERROR:")]
    assert run.exit_code == 4 and len(errors) == 1 and phrase in errors[0], run.output[-3000:]
    assert "Traceback" not in run.output and not run.outcomes


@pytest.mark.parametrize("option", ["--conformance-json={}/card.json", "--plots={}/figures",
                                    "--baseline={}/base.json --update-baseline", "--junitxml={}/report.xml"])
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "two workers"])
def test_an_unwritable_output_path_is_a_usage_error(pytester, option, workers):
    blocker = pytester.path / "a-file"
    blocker.write_text("not a directory")
    args = option.format(blocker).split()
    result = pytester.runpytest_subprocess(*suite_arguments(pytester.path, "exact", modules=["test_h2.py"])[:-1],
                                           *args, *workers, timeout=BOUND_S)
    output = result.stdout.str() + result.stderr.str()
    errors = [line for line in output.splitlines() if line.startswith("ERROR:")]
    assert result.ret == 4 and len(errors) == 1 and "cannot write to" in errors[0], output[-2000:]


def test_missing_directories_of_output_paths_are_created(pytester):
    deep = pytester.path / "reports" / "of" / "this" / "run"
    run = run_suite(pytester, "exact", f"--conformance-json={deep / 'card.json'}", f"--plots={deep / 'figures'}",
                    modules=["test_h2.py"], timeout=BOUND_S)
    assert run.exit_code == 0, run.output[-2000:]
    assert (deep / "card.json").is_file() and (deep / "figures").is_dir()


@pytest.mark.parametrize("args, phrase", [
    (["--hypothesis-profile=nightly"], "--hypothesis-profile=nightly: no such profile"),
    (["--model-timeout=-3"], "give a positive number of seconds"),
    (["--expected-failures=missing.toml"], "--expected-failures: no such file"),
])
def test_bad_options_are_usage_errors(pytester, args, phrase):
    assert_usage_error(run_suite(pytester, "exact", *args, modules=["test_h2.py"], timeout=BOUND_S), phrase)


def test_a_factory_calling_sys_exit_is_a_usage_error(pytester):
    run = run_suite(pytester, spec("exits_while_building"), modules=["test_h2.py"], timeout=BOUND_S)
    assert_usage_error(run, "could not be built: SystemExit: 2")


# ---- baselines ----------------------------------------------------------------------------------

def write_baseline(pytester, model="exact", *args):
    path = pytester.path / "baseline.json"
    run = run_suite(pytester, model, f"--baseline={path}", "--update-baseline", *args, modules=["test_h2.py"],
                    timeout=BOUND_S)
    assert run.exit_code == 0, run.output[-2000:]
    (pytester.path / "report.xml").unlink()   # the next run's reports are read afresh
    return path


@pytest.mark.parametrize("edit, phrase", [
    (lambda data: [data], "not a baseline file of this suite"),
    (lambda data: dict(data, metrics={"test_h2_triplet_never_lies_below_the_singlet": {
        "smallest_gap": {"measured": 0.1, "reference": None, "tolerance": None, "units": "eV", "margin": "big"}}}),
     "has margin = 'big'"),
    (lambda data: dict(data, metrics={"test_x": {"energy": {"measured": None, "units": "eV"}}}),
     "has measured = None"),
    (lambda data: dict(data, model=dict(data["model"], spec="sevenn", name="SevenNet 7net-0")),
     "was written for model 'sevenn' (SevenNet 7net-0), not for this run's 'exact'"),
])
def test_a_malformed_or_foreign_baseline_is_a_usage_error(pytester, edit, phrase):
    path = write_baseline(pytester)
    path.write_text(json.dumps(edit(json.loads(path.read_text()))))
    run = run_suite(pytester, "exact", f"--baseline={path}", modules=["test_h2.py"], timeout=BOUND_S)
    assert_usage_error(run, phrase)


def test_stale_and_missing_baseline_entries_are_listed(pytester):
    path = write_baseline(pytester)
    data = json.loads(path.read_text())
    data["metrics"]["test_renamed_long_ago"] = {"energy": {"measured": 1.0, "reference": 1.0, "tolerance": 0.1,
                                                           "units": "eV"}}
    dropped = "test_h2_wall_stays_above_united_atom_bound[r=0.20]"
    data["metrics"][dropped]["no_longer_measured"] = dict(data["metrics"][dropped]["margin_above_bound"])
    data["metrics"]["test_h2_triplet_never_lies_below_the_singlet"] = {}
    path.write_text(json.dumps(data))
    run = run_suite(pytester, "exact", f"--baseline={path}", modules=["test_h2.py"], scorecard=True, timeout=BOUND_S)
    assert run.exit_code == 0, run.output[-2000:]
    stale = run.scorecard["gates"]["baseline_stale"]
    assert any(line.startswith("test_renamed_long_ago: no check with this id ran") for line in stale), stale
    assert any(line.startswith(f"{dropped} [no_longer_measured]") for line in stale), stale
    assert "baseline: stale entries" in run.output


def test_a_baseline_of_other_weights_is_used_with_a_loud_warning(pytester):
    weights = pytester.path / "weights.pt"
    weights.write_bytes(b"release 1")
    path = write_baseline(pytester, spec("FromCheckpoint"), "--model-option", f"checkpoint={weights}")
    weights.write_bytes(b"release 2")
    run = run_suite(pytester, spec("FromCheckpoint"), "--model-option", f"checkpoint={weights}",
                    f"--baseline={path}", modules=["test_h2.py"], scorecard=True, timeout=BOUND_S)
    assert run.exit_code == 0, run.output[-2000:]
    assert "BASELINE OF ANOTHER RELEASE" in run.output
    assert "made from other weights" in run.scorecard["gates"]["warnings"][0]
