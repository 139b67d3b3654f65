"""mlip-conformance: a pytest physics conformance suite for machine-learned interatomic potentials.

The installed package mirrors the repository: ``mlip_conformance`` is the pytest plugin, the
command and the reports (the repository's mlip_conformance/); ``mlip_conformance.conformance``
the physics tests and their helpers (conformance/); ``mlip_conformance.adapters`` the model
adapters (adapters/); ``mlip_conformance.references`` the reference data (references/).

What a model's own code needs is importable from here::

    from mlip_conformance import CalculatorAdapter, Capabilities

and, from a notebook, the suite run on a calculator already built::

    from mlip_conformance import check
    card = check(calculator, select="curves,contract")

Every name is imported on first use (PEP 562): the pytest11 entry point
(mlip_conformance.activation) imports this package in every pytest run of every project that
has it installed, and must cost that run nothing — no numpy, no ase, no pytest plugin.
"""

import importlib

__all__ = ["Adapter", "CalculatorAdapter", "Capabilities", "ModelUsageError", "load_model", "parse_option",
           "check", "Scorecard", "Failure", "load_scorecard", "__version__"]

_LAZY = {
    "Adapter": "mlip_conformance.adapters",
    "CalculatorAdapter": "mlip_conformance.adapters",
    "Capabilities": "mlip_conformance.adapters",
    "ModelUsageError": "mlip_conformance.adapters",
    "load_model": "mlip_conformance.adapters",
    "parse_option": "mlip_conformance.adapters",
    "check": "mlip_conformance.inprocess",
    "Scorecard": "mlip_conformance.results",
    "Failure": "mlip_conformance.results",
    "load_scorecard": "mlip_conformance.results",
}
"""Public name -> the module that defines it, imported when the name is first read."""


def __getattr__(name):
    if name == "__version__":
        from mlip_conformance.scorecard import version
        return version() or "unknown"
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mlip_conformance' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
