"""The conformance suite as a pytest plugin: the --model option, model loading (loading.py), the
`model` and `evaluator` fixtures, markers, Hypothesis profiles, reports and release gates.

Opt-in.  It is loaded by the mlip-conformance command, by ``pytest -p mlip_conformance`` (the
inert entry point mlip_conformance.activation then loads this module), and by the root
conftest.py of a clone.  A pytest run that does not ask for it gets nothing from it.
"""

import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import InvalidArgument

from mlip_conformance import conformance, gating, guard, outputs, progress, selection
from mlip_conformance.conformance import applicability, planning
from mlip_conformance.evaluation import Evaluator
from mlip_conformance.loading import cuda_available, load_models
from mlip_conformance.reporter import Reporter
from mlip_conformance.runstate import process_age, run_state
from mlip_conformance.verdicts import CATEGORIES
from mlip_conformance.store import SharedStore

# Physics fixtures (curves, atoms, references) shared by the test modules.
pytest_plugins = ["mlip_conformance.conformance.fixtures"]

MARKERS = (
    "law: a law that any exact solution of the electronic Schrödinger equation obeys",
    "accuracy: agreement with reference data for the model's level of theory",
    "consistency: the model gives the same answer however it is called (in a batch or alone, "
    "once or twice, on CPU or GPU, through its calculator as a script would)",
    "gpu: needs CUDA; skipped with a reason without it",
    "system(name): the physical system a check examines (H2, bare protons, ...), for reports",
    "needs(Needs): what a check asks of a model (conformance/applicability.py); a model that declares "
    "it cannot is not asked, and the check is not applicable",
    "drawn: a law checked on geometries made during the test (Hypothesis draws, MD trajectories), "
    "not planned; run first under pytest-xdist, as they are the longest checks",
)

DEVICES = ("auto", "cpu", "cuda")
_NOT_APPLICABLE = pytest.StashKey[str]()


def _register_hypothesis_profiles():
    # Model evaluations take as long as they take: no deadlines.  The 'explain' phase is left out
    # because its report names lines of the suite, which tells a chemist nothing; one minimal
    # failing geometry per property reads better than an exception group of several.
    common = dict(deadline=None, report_multiple_bugs=False,
                  phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink])
    settings.register_profile("dev", max_examples=25, **common)
    settings.register_profile("ci", max_examples=50, derandomize=True, database=None, print_blob=True,
                              suppress_health_check=[HealthCheck.too_slow], **common)
    settings.register_profile("thorough", max_examples=500, **common)


PROFILES = ("dev", "ci", "thorough")
_register_hypothesis_profiles()


# ---- options ---------------------------------------------------------------------------------

def pytest_addhooks(pluginmanager):
    from mlip_conformance import hooks
    pluginmanager.add_hookspecs(hooks)


def pytest_addoption(parser):
    group = parser.getgroup("conformance", "MLIP physics conformance")
    group.addoption("--model", metavar="SPEC",
                    help="model under test: a registry name (exact, sevenn, ...), package.module:factory "
                         "or path/to/file.py:factory")
    group.addoption("--model-option", metavar="KEY=VALUE", action="append", default=[],
                    help="keyword argument for the model factory (repeatable); values are read "
                         "as bool, int, float or string")
    group.addoption("--compare-option", metavar="KEY=VALUE", action="append", default=[],
                    help="also build the model with this factory option changed (repeatable, each on its "
                         "own) and check that it predicts the same energies, forces and stresses on every "
                         "planned geometry, within float32 round-off (test_devices.py)")
    group.addoption("--device", default="auto", metavar="{auto,cpu,cuda}[,...]",
                    help="device passed to models that take one (default: auto); a list such as "
                         "cpu,cuda runs every model-evaluating test once per device (the cuda "
                         "parameter is gpu-marked: skipped without CUDA)")
    group.addoption("--model-timeout", default=None, metavar="SECONDS",
                    help="fail the geometries of any model call that takes longer (default: no limit); "
                         "see the README for what can and cannot be interrupted")
    group.addoption("--select", default=None, metavar="GROUP[,GROUP]",
                    help="run only the checks of these law groups: " + ", ".join(selection.GROUPS)
                         + " (combine with -k and -m as usual)")
    reports = parser.getgroup("conformance reports", "MLIP conformance: reports and release gates")
    reports.addoption("--conformance-json", metavar="PATH",
                      help="write the scorecard: model, environment and every check's verdict and numbers")
    reports.addoption("--plots", metavar="DIR",
                      help="write SVG figures of the run's curves, one per scanned system, as the report draws them (needs matplotlib: the 'plots' extra)")
    reports.addoption("--expected-failures", metavar="FILE",
                      help="TOML (or YAML) table [expected-failures] of check id = reason: listed "
                           "failures are expected, an unlisted failure or a listed pass fails the run")
    reports.addoption("--baseline", metavar="FILE",
                      help="baseline JSON of a previous release of the same model: a metric worse by "
                           "more than its noise margin fails its check")
    reports.addoption("--update-baseline", action="store_true",
                      help="write this run's numbers to the --baseline FILE instead of comparing")


