"""The pytest11 entry point of mlip-conformance: inert unless the suite is asked for.

pytest loads every installed ``pytest11`` entry point into every run, so this module adds
nothing by itself — no option, marker, fixture or Hypothesis profile: a project that merely has
mlip-conformance installed, with its own ``--model`` option, markers or profiles, runs
unchanged.  Naming it turns the suite on::

    pytest -p mlip_conformance --model=exact --pyargs mlip_conformance.conformance

(the mlip-conformance command does exactly that); the suite itself is mlip_conformance.plugin.
"""

PLUGIN = "mlip_conformance.plugin"
NAMES = ("mlip_conformance", "mlip-conformance", PLUGIN)


def pytest_load_initial_conftests(early_config, parser, args):
    """Register the suite's plugin when `-p mlip_conformance` was given; its options then exist
    before pytest parses the rest of the command line."""
    asked = early_config.known_args_namespace.plugins or []
    if any(name in NAMES for name in asked):
        early_config.pluginmanager.import_plugin(PLUGIN)
