"""The suite from Python, on a model already built: ``mlip_conformance.check``.

    from mlip_conformance import check
    card = check(calculator, select="curves,contract")     # in Jupyter: the rendered scorecard

It is the mlip-conformance command run in this process: pytest.main with the installed suite's
arguments (mlip_conformance.cli.suite_arguments) and one plugin object, InProcessRun, which hands
the plugin the model instead of a spec to load (the pytest_conformance_model hook), shows the
progress of the planned structures in a notebook-friendly way, and keeps the run's scorecard.
So the same model gets the same verdicts as from the command (tests/test_inprocess.py compares
the counts).

A call leaves nothing behind: no file (its scratch directory, which holds pytest's basetemp and
Hypothesis's storage, and the xdist store are removed), and no global state — the Hypothesis
profile, the working directory and sys.path are restored — so two calls in one kernel are
independent.  A KeyboardInterrupt (the notebook's stop button) ends the run as it ends a pytest
run: the checks that ran are in the returned scorecard, which says it was interrupted.
"""

import contextlib
import copy
import io
import os
import pickle
import sys
import tempfile

import pytest

from mlip_conformance import progress
from mlip_conformance.adapters import Adapter, CalculatorAdapter, Capabilities, ModelUsageError
from mlip_conformance.cli import suite_arguments
from mlip_conformance.results import Scorecard
from mlip_conformance.selection import GROUPS

__all__ = ["check", "InProcessRun", "RUN_OPTIONS", "load_pickled", "pytest_conformance_model"]

RUN_OPTIONS = {
    "model_timeout": ("--model-timeout", "value"),
    "expected_failures": ("--expected-failures", "value"),
    "baseline": ("--baseline", "value"),
    "update_baseline": ("--update-baseline", "flag"),
    "conformance_json": ("--conformance-json", "value"),
    "junitxml": ("--junitxml", "value"),
    "plots": ("--plots", "value"),
    "device": ("--device", "value"),
    "model_options": ("--model-option", "mapping"),
    "hypothesis_seed": ("--hypothesis-seed", "value"),
    "maxfail": ("--maxfail", "value"),
    "pytest_args": (None, "arguments"),
}
"""check()'s keyword -> (the command's option, how its value is written): 'value' once,
'flag' when true, 'mapping' one KEY=VALUE option per entry, 'arguments' any further pytest
arguments as given."""

QUIET = ("-q", "--tb=no", "-rN")
"""A notebook shows the table and the scorecard, not pytest's tracebacks (pytest_args=['--tb=short',
'-ra'] brings them back)."""


class InProcessRun:
    """The plugin object of one check() call: the model, the progress display, the scorecard."""

    def __init__(self, adapter, display, pickled=None):
        self.adapter = adapter        # None: the run loads its --model spec itself
        self.display = display
        self.pickled = pickled        # workers > 1: the file the xdist workers load the model from
        self.card = None

    def pytest_conformance_model(self, config, device):
        return self.adapter

    def pytest_conformance_progress(self, config):
        return self.display

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node):
        if self.pickled is not None:
            node.workerinput[PICKLED_MODEL] = self.pickled

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionfinish(self, session, exitstatus):
        result = yield
        reporter = session.config.pluginmanager.get_plugin("mlip-conformance-reporter")
        if reporter is not None and session.config.getoption("model") is not None:
            self.card = reporter.scorecard(session)
        return result


PICKLED_MODEL = "conformance_pickled_model"


def pytest_conformance_model(config, device):
    """In an xdist worker of check(workers=N) (this module is then a plugin, -p): the model,
    unpickled from the file the controller names."""
    path = getattr(config, "workerinput", {}).get(PICKLED_MODEL)
    if path is None:
        return None
    try:
        return load_pickled(path)
    except Exception as error:
        raise ModelUsageError(f"a worker could not unpickle the model: {type(error).__name__}: {error}") from None


