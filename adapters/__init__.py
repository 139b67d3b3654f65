"""Model adapters and the loader behind ``--model``.

A model spec is a registry name (see REGISTRY), ``package.module:factory`` or
``path/to/file.py:factory``.  The factory is called with the ``--model-option``
values (and ``device`` when it takes one) and returns an ASE calculator or an
adapter; calculators are wrapped in CalculatorAdapter.
"""

import importlib
import importlib.util
import inspect
from pathlib import Path

from mlip_conformance.adapters.base import Adapter, CalculatorAdapter, Capabilities, ModelUsageError

__all__ = ["Adapter", "CalculatorAdapter", "Capabilities", "ModelUsageError", "REGISTRY",
           "as_adapter", "check_spec", "load_model", "parse_option"]

REGISTRY = {
    "exact": "mlip_conformance.adapters.exact:make_calculator",
    "uma": "mlip_conformance.adapters.fairchem:make_uma",
    "esen-omol": "mlip_conformance.adapters.fairchem:make_esen_omol",
    "mace": "mlip_conformance.adapters.mace:make_mace",
    "sevenn": "mlip_conformance.adapters.sevenn:make_sevenn",
    "chgnet": "mlip_conformance.adapters.chgnet:make_chgnet",
    "orb": "mlip_conformance.adapters.orb:make_orb",
    "aimnet2": "mlip_conformance.adapters.aimnet2:make_aimnet2",
    "xtb": "mlip_conformance.adapters.xtb:make_xtb",
    "pyscf": "mlip_conformance.adapters.pyscf_model:make_pyscf",
}
"""Registry name → factory, one module per model family.  Importing a family module never
imports its package: the factory does, so a missing package is a one-line usage error."""


def parse_option(text, flag="--model-option"):
    """``KEY=VALUE`` → (key, value) with the value read as bool, int, float or str; flag names
    the command-line option in the error."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ModelUsageError(f"{flag} {text!r} is not of the form KEY=VALUE")
    lowered = raw.strip().lower()
    if lowered in ("true", "false"):
        return key.strip(), lowered == "true"
    for kind in (int, float):
        try:
            return key.strip(), kind(raw)
        except ValueError:
            pass
    return key.strip(), raw


def load_model(spec, options=None, device="auto"):
    """Build the adapter named by spec; every failure is a one-line ModelUsageError."""
    factory, options = check_spec(spec, options, device)
    try:
        built = factory(**options)
    except ModelUsageError:
        raise
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # one line for the user, whatever the package raised (or exited with)
        raise ModelUsageError(f"model {spec!r} could not be built: {type(error).__name__}: "
                              f"{_first_line(error)}") from error
    return as_adapter(spec, built)


def check_spec(spec, options=None, device="auto"):
    """The factory a spec names and the keyword arguments it will get, without building the
    model (cheap: a registry name imports its family module, never the family's package)."""
    options = dict(options or {})
    factory = _resolve(spec)
    parameters = inspect.signature(factory).parameters
    if "device" in parameters:
        options.setdefault("device", device)
    elif device != "auto":
        raise ModelUsageError(f"model {spec!r} takes no device option; drop --device={device}")
    _check_options(spec, factory, options)
    return factory, options


def _resolve(spec):
    target = REGISTRY.get(spec, spec)
    module_name, sep, attribute = target.rpartition(":")
    if not sep:
        known = ", ".join(sorted(REGISTRY))
        raise ModelUsageError(f"unknown model {spec!r}: known models are {known}; "
                              "or give package.module:factory or path/to/file.py:factory")
    module = _import(spec, module_name)
    try:
        factory = getattr(module, attribute)
    except AttributeError:
        raise ModelUsageError(f"model {spec!r}: {module_name} has no attribute {attribute!r}") from None
    if not callable(factory):
        raise ModelUsageError(f"model {spec!r}: {attribute!r} is not callable")
    return factory


def _import(spec, module_name):
    try:
        if module_name.endswith(".py") or "/" in module_name:
            path = Path(module_name)
            if not path.is_file():
                raise ModelUsageError(f"model {spec!r}: no such file {path}")
            module_spec = importlib.util.spec_from_file_location(f"_conformance_model_{path.stem}", path)
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
            return module
        return importlib.import_module(module_name)
    except (ModelUsageError, KeyboardInterrupt):
        raise
    except BaseException as error:
        raise ModelUsageError(f"model {spec!r}: cannot import {module_name}: "
                              f"{type(error).__name__}: {_first_line(error)}") from error


def _check_options(spec, factory, options):
    parameters = inspect.signature(factory).parameters
    if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return
    accepted = [name for name, p in parameters.items()
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and name != "device"]
    unknown = sorted(set(options) - set(parameters))
    if unknown:
        raise ModelUsageError(f"model {spec!r} does not accept option(s) {', '.join(unknown)}; "
                              f"accepted: {', '.join(accepted) or 'none'}")


def as_adapter(spec, built):
    """An adapter as given, or an ASE calculator wrapped in CalculatorAdapter (named spec)."""
    if isinstance(built, Adapter):
        return built
    if hasattr(built, "get_potential_energy") or hasattr(built, "calculate"):
        return CalculatorAdapter(built, name=spec)
    raise ModelUsageError(f"model {spec!r}: the factory returned {type(built).__name__}, "
                          "expected an ASE calculator or an adapter with name, capabilities and evaluate()")


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else "(no message)"
