"""Fixtures for the self-tests."""

import pytest

import suite

pytest_plugins = ["pytester"]


@pytest.fixture
def run_suite(pytester):
    """run_suite(model_spec, *pytest_args, modules=, scorecard=, timeout=) -> SuiteRun: the
    conformance suite in a subprocess."""
    return lambda model, *args, **options: suite.run_suite(pytester, model, *args, **options)


@pytest.fixture
def spec():
    return suite.model_spec
