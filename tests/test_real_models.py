"""The suite on real models: the verdicts recorded in results/scorecards/ must reproduce.

A real model failing a physics test is a finding, recorded with its numbers in the model's
scorecard (results/scorecards/<run>.json); this test fails when any check's status changes, so
a change of verdict is a visible, reviewed change.  Set UPDATE_RESULTS=1 to rewrite the
scorecards after such a review (then regenerate the report: python -m mlip_conformance report
results/scorecards/*.json --out results/report).  Each run is skipped, with the reason, where
its model package is not installed.

REAL_MODELS_QUICK=1 (set by .ci/run) leaves out the checks on drawn geometries of the models
listed in QUICK, whose drawn checks take most of their time (GFN2-xTB: ~7 of its ~10 minutes
under -n 2 here, on drawn periodic cells); the verdicts of the checks that ran must still match
the recorded scorecard, which keeps the verdicts of the whole suite.
"""

import importlib.util
import json
import os
import shutil

import pytest

from suite import REPO

SCORECARDS = REPO / "results" / "scorecards"

RUNS = {
    # run name: (package to import, --model, model options)
    "sevenn-7net-0": ("sevenn", "sevenn", {}),
    "chgnet-0.3.0": ("chgnet", "chgnet", {}),
    "xtb-gfn2": ("tblite", "xtb", {}),
    "pyscf-fci-cc-pvdz": ("pyscf", "pyscf", {"method": "fci", "basis": "cc-pvdz"}),
}


QUICK = {"xtb-gfn2": "not drawn"}


def statuses(card):
    return {check["id"]: check["status"] for check in card["checks"]}


@pytest.mark.parametrize("run_name", sorted(RUNS))
def test_real_model_verdicts_reproduce(run_suite, pytester, run_name):
    package, model, options = RUNS[run_name]
    pytest.importorskip(package, reason=f"{package} is not installed in this environment")
    args = [arg for key, value in options.items() for arg in ("--model-option", f"{key}={value}")]
    if importlib.util.find_spec("xdist"):   # the same verdicts as serial (tests/test_parallel.py), sooner
        args += ["-n", "2"]
    quick = os.environ.get("REAL_MODELS_QUICK") and run_name in QUICK
    if quick:
        args += ["-m", QUICK[run_name]]
    run = run_suite(model, *args, scorecard=True)
    assert run.exit_code in (0, 1) and not run.crashes(), run.output[-4000:]
    path = SCORECARDS / f"{run_name}.json"
    if os.environ.get("UPDATE_RESULTS") and not quick:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pytester.path / "scorecard.json", path)
    assert path.exists(), f"no recorded scorecard for {run_name}: review a run, then rerun with UPDATE_RESULTS=1"
    expected, fresh = statuses(json.loads(path.read_text())), statuses(run.scorecard)
    if quick:
        expected = {test: status for test, status in expected.items() if test in fresh}
    changed = {test: f"{expected.get(test, 'absent')} → {fresh.get(test, 'absent')}"
               for test in set(expected) | set(fresh) if expected.get(test) != fresh.get(test)}
    assert not changed, (f"{run_name}: {len(changed)} verdicts differ from {path.name} "
                         f"(review, then rerun with UPDATE_RESULTS=1): {changed}")
