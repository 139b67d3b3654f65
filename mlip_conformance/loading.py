"""Loading the model of a run, for the plugin (plugin.py): --model, --model-option, --device and
--compare-option checked and the model built on each device before collection, so that every
mistake is one usage line (exit code 4) before any test runs."""

import time

import pytest

from mlip_conformance import scorecard
from mlip_conformance.adapters import ModelUsageError, as_adapter, check_spec, load_model, parse_option

__all__ = ["load_models", "load_on", "check_compare_options", "cuda_available"]


def load_models(config, state, controller):
    """Load the model before collection, so that a bad spec is one usage line (exit code 4)
    rather than an error in every test.  Under pytest-xdist the workers load it (each its own
    copy) and the controller only checks the spec and options: a worker that cannot build the
    model relays the one line to the controller before any test runs (pytest_collection_modifyitems);
    `controller`: this process is pytest-xdist's controller.  A cuda entry of a device list is not
    loaded without CUDA: its tests are skipped as gpu tests."""
    spec = config.getoption("model")
    if spec is None:
        return
    started = time.monotonic()
    devices = config.getoption("device")
    try:
        options = dict(parse_option(text) for text in config.getoption("model_option"))
        built = {device: config.hook.pytest_conformance_model(config=config, device=device) for device in devices}
        if all(model is None for model in built.values()):   # a model built by the caller has no factory
            check_compare_options(spec, options, devices, config.getoption("compare_option"))
        if controller:
            for device in devices:
                if built[device] is None:
                    check_spec(spec, options, device)
            return
        for device in devices:
            if built[device] is not None:   # a model built by the caller (mlip_conformance.check)
                state.models[device] = as_adapter(spec, built[device])
            elif device != "cuda" or len(devices) == 1 or cuda_available():
                state.models[device] = load_on(spec, options, device, devices)
    except ModelUsageError as error:
        raise pytest.UsageError(str(error)) from None
    state.timings["model_load"] = time.monotonic() - started
    state.description = scorecard.describe_model(config, state.models, options)


def load_on(spec, options, device, devices):
    """The model on one device of --device; where several are asked for, a model that cannot be
    built on one of them (present: an absent cuda is not loaded) says which."""
    try:
        return load_model(spec, options, device)
    except ModelUsageError as error:
        if len(devices) == 1:
            raise
        raise ModelUsageError(f"{error} (on {device}, one of --device={','.join(devices)})") from None


def check_compare_options(spec, options, devices, compared):
    """Each --compare-option must be KEY=VALUE for a keyword the factory takes, changing what
    --model-option says (or its default): a usage error before any test runs otherwise."""
    for text in compared:
        key, value = parse_option(text, "--compare-option")
        if key in options and options[key] == value:
            raise ModelUsageError(f"--compare-option {text}: --model-option already sets {key}={value}, "
                                  "so there is nothing to compare")
        try:
            for device in devices:
                check_spec(spec, {**options, key: value}, device)
        except ModelUsageError as error:
            raise ModelUsageError(f"--compare-option {text}: {error}") from None


def cuda_available():
    """Whether torch sees a CUDA device (False without torch)."""
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()
