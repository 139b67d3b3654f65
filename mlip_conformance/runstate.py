"""What one pytest run of the suite holds: its models, evaluators and shared store, kept on the
run's config (config.stash), never in module globals, so that two runs in one process (a
pytester inline run, a second pytest.main) cannot see each other's state."""

import os
from dataclasses import dataclass, field

import pytest

__all__ = ["RunState", "run_state", "process_age"]


@dataclass
class RunState:
    models: dict = field(default_factory=dict)       # device -> adapter (not in an xdist controller)
    description: dict | None = None                  # the model for reports: spec, name, capabilities, …
    usage_error: str | None = None                   # an xdist worker's, relayed to the controller
    evaluators: dict = field(default_factory=dict)   # device -> Evaluator (this process)
    store_dir: str | None = None                     # SharedStore root under pytest-xdist
    interrupted: str | None = None                   # why the run ended early, if it did
    timings: dict = field(default_factory=dict)      # seconds: model_load, prefetch, ...
    restore_sigterm: object = None
    collection_order: dict = field(default_factory=dict)   # node id -> index as collected
    progress: object = None                          # the xdist controller's StorePoller, while it counts


_KEY = pytest.StashKey[RunState]()


def process_age():
    """Seconds since this process started (Linux /proc), else None: how long imports and
    pytest's own start-up took when read at the plugin's configure."""
    try:
        ticks = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19])
        uptime = float(open("/proc/uptime").read().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


def run_state(config):
    if _KEY not in config.stash:
        config.stash[_KEY] = RunState()
    return config.stash[_KEY]


def process_timings(state):
    """This process's timings: its phases, and its evaluators' time inside the model."""
    timings = dict(state.timings)
    for device, evaluator in state.evaluators.items():
        timings.update(in_model=evaluator.seconds_in_model, waiting=evaluator.seconds_waiting,
                       geometries=evaluator.evaluations, calls=evaluator.calls)
    return timings