def _devices(text):
    if isinstance(text, tuple):
        return text
    names = tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    unknown = [name for name in names if name not in DEVICES]
    if unknown or not names:
        raise pytest.UsageError(f"--device={text}: give one or more of {', '.join(DEVICES)}, separated by commas")
    return names


def _seconds(text):
    if text is None or isinstance(text, float):
        return text
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise pytest.UsageError(f"--model-timeout={text}: give a positive number of seconds")
    return value


def _read_typed_options(config):
    """Options whose values need checking: one usage line each (argparse would print two)."""
    config.option.device = _devices(config.option.device)
    config.option.model_timeout = _seconds(config.option.model_timeout)
    if config.option.select is not None:
        config.option.select = selection.parse_groups(config.option.select)


# ---- configuration ---------------------------------------------------------------------------

def _is_worker(config):
    return hasattr(config, "workerinput")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """Everything a user can get wrong is checked here, before any test runs: one line, exit 4."""
    age = process_age()
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    _read_typed_options(config)
    config.addinivalue_line("filterwarnings", "error::pytest.PytestUnknownMarkWarning")
    _choose_hypothesis_profile(config)
    if config.getoption("model_timeout") and not guard.can_time_out():
        raise pytest.UsageError("--model-timeout needs POSIX interval timers (signal.setitimer), "
                                "which this platform does not have")
    if not _is_worker(config):
        outputs.validate(config)
        _schedule_one_by_one(config)
    gates = gating.load_gates(config)
    state = run_state(config)
    if age is not None:
        state.timings["start_up"] = age   # interpreter, pytest and the suite imported
    try:
        load_models(config, state, _is_xdist_controller(config))
        if gates.baseline is not None and state.description is not None:
            gates.check_identity(config, state.description)
    except pytest.UsageError as error:
        if not _is_worker(config):
            raise
        state.usage_error = str(error)   # relayed to the controller before any test runs
    state.restore_sigterm = guard.catch_sigterm(lambda: setattr(state, "interrupted", "SIGTERM"))
    config.pluginmanager.register(Reporter(config, gates), "mlip-conformance-reporter")


def _schedule_one_by_one(config):
    """Under `-n N --dist load` with pytest-xdist's default chunking, a worker receives a quarter
    of its share of the tests in one consecutive block and, at the end, several at a time: a few
    checks on drawn geometries, each seconds long, land on one worker while the other idles.
    In a run of the suite (--model given) where the user did not choose --maxschedchunk, the
    controller hands tests out one at a time (each worker keeps two queued), which balances the
    workers to within one test; the cost is one message per test."""
    if (config.getoption("model") is not None and getattr(config.option, "dist", "no") == "load"
            and getattr(config.option, "maxschedchunk", 0) is None):
        config.option.maxschedchunk = 1


def _choose_hypothesis_profile(config):
    """--hypothesis-profile must name a registered profile; without it, 'ci' where the CI
    environment variable is set and 'dev' elsewhere (loaded only when the suite runs)."""
    chosen = config.getoption("hypothesis_profile", None)
    if chosen is None:
        settings.load_profile("ci" if os.environ.get("CI") else "dev")
        return
    try:
        settings.get_profile(chosen)
    except InvalidArgument:
        raise pytest.UsageError(f"--hypothesis-profile={chosen}: no such profile; the suite's profiles "
                                f"are {', '.join(PROFILES)}") from None


def _is_xdist_controller(config):
    return (not _is_worker(config) and getattr(config.option, "dist", "no") != "no"
            and not config.option.collectonly)


def pytest_unconfigure(config):
    state = run_state(config)
    if state.progress is not None:
        state.progress.stop()
    if state.restore_sigterm is not None:
        state.restore_sigterm()
    if state.store_dir and not _is_worker(config):
        import shutil
        shutil.rmtree(state.store_dir, ignore_errors=True)


# ---- pytest-xdist: one shared store per run ----------------------------------------------------

