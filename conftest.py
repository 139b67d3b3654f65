"""Command-line options, model loading and Hypothesis profiles for the conformance suite."""

import argparse
import os

import pytest
from hypothesis import HealthCheck, Phase, settings

from adapters import ModelUsageError, load_model, parse_option
from conformance.reporting import run_state

# Reports and release gates: JUnit properties, scorecard, summary table, plots, baselines.
pytest_plugins = ["conformance.reporting"]

# Model evaluations take as long as they take: no deadlines.  The 'explain' phase is left out
# because its report names lines of the suite, which tells a chemist nothing; one minimal
# failing geometry per property reads better than an exception group of several.
_COMMON = dict(deadline=None, report_multiple_bugs=False,
               phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink])
settings.register_profile("dev", max_examples=25, **_COMMON)
settings.register_profile("ci", max_examples=50, derandomize=True, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow], **_COMMON)
settings.register_profile("thorough", max_examples=500, **_COMMON)
# Hypothesis's own --hypothesis-profile overrides this default.
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_addoption(parser):
    group = parser.getgroup("conformance", "MLIP physics conformance")
    group.addoption("--model", metavar="SPEC",
                    help="model under test: a registry name (exact, ...), package.module:factory "
                         "or path/to/file.py:factory")
    group.addoption("--model-option", metavar="KEY=VALUE", action="append", default=[],
                    help="keyword argument for the model factory (repeatable); values are read "
                         "as bool, int, float or string")
    group.addoption("--device", type=_devices, default=("auto",), metavar="{auto,cpu,cuda}[,...]",
                    help="device passed to models that take one (default: auto); a list such as "
                         "cpu,cuda runs every model-evaluating test once per device (the cuda "
                         "parameter is gpu-marked: skipped without CUDA)")


DEVICES = ("auto", "cpu", "cuda")


def _devices(text):
    names = tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    unknown = [name for name in names if name not in DEVICES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"{text!r}: give one or more of {', '.join(DEVICES)}, "
                                         "separated by commas")
    return names


def _load(config, device):
    options = dict(parse_option(text) for text in config.getoption("model_option"))
    return load_model(config.getoption("model"), options, device)


def pytest_configure(config):
    # Load the model before collection, so a bad spec is one usage line (exit code 4)
    # rather than an error in every test.  xdist workers load their own copy.  A cuda entry of
    # a device list is not loaded without CUDA: its tests are skipped as gpu tests.
    if config.getoption("model") is None:
        return
    models = run_state(config).models
    try:
        for device in config.getoption("device"):
            if device != "cuda" or len(config.getoption("device")) == 1 or _cuda_available():
                models[device] = _load(config, device)
    except ModelUsageError as error:
        raise pytest.UsageError(str(error)) from None


def pytest_generate_tests(metafunc):
    """With several devices, every test that reads the model runs once per device."""
    devices = metafunc.config.getoption("device")
    if len(devices) > 1 and "model" in metafunc.fixturenames:
        metafunc.parametrize("model", [pytest.param(d, id=d, marks=[pytest.mark.gpu] if d == "cuda" else [])
                                       for d in devices], indirect=True, scope="session")


def pytest_collection_modifyitems(config, items):
    needs_model = [item for item in items if "model" in getattr(item, "fixturenames", ())]
    if needs_model and config.getoption("model") is None:
        raise pytest.UsageError(
            f"{len(needs_model)} physics tests need a model: pass --model=SPEC "
            "(e.g. --model=exact, --model=mypkg.models:make_calc)")
    _leave_out_gpu_comparisons(config, items)
    gpu_items = [item for item in items if item.get_closest_marker("gpu")]
    if gpu_items and not _cuda_available():
        skip = pytest.mark.skip(reason="needs CUDA: no CUDA device (or no torch) on this machine")
        for item in gpu_items:
            item.add_marker(skip)


def _leave_out_gpu_comparisons(config, items):
    """A physics check that needs a GPU of its own (the CPU–GPU comparison) runs where a GPU is
    asked for (--device lists cuda) or present (--device=auto on a CUDA machine).  A CPU-only
    run does not carry it as a skipped test in every report; asked for without CUDA, it is
    skipped with the reason like any gpu test."""
    devices = config.getoption("device")
    if "cuda" in devices or ("auto" in devices and _cuda_available()):
        return
    left_out = [item for item in items if item.get_closest_marker("gpu") and item.get_closest_marker("system")
                and "model" not in getattr(item, "fixturenames", ())]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]


@pytest.fixture(scope="session")
def model(request):
    """The adapter under test (on the device of this parameter, when several are given)."""
    models = run_state(request.config).models
    return models[getattr(request, "param", next(iter(models)))]


@pytest.fixture(scope="session")
def device(request, model):
    """The device name (as given to --device) of the model under test."""
    return next(name for name, loaded in run_state(request.config).models.items() if loaded is model)


def _cuda_available():
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()

