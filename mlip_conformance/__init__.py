"""mlip-conformance: a pytest physics conformance suite for machine-learned interatomic potentials.

The installed package mirrors the repository: ``mlip_conformance`` is the pytest plugin, the
command and the reports (the repository's mlip_conformance/); ``mlip_conformance.conformance``
the physics tests and their helpers (conformance/); ``mlip_conformance.adapters`` the model
adapters (adapters/); ``mlip_conformance.references`` the reference data (references/).

What a model's own code needs is importable from here::

    from mlip_conformance import CalculatorAdapter, Capabilities
"""

from mlip_conformance.adapters import (Adapter, CalculatorAdapter, Capabilities, ModelUsageError, load_model,
                                       parse_option)
from mlip_conformance.scorecard import version as _version

__all__ = ["Adapter", "CalculatorAdapter", "Capabilities", "ModelUsageError", "load_model", "parse_option",
           "__version__"]

__version__ = _version() or "unknown"