@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Controller side of pytest-xdist: one store directory for all workers of the run."""
    state = run_state(node.config)
    if state.store_dir is None:
        state.store_dir = tempfile.mkdtemp(prefix="mlip-conformance-store-")
        if node.config.getoption("model") is not None and not node.config.option.collectonly:
            tracker = progress.Tracker(progress.display_for(node.config))
            state.progress = progress.StorePoller(state.store_dir, tracker).start()
    node.workerinput["conformance_store"] = state.store_dir


def _evaluator_for(config, device, model):
    state = run_state(config)
    if device not in state.evaluators:
        shared = getattr(config, "workerinput", {}).get("conformance_store")
        worker = getattr(config, "workerinput", {}).get("workerid", "main")
        store = SharedStore(Path(shared) / device, worker=worker) if shared else None
        state.evaluators[device] = Evaluator(model, store, timeout=config.getoption("model_timeout"))
    return state.evaluators[device]


# ---- collection --------------------------------------------------------------------------------

def pytest_generate_tests(metafunc):
    """With several devices, every test that reads the model runs once per device; a comparison
    under another configuration runs once per --compare-option."""
    if "compared_option" in metafunc.fixturenames:
        metafunc.parametrize("compared_option", [pytest.param(text, id=text)
                                                 for text in metafunc.config.getoption("compare_option")])
    devices = metafunc.config.getoption("device")
    if len(devices) > 1 and "model" in metafunc.fixturenames and metafunc.definition.get_closest_marker("system"):
        metafunc.parametrize("model", [pytest.param(d, id=d, marks=[pytest.mark.gpu] if d == "cuda" else [])
                                       for d in devices], indirect=True, scope="session")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    run_state(config).collection_order = {item.nodeid: index for index, item in enumerate(items)}
    state = run_state(config)
    if state.usage_error:   # an xdist worker that could not build the model: tell the controller
        report = pytest.CollectReport("mlip-conformance", "failed", state.usage_error, [])
        report.conformance_usage_error = state.usage_error
        config.hook.pytest_collectreport(report=report)
        items[:] = []
        return
    _require_check_metadata(config, items)
    _decide_applicability(state, items)
    needs_model = [item for item in items
                   if item.get_closest_marker("system") and "model" in getattr(item, "fixturenames", ())]
    if needs_model and config.getoption("model") is None:
        raise pytest.UsageError(
            f"{len(needs_model)} physics tests need a model: pass --model=SPEC "
            "(e.g. --model=exact, --model=mypkg.models:make_calc)")
    if config.getoption("select") is not None:
        selection.deselect(config, items, config.getoption("select"))
    _leave_out_gpu_comparisons(config, items)
    _leave_out_option_comparisons(config, items)
    gpu_items = [item for item in items if item.get_closest_marker("gpu")]
    if gpu_items and not cuda_available():
        skip = pytest.mark.skip(reason="needs CUDA: no CUDA device (or no torch) on this machine")
        for item in gpu_items:
            item.add_marker(skip)
    _run_drawn_checks_first(config, items)


def _decide_applicability(state, items):
    """Once, before any check runs: each check's declared needs against the model's declared
    capabilities (applicability.why_not, the predicate the plan reads too)."""
    model = next(iter(state.models.values()), None)
    if model is None:   # the xdist controller: its workers decide, each for the checks it runs
        return
    for item in items:
        reason = applicability.why_not(applicability.needs_of(item), model.capabilities, model.name)
        if reason is not None:
            item.stash[_NOT_APPLICABLE] = reason


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A check whose needs the model does not meet ends here, before its fixtures are built."""
    reason = item.stash.get(_NOT_APPLICABLE, None)
    if reason is not None:
        raise applicability.NotApplicable(reason, at_the_check=True)


def _require_check_metadata(config, items):
    """Every check (a test of the suite's own modules, or any test that asks for the model) says
    what it examines (a system marker, which groups scorecards, baselines and reports) and what
    kind of check it is (law, accuracy or consistency).  A check without them would drop out of
    every report silently: it is a collection error naming the test, and it does not run."""
    suite = Path(conformance.__file__).parent
    checks = [item for item in items if Path(str(item.fspath)).parent == suite or _asks_for_the_model(item)]
    unlabelled = [item for item in checks
                  if (item.get_closest_marker("system") is None
                       or sum(item.get_closest_marker(c) is not None for c in CATEGORIES) != 1)]
    for item in unlabelled:
        report = pytest.CollectReport(item.nodeid, "failed",
                                      f"{item.nodeid}: a check of the suite needs a system marker "
                                      f"(pytest.mark.system(name)) and exactly one of the markers "
                                      f"{', '.join(CATEGORIES)}", [])
        config.hook.pytest_collectreport(report=report)
    if unlabelled:
        items[:] = [item for item in items if item not in unlabelled]


