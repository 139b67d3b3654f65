"""Hooks the suite's plugin asks other plugins (mlip_conformance.inprocess implements them).

Registered by mlip_conformance/plugin.py (pytest_addhooks), so they exist only in a run of the
suite."""

import pytest

__all__ = ["pytest_conformance_model", "pytest_conformance_progress"]


@pytest.hookspec(firstresult=True)
def pytest_conformance_model(config, device):
    """An already-built model for this device (an adapter or an ASE calculator), used instead of
    loading --model; None to load --model as usual."""


@pytest.hookspec(firstresult=True)
def pytest_conformance_progress(config):
    """A display of the progress of the planned structures (mlip_conformance.progress.Display),
    or None for the run's own (a line on a terminal, one summary line elsewhere)."""