def check(model, *, capabilities=None, name=None, select=None, workers=1, hypothesis_profile="ci", **run_options):
    """Run the conformance suite on `model` in this process; returns its Scorecard.

    model: an ASE calculator, an adapter (name, capabilities, evaluate), or a spec string as
        --model takes ('sevenn', 'mypkg.models:make_calc').
    capabilities: what the model declares (a Capabilities or a dict of its fields); undeclared,
        the strictest reading applies.  name: the model's name in the reports.
    select: law groups ('curves', 'molecules', 'periodic', 'contract', or several, comma
        separated or as a list), or else a pytest -k expression ('law and not H2', 'Coulomb').
    workers: processes (pytest-xdist -n); above 1 the model is pickled for them (cloudpickle
        where installed).
    run_options: the command's options as keywords (see RUN_OPTIONS), e.g. model_timeout=60,
        expected_failures='xfail.toml', baseline='baseline.json'.
    Bad input (an unknown keyword: TypeError; a bad option value or model: ModelUsageError, one
    line) is reported before any model evaluation.
    """
    options = _option_arguments(run_options)
    chosen = _selection(select)
    with tempfile.TemporaryDirectory(prefix="mlip-conformance-check-") as scratch, _restored_state(scratch):
        spec, adapter, pickled = _model_arguments(model, capabilities, name, workers, scratch)
        plugin = InProcessRun(adapter, progress.notebook_display(), pickled)
        model_arguments = ["-p", __name__] if pickled else []
        arguments = [*_suite_arguments(), *QUIET, "--model", spec, *model_arguments, *chosen,
                     f"--basetemp={os.path.join(scratch, 'basetemp')}",
                     f"--hypothesis-profile={hypothesis_profile}", *_workers(workers), *options]
        exit_code, usage_error = _run(arguments, plugin)
    if exit_code == pytest.ExitCode.USAGE_ERROR and plugin.card is None:
        raise ModelUsageError(usage_error or "the suite refused its arguments (exit code 4)")
    if plugin.card is None:
        raise RuntimeError(f"the suite ended with exit code {int(exit_code)} before any check ran")
    return Scorecard(plugin.card)


def load_pickled(path):
    """The xdist workers' copy of the model of check(workers=N)."""
    with open(path, "rb") as handle:
        return pickle.load(handle)


# ---- arguments ------------------------------------------------------------------------------------

def _suite_arguments():
    return suite_arguments()


def _option_arguments(run_options):
    unknown = sorted(set(run_options) - set(RUN_OPTIONS))
    if unknown:
        raise TypeError(f"check() got unknown run option(s) {', '.join(unknown)}; "
                        f"known: {', '.join(RUN_OPTIONS)}")
    arguments = []
    for keyword, value in run_options.items():
        option, kind = RUN_OPTIONS[keyword]
        if value is None or value is False:
            continue
        if kind == "flag":
            arguments.append(option)
        elif kind == "mapping":
            arguments += [f"{option}={key}={item}" for key, item in dict(value).items()]
        elif kind == "arguments":
            arguments += [str(argument) for argument in value]
        else:
            arguments.append(f"{option}={value}")
    return arguments


def _selection(select):
    """Law groups -> --select; anything else -> -k (a keyword expression, which also matches
    marker names such as law, accuracy, consistency)."""
    if select is None:
        return []
    names = list(select) if isinstance(select, (list, tuple, set)) else str(select).split(",")
    names = [n.strip() for n in names if n.strip()]
    if names and all(n in GROUPS for n in names):
        return [f"--select={','.join(names)}"]
    if not isinstance(select, str):
        raise TypeError(f"select={select!r}: a list must name law groups ({', '.join(GROUPS)}); "
                        "give any other selection as one -k expression string")
    return ["-k", select]


def _workers(workers):
    if not isinstance(workers, int) or workers < 1:
        raise TypeError(f"workers={workers!r}: give a whole number of processes, 1 or more")
    return ["-n", str(workers)] if workers > 1 else []