def _asks_for_the_model(item):
    """True when the test uses this plugin's `model` or `evaluator` fixture (not a parameter or a
    fixture of its own that happens to share the name)."""
    info = getattr(item, "_fixtureinfo", None)
    defined = info.name2fixturedefs if info is not None else {}
    return any(defined.get(name) and defined[name][-1].func.__module__ == __name__ for name in ("model", "evaluator"))


def _run_drawn_checks_first(config, items):
    """Under pytest-xdist the checks on drawn geometries go first: each costs as much as a
    hundred checks on planned geometries (whose predictions the prefetch has already shared out),
    so they are started while the many cheap checks remain to even out the workers' loads, as in
    longest-first scheduling.  The controller hands tests out one at a time (_schedule_one_by_one),
    so the drawn checks do not land together on one worker.  Reports keep the collection order
    (reporter.py)."""
    if _is_worker(config):
        items.sort(key=lambda item: item.get_closest_marker("drawn") is None)


def _leave_out_gpu_comparisons(config, items):
    """A physics check that needs a GPU of its own (the CPU–GPU comparison) runs where a GPU is
    asked for (--device lists cuda) or present (--device=auto on a CUDA machine).  A CPU-only
    run does not carry it as a skipped test in every report; asked for without CUDA, it is
    skipped with the reason like any gpu test."""
    devices = config.getoption("device")
    if "cuda" in devices or ("auto" in devices and cuda_available()):
        return
    _deselect(config, items, lambda item: item.get_closest_marker("gpu") and item.get_closest_marker("system")
              and "model" not in getattr(item, "fixturenames", ()))


def _leave_out_option_comparisons(config, items):
    """Without --compare-option the comparison under another option has nothing to compare: it
    is left out (deselected), not reported as a skipped check."""
    if not config.getoption("compare_option"):
        _deselect(config, items, lambda item: "compared_option" in getattr(item, "fixturenames", ()))


def _deselect(config, items, leave_out):
    left_out = [item for item in items if leave_out(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]


# ---- before the first test: evaluate the planned geometries ------------------------------------

@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session):
    """Each process evaluates the fixed geometries the selected checks will read (the plan)
    before it runs a test.  Under xdist a worker does so before it tells the controller that it
    has collected: the workers share the evaluations (each walks the plan from its own starting
    point and claims one call's worth at a time, so no geometry is evaluated twice), and a worker
    that dies on a geometry of the plan takes no test down with it: the controller restarts it
    and the checks that read that geometry fail, naming it."""
    config = session.config
    age = process_age()
    if age is not None:
        run_state(config).timings["collected"] = age
    if not config.option.collectonly and not _is_xdist_controller(config):
        _prefetch(session)


def _prefetch(session):
    config = session.config
    state = run_state(config)
    systems = {item.get_closest_marker("system").args[0] for item in session.items
               if item.get_closest_marker("system") is not None}
    if not systems or not state.models:
        return
    started = time.monotonic()
    index, count = _worker_index(config)
    plans = {device: planning.planned_structures(systems, model.capabilities)
             for device, model in state.models.items()}
    tracker = None if _is_worker(config) else progress.Tracker(progress.display_for(config))
    try:
        for device, plan in plans.items():
            evaluator = _evaluator_for(config, device, state.models[device])
            if tracker is not None:
                tracker.expect(evaluator.unanswered(plan))
            elif evaluator.store is not None:
                progress.write_planned(evaluator.store.directory, evaluator.unanswered(plan))
        for device, plan in plans.items():
            evaluator = _evaluator_for(config, device, state.models[device])
            evaluator.prefetch(plan, start=len(plan) * index // count,
                               progress=tracker.advance if tracker is not None else None)
    finally:
        if tracker is not None:
            tracker.finish()
    state.timings["prefetch"] = time.monotonic() - started


def _worker_index(config):
    info = getattr(config, "workerinput", None)
    if not info:
        return 0, 1
    count = int(info.get("workercount", 1))
    return int(str(info.get("workerid", "gw0")).removeprefix("gw")) % count, count


# ---- fixtures ----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def model(request):
    """The adapter under test (on the device of this parameter, when several are given)."""
    models = run_state(request.config).models
    return models[getattr(request, "param", next(iter(models)))]


@pytest.fixture(scope="session")
def device(request, model):
    """The device name (as given to --device) of the model under test."""
    return next(name for name, loaded in run_state(request.config).models.items() if loaded is model)


@pytest.fixture(scope="session")
def evaluator(request, model, device):
    """One per model (and device); under pytest-xdist the workers share their predictions."""
    return _evaluator_for(request.config, device, model)
