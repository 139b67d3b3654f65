"""What the NVE checks add to a whole-suite run.

    python benchmarks/nve_cost.py --model=sevenn [--repeats N] [-- PYTEST ARGS]

Runs, serially and each in a fresh process, the whole suite without the NVE checks (-k "not nve")
and the NVE checks alone (-k nve), alternating, N times.  Prints for each run the wall time, the
CPU time of the process (which barely moves when other processes share the machine; the model
runs on one thread) and, from its scorecard, the seconds spent inside the model and the model
calls; then the NVE checks' share: their time over the rest of the suite's, in wall, CPU and
in-model seconds (medians).  Model loading counts in both runs' wall and CPU times, not in the
in-model times; the last line takes it out of the NVE run (a whole run loads the model once).
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SELECTIONS = {"rest of the suite": "not nve", "NVE checks": "nve"}


def _children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(model, selection, extra):
    """(wall s, CPU s, in-model s, model calls, s before the first test) of one serial run of the
    selected checks; the last is the process's age at the end of collection (start-up, model load)."""
    with tempfile.TemporaryDirectory() as directory:
        card = Path(directory) / "scorecard.json"
        command = [sys.executable, "-m", "pytest", "-c", str(REPO / "pytest.ini"), "--rootdir", str(REPO),
                   str(REPO / "conformance"), f"--model={model}", "-q", "-p", "no:cacheprovider",
                   "--hypothesis-profile=ci", "-k", selection, f"--conformance-json={card}", *extra]
        cpu, started = _children_cpu_seconds(), time.monotonic()
        subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        wall, cpu = time.monotonic() - started, _children_cpu_seconds() - cpu
        timings = json.loads(card.read_text())["timings"]["main"]
    return wall, cpu, timings["in_model"], timings["calls"], timings.get("collected", 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="sevenn")
    parser.add_argument("--repeats", type=int, default=1)
    arguments, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    results = {name: [] for name in SELECTIONS}
    for repeat in range(arguments.repeats):
        for name, selection in SELECTIONS.items():
            found = run_once(arguments.model, selection, extra)
            results[name].append(found)
            print(f"repeat {repeat + 1}, {name}: wall {found[0]:.1f} s, CPU {found[1]:.1f} s, "
                  f"in the model {found[2]:.1f} s ({found[3]} calls), first test after {found[4]:.1f} s", flush=True)
    medians = {name: [statistics.median(column) for column in zip(*rows)] for name, rows in results.items()}
    rest, nve = medians["rest of the suite"], medians["NVE checks"]
    for index, what in enumerate(("wall", "CPU", "in-model")):
        print(f"NVE checks / rest of the suite, {what} time (medians): {nve[index]:.1f} / {rest[index]:.1f} s "
              f"= +{100 * nve[index] / rest[index]:.1f} %")
    added = nve[0] - nve[4]   # a whole run starts up and loads the model once
    print(f"added to a whole run (the NVE run's wall time less its start-up, model load and collection): "
          f"{added:.1f} s = +{100 * added / rest[0]:.1f} % of {rest[0]:.1f} s")


if __name__ == "__main__":
    main()
