"""Command-line options, model loading and Hypothesis profiles for the conformance suite."""

import os

import pytest
from hypothesis import HealthCheck, Phase, settings

from adapters import ModelUsageError, load_model, parse_option

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
    group.addoption("--device", choices=("auto", "cpu", "cuda"), default="auto",
                    help="device passed to models that take one (default: auto)")


_MODEL = pytest.StashKey()


def _load(config):
    options = dict(parse_option(text) for text in config.getoption("model_option"))
    return load_model(config.getoption("model"), options, config.getoption("device"))


def pytest_configure(config):
    # Load the model before collection, so a bad spec is one usage line (exit code 4)
    # rather than an error in every test.  xdist workers load their own copy.
    if config.getoption("model") is None:
        return
    try:
        config.stash[_MODEL] = _load(config)
    except ModelUsageError as error:
        raise pytest.UsageError(str(error)) from None


def pytest_collection_modifyitems(config, items):
    needs_model = [item for item in items if "model" in getattr(item, "fixturenames", ())]
    if needs_model and config.getoption("model") is None:
        raise pytest.UsageError(
            f"{len(needs_model)} physics tests need a model: pass --model=SPEC "
            "(e.g. --model=exact, --model=mypkg.models:make_calc)")
    gpu_items = [item for item in items if item.get_closest_marker("gpu")]
    if gpu_items and not _cuda_available():
        skip = pytest.mark.skip(reason="needs CUDA: no CUDA device (or no torch) on this machine")
        for item in gpu_items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def model(pytestconfig):
    """The adapter under test."""
    return pytestconfig.stash[_MODEL]


def _cuda_available():
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()