def _model_arguments(model, capabilities, name, workers, scratch):
    """(spec for --model, the adapter handed over or None, the file the xdist workers unpickle it from)."""
    if isinstance(model, str):
        if capabilities is not None or name is not None:
            raise TypeError("a spec string names a factory that declares its own name and capabilities; "
                            "give capabilities= and name= with a calculator or adapter object")
        return model, None, None
    adapter = _adapter(model, capabilities, name)
    if workers == 1:
        return adapter.name, adapter, None
    path = os.path.join(scratch, "model.pickle")
    try:
        with open(path, "wb") as handle:
            _pickler().dump(adapter, handle)
    except Exception as error:
        raise ModelUsageError(f"check(workers={workers}): the model {adapter.name!r} cannot be sent to worker "
                              f"processes: pickling it failed ({type(error).__name__}: {error}); run with "
                              "workers=1, or give a spec string the workers can load themselves") from None
    return adapter.name, adapter, path


def _adapter(model, capabilities, name):
    declared = Capabilities.from_declaration(capabilities) if capabilities is not None else None
    if isinstance(model, Adapter) and not hasattr(model, "get_potential_energy"):
        adapter = copy.copy(model) if declared is not None or name is not None else model
        if declared is not None:
            adapter.capabilities = declared
        if name is not None:
            adapter.name = name
        return adapter
    if hasattr(model, "get_potential_energy") or hasattr(model, "calculate"):
        return CalculatorAdapter(model, name=name or "", capabilities=declared)
    raise ModelUsageError(f"check() was given a {type(model).__name__}: give an ASE calculator, an adapter "
                          "(name, capabilities, evaluate) or a model spec string")


def _pickler():
    try:
        import cloudpickle
        return cloudpickle
    except ImportError:
        return pickle


# ---- running ----------------------------------------------------------------------------------

class _Tee(io.TextIOBase):
    """stderr as it was, keeping pytest's usage-error line for the exception."""

    def __init__(self, stream):
        self.stream, self.lines = stream, []

    def write(self, text):
        self.lines += [line for line in text.splitlines() if line.startswith("ERROR: ")]
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()


def _run(arguments, plugin):
    tee = _Tee(sys.stderr)
    with contextlib.redirect_stderr(tee):
        exit_code = pytest.main(arguments, plugins=[plugin])
    usage_error = tee.lines[0].removeprefix("ERROR: ").strip() if tee.lines else None
    return exit_code, usage_error


@contextlib.contextmanager
def _restored_state(scratch):
    """What a run changes for the rest of the process, put back: the Hypothesis profile, the
    working directory, sys.path; and Hypothesis's storage (its cache of the suite's constants,
    .hypothesis/ of the working directory) kept in the scratch directory, workers included."""
    from hypothesis import configuration, settings
    profile = settings.get_current_profile_name()
    directory = os.getcwd()
    path = list(sys.path)
    home = getattr(configuration, "__hypothesis_home_directory", None)
    environment = os.environ.get(_HYPOTHESIS_STORAGE)
    storage = os.path.join(scratch, "hypothesis")
    configuration.set_hypothesis_home_dir(storage)
    os.environ[_HYPOTHESIS_STORAGE] = storage   # read by the xdist workers' Hypothesis
    if directory not in sys.path:   # as the command does: factories of the current project
        sys.path.insert(0, directory)
    try:
        yield
    finally:
        os.chdir(directory)
        sys.path[:] = path
        settings.load_profile(profile)
        configuration.set_hypothesis_home_dir(home)
        if environment is None:
            os.environ.pop(_HYPOTHESIS_STORAGE, None)
        else:
            os.environ[_HYPOTHESIS_STORAGE] = environment


_HYPOTHESIS_STORAGE = "HYPOTHESIS_STORAGE_DIRECTORY"
