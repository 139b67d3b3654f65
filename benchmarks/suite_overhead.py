"""Suite overhead: the full conformance suite against the bare model on the same geometries.

    python benchmarks/suite_overhead.py --model=sevenn [--model-option KEY=VALUE ...] [-- PYTEST ARGS]

In one process: (a) runs the whole suite (in-process pytest, ci profile) and records every
structure the model is asked to evaluate; (b) evaluates the same unique geometries with the
bare model in a plain loop, one structure at a time, as a user would without the suite.  Model
loading and imports are excluded from (a) (the clock runs from the start of the session, after
the model is loaded, to the last test: collection, the planned evaluations and every test); one
warm-up evaluation precedes both; (b) runs twice and the faster run counts.
Prints (a), (b), their ratio and where the suite's time goes (inside the model vs around it),
in wall-clock time and in this process's CPU time (the latter barely moves when other
processes share the machine; the model runs on one thread, as the adapters default to).
"""

import argparse
import os
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

from mlip_conformance.conformance.systems import h2
from mlip_conformance.evaluation import geometry_key
from mlip_conformance.runstate import run_state


class Recorder:
    """A pytest plugin: times the test loop and logs every structure sent to the model."""

    def __init__(self):
        self.structures, self.model = [], None
        self.model_time, self.loop_time = Clock(), Clock()

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session):
        self.model = next(iter(run_state(session.config).models.values()))
        evaluate = self.model.evaluate
        evaluate([h2(0.74)])   # warm-up: first-call compilation, allocator, thread pools

        def recorded(structures):
            self.structures.extend(atoms.copy() for atoms in structures)
            with self.model_time:
                return evaluate(structures)

        self.model.evaluate = recorded
        self.loop_time.__enter__()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session):
        try:
            return (yield)
        finally:
            self.loop_time.__exit__()


class Clock:
    """Accumulates wall-clock and process CPU seconds over the blocks it times."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def __enter__(self):
        self._start = (time.perf_counter(), time.process_time())
        return self

    def __exit__(self, *exc):
        self.wall += time.perf_counter() - self._start[0]
        self.cpu += time.process_time() - self._start[1]
        return False


def bare_loop(model, structures):
    """Each structure once, one at a time, through the model's own calculator where it has one."""
    calculator = getattr(model, "calculator", None)
    clock = Clock().__enter__()
    for atoms in structures:
        try:   # a model may refuse a geometry (the suite records that as a failure)
            if calculator is not None:
                atoms = atoms.copy()
                if hasattr(calculator, "reset"):
                    calculator.reset()
                atoms.calc = calculator
                atoms.get_potential_energy()
                atoms.get_forces()
            else:
                model.evaluate([atoms])
        except Exception:
            pass
    clock.__exit__()
    return clock


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--model-option", action="append", default=[])
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    recorder = Recorder()
    pytest_args = [str(REPO / "conformance"), "-c", str(REPO / "pytest.ini"), "--rootdir", str(REPO),
                   f"--model={args.model}", *[f"--model-option={o}" for o in args.model_option],
                   "--hypothesis-profile=ci", "-p", "no:cacheprovider", "-q", "--no-header", "-rN",
                   *args.pytest_args]
    code = pytest.main(pytest_args, plugins=[recorder])
    if recorder.model is None:
        return code or 1
    unique = list({geometry_key(atoms): atoms for atoms in recorder.structures}.values())
    loops = [bare_loop(recorder.model, unique) for _ in range(2)]
    suite, inside = recorder.loop_time, recorder.model_time
    print(f"\nmodel {recorder.model.name!r} (--model={args.model}), pytest exit code {code}")
    print(f"structures sent to the model by the suite: {len(recorder.structures)}, "
          f"unique geometries: {len(unique)}")
    print(f"{'':44} {'wall s':>9} {'CPU s':>9}")
    for label, wall, cpu in (
            ("(a) full suite, session start to last test", suite.wall, suite.cpu),
            ("    inside model.evaluate", inside.wall, inside.cpu),
            ("    around the model (the suite's own work)", suite.wall - inside.wall, suite.cpu - inside.cpu),
            ("(b) bare model, plain loop, run 1", loops[0].wall, loops[0].cpu),
            ("    run 2", loops[1].wall, loops[1].cpu)):
        print(f"{label:44} {wall:9.2f} {cpu:9.2f}")
    wall = min(loop.wall for loop in loops)
    cpu = min(loop.cpu for loop in loops)
    print(f"ratio (a)/(b): wall {suite.wall / wall:.3f} (overhead {100 * (suite.wall / wall - 1):+.1f} %), "
          f"CPU {suite.cpu / cpu:.3f} (overhead {100 * (suite.cpu / cpu - 1):+.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
