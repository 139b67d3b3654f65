"""The suite on real models: the outcomes committed in results/ must reproduce.

A real model failing a physics test is a finding, recorded with its numbers in
results/<run>.json; this test fails when any outcome changes, so a change of verdict is a
visible, reviewed change.  Set UPDATE_RESULTS=1 to rewrite the files after such a review.
Each run is skipped, with the reason, where its model package is not installed.
"""

import json
import os

import pytest

from suite import REPO

RESULTS = REPO / "results"

RUNS = {
    # run name: (package to import, --model, model options)
    "sevenn-7net-0": ("sevenn", "sevenn", {}),
    "chgnet-0.3.0": ("chgnet", "chgnet", {}),
    "xtb-gfn2": ("tblite", "xtb", {}),
    "pyscf-fci-cc-pvdz": ("pyscf", "pyscf", {"method": "fci", "basis": "cc-pvdz"}),
}


def first_line(message):
    return message.strip().splitlines()[0][:400] if message.strip() else ""


def record(run_name, model, options, run):
    return {
        "run": run_name,
        "command": " ".join(["pytest", f"--model={model}", *[f"--model-option {k}={v}" for k, v in options.items()],
                             "--hypothesis-profile=ci"]),
        "outcomes": dict(sorted(run.outcomes.items())),
        "messages": {test: first_line(run.messages[test]) for test in sorted(run.messages)},
    }


@pytest.mark.parametrize("run_name", sorted(RUNS))
def test_real_model_outcomes_reproduce(run_suite, run_name):
    package, model, options = RUNS[run_name]
    pytest.importorskip(package, reason=f"{package} is not installed in this environment")
    args = [arg for key, value in options.items() for arg in ("--model-option", f"{key}={value}")]
    run = run_suite(model, *args)
    assert run.exit_code in (0, 1) and not run.crashes(), run.output[-4000:]
    path = RESULTS / f"{run_name}.json"
    fresh = record(run_name, model, options, run)
    if os.environ.get("UPDATE_RESULTS"):
        path.write_text(json.dumps(fresh, indent=1, ensure_ascii=False) + "\n")
    assert path.exists(), f"no recorded outcomes for {run_name}: review a run, then rerun with UPDATE_RESULTS=1"
    expected = json.loads(path.read_text())["outcomes"]
    changed = {test: f"{expected.get(test, 'absent')} → {fresh['outcomes'].get(test, 'absent')}"
               for test in set(expected) | set(fresh["outcomes"])
               if expected.get(test) != fresh["outcomes"].get(test)}
    assert not changed, (f"{run_name}: {len(changed)} outcomes differ from {path.name} "
                         f"(review, then rerun with UPDATE_RESULTS=1): {changed}")
