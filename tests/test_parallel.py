"""pytest -n 2 gives exactly the serial verdicts and numbers, and evaluates no geometry twice
across its workers (they share one evaluation store); devices parametrize the model; batched
and single evaluation are compared."""

import json
from collections import Counter

from suite import REPO, run_suite

MODELS = REPO / "tests" / "gating_models.py"
BATCHED_CHECK = "conformance/test_devices.py::test_batched_and_single_evaluation_agree"
REPEATED_CHECK = "conformance/test_devices.py::test_repeated_evaluation_agrees"


def evaluations(log):
    records = [json.loads(line) for line in log.read_text().splitlines()]
    # a geometry is its atoms, charge, spin, cell and periodicity (evaluation.geometry_key): the
    # molecule-with-a-cell law asks for the same atoms with and without a cell
    return records, Counter(json.dumps([r["numbers"], r["info"], r["positions"], r["cell"], r["pbc"]]) for r in records)


def test_parallel_run_matches_serial_and_evaluates_each_geometry_once(pytester, tmp_path):
    # The batched-vs-single and the repeatability checks evaluate their probes again on purpose:
    # left out of the count.
    def run(log, *args):
        return run_suite(pytester, f"{MODELS}:PidCountingAdapter", "--model-option", f"log={log}",
                         "--deselect", BATCHED_CHECK, "--deselect", REPEATED_CHECK, *args, scorecard=True)

    serial = run(tmp_path / "serial.jsonl")
    parallel = run(tmp_path / "parallel.jsonl", "-n", "2")
    assert parallel.exit_code == serial.exit_code, parallel.output[-3000:]
    assert set(parallel.crashes()) == set(serial.crashes())
    assert parallel.outcomes == serial.outcomes and len(serial.outcomes) > 80
    verdicts = lambda run: {c["id"]: (c["status"], c["measurements"], c["message"]) for c in run.scorecard["checks"]}
    assert verdicts(parallel) == verdicts(serial)

    records, counted = evaluations(tmp_path / "parallel.jsonl")
    repeated = [g for g, n in counted.items() if n > 1]
    assert not repeated, f"{len(repeated)} geometries evaluated more than once across workers: {repeated[0]}"
    _, serial_counted = evaluations(tmp_path / "serial.jsonl")
    assert set(counted) == set(serial_counted)
    assert len({r["pid"] for r in records}) == 2, "both workers evaluate (and share what they evaluated)"


def test_batched_and_single_evaluation_are_compared(pytester):
    leaky = run_suite(pytester, f"{MODELS}:BatchLeak", modules=["test_devices.py"])
    assert leaky.outcomes["test_batched_and_single_evaluation_agree"] == "failed"
    assert "evaluated in one batch of 7" in leaky.messages["test_batched_and_single_evaluation_agree"]
    assert "the same geometry evaluated alone requires" in leaky.messages["test_batched_and_single_evaluation_agree"]
    exact = run_suite(pytester, "exact", modules=["test_devices.py"])
    assert exact.outcomes["test_batched_and_single_evaluation_agree"] == "passed"
    # the CPU–GPU comparison is left out of a run that neither asks for nor has a GPU
    gpu = exact.outcomes.get("test_cpu_and_gpu_predictions_agree")
    assert gpu == "passed" or (gpu is None and "2 deselected" in exact.output), exact.output[-2000:]


def test_a_device_list_runs_each_test_per_device_and_skips_cuda_without_it(pytester, spec):
    run = run_suite(pytester, spec("takes_device"), "--device=cpu,cuda", "-rs",
                    modules=["test_forces.py", "test_devices.py"])
    assert run.exit_code == 0, run.output[-3000:]
    assert run.outcomes["test_cpu_and_gpu_predictions_agree"] in ("skipped", "passed")
    del run.outcomes["test_cpu_and_gpu_predictions_agree"]
    assert {t for t in run.outcomes if "[cpu" in t} == {t for t in run.outcomes if run.outcomes[t] == "passed"}
    cuda = {t: o for t, o in run.outcomes.items() if "[cuda" in t}
    assert len(cuda) == 16 and set(cuda.values()) <= {"skipped", "passed"}
    if set(cuda.values()) == {"skipped"}:
        assert "needs CUDA" in run.output


SCHEDULE_RECORDER = '''
import json, os

def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        with open(os.environ["SCHEDULE_LOG"] + ".controller", "w") as out:
            json.dump({"maxschedchunk": config.option.maxschedchunk}, out)

def pytest_runtest_setup(item):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "serial")
    with open(os.environ["SCHEDULE_LOG"] + "." + worker, "a") as out:
        out.write(("drawn " if item.get_closest_marker("drawn") else "fixed ") + item.nodeid + "\\n")
'''


def test_workers_start_with_the_drawn_checks_and_take_tests_one_at_a_time(pytester, monkeypatch, tmp_path):
    # Checks on drawn geometries cost seconds each: every worker runs those it is given before
    # any check on planned geometries, and the controller hands tests out one at a time unless
    # the user chose --maxschedchunk (an ordering that never took effect once went unnoticed).
    pytester.makepyfile(schedule_recorder=SCHEDULE_RECORDER)
    for chosen, expected in ((None, 1), ("7", 7)):
        log = tmp_path / f"schedule-{chosen}"
        monkeypatch.setenv("SCHEDULE_LOG", str(log))
        run = run_suite(pytester, "exact", "-p", "schedule_recorder", "-n", "2",
                        *(["--maxschedchunk", chosen] if chosen else []),
                        modules=["test_atoms.py", "test_bare_protons.py", "test_invariance.py"])
        assert run.exit_code == 0, run.output[-3000:]
        assert json.loads(log.with_suffix(".controller").read_text())["maxschedchunk"] == expected
        per_worker = [[line.split()[0] for line in path.read_text().splitlines()]
                      for path in tmp_path.glob(f"{log.name}.gw*")]
        assert sum(kinds.count("drawn") for kinds in per_worker) >= 2
        for kinds in per_worker:
            assert kinds == sorted(kinds, key=lambda kind: kind != "drawn"), f"a drawn check after a fixed one: {kinds}"
