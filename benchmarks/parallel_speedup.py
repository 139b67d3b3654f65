"""Parallel speed-up: the whole suite serially and with -n N, alternating, in one run.

    python benchmarks/parallel_speedup.py --model=sevenn [--workers 2] [--repeats 3] [-- PYTEST ARGS]

Each repeat runs the suite serially, then with -n N (the ci Hypothesis profile, one torch thread),
each as a fresh `python -m mlip_conformance` process, and times it from launch to exit.  The
scorecard of every run says where its time went, per process: start_up (interpreter, pytest and
the suite imported), model_load, collected (process age when collection ended), prefetch (the
planned geometries, before the first test), in_model (inside model calls), waiting (for
geometries another worker was evaluating).  Alternating the two modes spreads the machine's
drift over both; the ratio of medians is the speed-up.  Prints a Markdown report with the
machine, its load before each run, every run, the medians and each repeat's ratio.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--model-option", action="append", default=[])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args(argv)
    environment = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    runs = []
    with tempfile.TemporaryDirectory() as directory:
        for repeat in range(args.repeats):
            for workers in (0, args.workers):
                runs.append(run_once(args, workers, Path(directory) / f"card-{repeat}-{workers}.json", environment))
                print(_row(runs[-1]), file=sys.stderr, flush=True)
    print(report(args, runs))


def run_once(args, workers, card, environment):
    command = [sys.executable, "-m", "mlip_conformance", f"--model={args.model}", "--hypothesis-profile=ci", "-q",
               f"--conformance-json={card}", *[f"--model-option={o}" for o in args.model_option],
               *(["-n", str(workers)] if workers else []), *args.pytest_args]
    load = os.getloadavg()[0]
    started = time.monotonic()
    finished = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    wall = time.monotonic() - started
    data = json.loads(card.read_text()) if card.exists() else {}
    return {"workers": workers, "wall": wall, "load": load, "exit": finished.returncode,
            "summary": data.get("summary", {}), "timings": data.get("timings", {})}


def _row(run):
    return f"-n {run['workers']}: {run['wall']:.1f} s (load {run['load']:.2f}, exit {run['exit']})"


def report(args, runs):
    serial = [r["wall"] for r in runs if r["workers"] == 0]
    parallel = [r["wall"] for r in runs if r["workers"] == args.workers]
    lines = [f"# Parallel speed-up: --model={args.model}, -n {args.workers} against serial",
             "", f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
             f"Python {platform.python_version()}; one torch thread (OMP_NUM_THREADS=1); {args.repeats} repeats, "
             "alternating.", "",
             "| run | mode | wall (s) | load before | exit | per process: start_up / model_load / collected / "
             "prefetch / in_model / waiting (s), geometries |", "|---|---|---|---|---|---|"]
    for index, run in enumerate(runs):
        processes = "; ".join(f"{name}: {_timing(t)}" for name, t in sorted(run["timings"].items()) if t)
        mode = "serial" if not run["workers"] else f"-n {run['workers']}"
        lines.append(f"| {index + 1} | {mode} | {run['wall']:.1f} | {run['load']:.2f} | {run['exit']} | {processes} |")
    lines += ["", f"Median serial {statistics.median(serial):.1f} s, median -n {args.workers} "
              f"{statistics.median(parallel):.1f} s: speed-up **{statistics.median(serial) / statistics.median(parallel):.2f}x**; "
              "each repeat's pair: " + ", ".join(f"{s / p:.2f}x" for s, p in zip(serial, parallel)) + "."]
    verdicts = {json.dumps(r["summary"], sort_keys=True) for r in runs}
    lines.append("Verdict counts identical in every run." if len(verdicts) == 1 else
                 f"VERDICT COUNTS DIFFER between runs: {sorted(verdicts)}")
    return "\n".join(lines)


def _timing(t):
    keys = ("start_up", "model_load", "collected", "prefetch", "in_model", "waiting")
    return " / ".join(f"{t[k]:.1f}" if k in t else "–" for k in keys) + f", {t.get('geometries', 0)}"


if __name__ == "__main__":
    main()
