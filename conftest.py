"""A clone runs the suite as the installed command does: `pytest --model=SPEC` from here loads
the plugin (mlip_conformance/plugin.py: options, model loading, fixtures, reports, gates)."""

pytest_plugins = ["mlip_conformance.plugin"]
