"""A pytest plugin (-p interrupting_plugin) that presses Ctrl-C during the fifth physics check,
as a notebook's stop button does: KeyboardInterrupt in the main thread."""

import pytest

CHECKS_BEFORE_INTERRUPT = 4


def pytest_configure(config):
    config.stash[_COUNT] = 0


_COUNT = pytest.StashKey[int]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if item.get_closest_marker("system") is not None:
        item.config.stash[_COUNT] += 1
        if item.config.stash[_COUNT] > CHECKS_BEFORE_INTERRUPT:
            raise KeyboardInterrupt
    return (yield)
