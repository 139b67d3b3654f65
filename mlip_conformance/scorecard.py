"""The scorecard (--conformance-json): one run on one model, as data.

What was run and where (suite version, model spec, options, capabilities, checkpoint hash,
packages, Hypothesis profile), how the run ended (exit status, whether and why it was
interrupted, where the time went), the gates, and every check's verdict with the numbers
behind it under their machine keys.  Schema: mlip_conformance/scorecard.schema.json.
"""

import hashlib
import json
import platform
import time
from importlib import metadata
from pathlib import Path

from mlip_conformance import gating
from mlip_conformance.adapters import parse_option
from mlip_conformance.runstate import process_timings
from mlip_conformance.verdicts import STATUSES, key_measurement

__all__ = ["SCHEMA", "SCHEMA_PATH", "build", "dumps", "model_header", "baseline_header", "version"]

SCHEMA = "mlip-conformance-scorecard/2"
SCHEMA_PATH = Path(__file__).with_name("scorecard.schema.json")
_PACKAGES = ("mlip-conformance", "numpy", "scipy", "ase", "pytest", "pytest-xdist", "hypothesis", "torch",
             "sevenn", "chgnet", "mace-torch", "fairchem-core", "orb-models", "aimnet", "tblite", "pyscf",
             "matplotlib")
_MEASUREMENT_FIELDS = ("key", "quantity", "measured", "reference", "tolerance", "units")


def version(name="mlip-conformance"):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def describe_model(config, models, options):
    """The model as the reports name it (sent by xdist workers to the controller, which does
    not load the model itself)."""
    model = next(iter(models.values()), None)
    return {
        "spec": config.getoption("model"),
        "name": getattr(model, "name", None),
        "options": options,
        "devices": list(models) or list(config.getoption("device")),
        "capabilities": capabilities_of(model),
        "checkpoint": _checkpoint(model, options),
    }


def model_header(config, state):
    if state.description is not None:
        return state.description
    options = dict(parse_option(text) for text in config.getoption("model_option"))
    return {"spec": config.getoption("model"), "name": None, "options": options,
            "devices": list(config.getoption("device")), "capabilities": None, "checkpoint": None}


def baseline_header(config, state):
    header = model_header(config, state)
    return {"suite_version": version(), "created": _now(),
            "model": {key: header[key] for key in ("spec", "name", "options", "checkpoint")}}


def build(config, state, checks, exit_status, reporter):
    from hypothesis import settings
    gates = reporter.gates
    stale, missing = gates.stale_and_missing(checks)
    return {
        "schema": SCHEMA,
        "suite_version": version(),
        "model": model_header(config, state),
        "created": _now(),
        "exit_status": exit_status,
        "interrupted": state.interrupted,
        "environment": {"python": platform.python_version(), "platform": platform.platform(),
                        "packages": {name: v for name in _PACKAGES if (v := version(name))}},
        "hypothesis": {"profile": settings.get_current_profile_name(),
                       "seed": config.getoption("hypothesis_seed", None),
                       "derandomize": bool(settings().derandomize),
                       "max_examples": settings().max_examples},
        "timings": _timings(state, reporter),
        "gates": {
            "expected_failures": config.getoption("expected_failures"),
            "unknown_expected_failure_ids": gating.unknown_manifest_ids(gates.manifest, checks),
            "baseline": config.getoption("baseline"),
            "baseline_updated": bool(config.getoption("update_baseline")),
            "baseline_stale": stale,
            "baseline_missing": missing,
            "warnings": list(gates.warnings),
        },
        "summary": {status: sum(c["status"] == status for c in checks) for status in STATUSES},
        "checks": [_check_entry(c, key_measurement) for c in checks],
    }


def dumps(card):
    return json.dumps(card, indent=1, ensure_ascii=False, allow_nan=False, default=_jsonable) + "\n"


def _jsonable(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _timings(state, reporter):
    processes = {"main": process_timings(state), **reporter.worker_timings}
    return {name: {k: (round(v, 3) if isinstance(v, float) else v) for k, v in t.items()}
            for name, t in processes.items()}


def _check_entry(check, key_measurement):
    found = check["measurements"]
    key = key_measurement(found) if found else None
    entry = {name: check[name] for name in ("id", "nodeid", "function", "category", "system", "status", "message")}
    entry["key"] = key["key"] if key else None
    entry["measurements"] = [{name: _finite_or_none(m[name]) for name in _MEASUREMENT_FIELDS} for m in found]
    return entry


def _finite_or_none(value):
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def capabilities_of(model):
    """The model's declared capabilities as the scorecard keeps them (JSON: lists, not sets)."""
    if model is None:
        return None
    found = {}
    for name, value in vars(model.capabilities).items():
        found[name] = sorted(value) if isinstance(value, frozenset) else value
    return found


def _checkpoint(model, options):
    """{"path", "sha256"} of the weights file, where the run names one (option or adapter)."""
    path = options.get("checkpoint") or getattr(model, "checkpoint", None)
    if not path or not Path(str(path)).is_file():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"path": str(Path(path).resolve()), "sha256": digest.hexdigest()}
