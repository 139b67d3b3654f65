"""Release gates: an expected-failure manifest and a baseline of measured numbers.

Expected failures (``--expected-failures FILE``, TOML or YAML) map a check id to the reason the
model is known to fail it:

    [expected-failures]
    "test_h2_harmonic_frequency" = "trained on PBE (MPtrj): ωe 12 % too high"

A listed check that fails is reported as an expected failure (xfail); one that passes fails the
run (strict xpass), so the file cannot silently go stale; an id that matches no check of the run
is reported; a failure that is not listed fails the run.

A baseline (``--baseline FILE``, JSON written by ``--update-baseline``) holds the numbers a
previous release measured.  A passing check whose error |measured − reference| grew by more than
the metric's noise margin fails, even inside the physics tolerance.  The margin is
default_margin() below, or a "margin" added by hand to a metric's entry in the file.
"""

import json
import math
from pathlib import Path

import pytest

BASELINE_SCHEMA = "mlip-conformance-baseline/1"

BASELINE_TOLERANCE_FRACTION = 0.05
"""A metric may get worse by 5 % of its physics tolerance before the gate trips.  A model
evaluated twice on the same inputs gives the same numbers bit for bit on one machine (the suite
evaluates fixed geometries, and Hypothesis draws the same examples under the derandomized ci
profile), so the margin only has to absorb what changes between machines and library versions:
summation order in float32 kernels, BLAS and thread counts.  5 % of a tolerance is far above
that (see the floors below) and small enough that a release that eats a twentieth of its error
budget is flagged."""

BASELINE_MARGINS = {
    "eV": 1e-4,
    "eV/Å": 1e-3,
    "Å": 1e-4,
    "cm⁻¹": 1.0,
}
"""Floor of the margin, by units: what float32 round-off and reordered sums can move between two
machines.  eV: 0.1 meV, 25× the float32 round-off of a 30 eV total energy (30 eV × 1.2e-7 =
4 µeV), a tenth of the 1 meV wiggle the shape laws ignore.  eV/Å: 1 meV/Å, the float32 scale of
the suite's smallest force tolerance (COULOMB_FORCE_ABSOLUTE_EV_PER_A).  Å: 1e-4 Å, the precision
with which a fitted minimum moves when the curve moves by float32 noise.  cm⁻¹: 1 cm⁻¹, 0.02 % of
ωe, below what the quartic fit resolves from noise of 0.1 meV.  Units not listed (counts) have no
floor: a count that grows is a regression."""


def default_margin(units, tolerance):
    """Noise margin of a metric: max(fraction × physics tolerance, floor for its units)."""
    floor = BASELINE_MARGINS.get(units, 0.0)
    return max(BASELINE_TOLERANCE_FRACTION * (tolerance or 0.0), floor)


# ---- expected failures -----------------------------------------------------------------------

def load_expected_failures(path):
    """{check id: reason} from a TOML or YAML manifest; pytest.UsageError on any problem."""
    path = Path(path)
    if not path.is_file():
        raise pytest.UsageError(f"--expected-failures: no such file {path}")
    text = path.read_text(encoding="utf-8")
    try:
        data = _parse_yaml(text) if path.suffix in (".yaml", ".yml") else _parse_toml(text)
    except pytest.UsageError:
        raise
    except Exception as error:
        raise pytest.UsageError(f"--expected-failures {path}: cannot read it: {error}") from None
    table = (data or {}).get("expected-failures")
    if not isinstance(table, dict):
        raise pytest.UsageError(f"--expected-failures {path}: needs a table [expected-failures] "
                                "mapping each check id to the reason it is expected to fail")
    bad = [key for key, reason in table.items() if not isinstance(reason, str) or not reason.strip()]
    if bad:
        raise pytest.UsageError(f"--expected-failures {path}: give a reason (a non-empty string) "
                                f"for {', '.join(map(repr, bad))}")
    return {str(key): reason.strip() for key, reason in table.items()}


def _parse_toml(text):
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise pytest.UsageError("--expected-failures in TOML needs Python ≥ 3.11 or the tomli "
                                    "package (or give a .yaml file with PyYAML installed)") from None
    return tomllib.loads(text)


def _parse_yaml(text):
    try:
        import yaml
    except ImportError:
        raise pytest.UsageError("--expected-failures in YAML needs PyYAML (pip install pyyaml), "
                                "or give the manifest in TOML") from None
    return yaml.safe_load(text)


def matches(check_id, nodeid, manifest):
    """The manifest key naming this check (its id or its full node id), else None."""
    for key in (check_id, nodeid):
        if key in manifest:
            return key
    return None


# ---- baseline --------------------------------------------------------------------------------

def load_baseline(path):
    path = Path(path)
    if not path.is_file():
        raise pytest.UsageError(f"--baseline: no such file {path} (write one with --update-baseline)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise pytest.UsageError(f"--baseline {path}: not JSON: {error}") from None
    if data.get("schema") != BASELINE_SCHEMA or not isinstance(data.get("metrics"), dict):
        raise pytest.UsageError(f"--baseline {path}: not a baseline file ({BASELINE_SCHEMA}); "
                                "write one with --update-baseline")
    return data["metrics"]


def baseline_entry(measurement):
    """What the baseline stores for one measured number (a Measurement-like dict).  No margin is
    stored: the default follows the current tolerance (a Hypothesis check's worst example may be
    another geometry next release); add "margin": X to an entry to override it."""
    return {key: measurement[key] for key in ("quantity", "measured", "reference", "tolerance", "units")}


def write_baseline(path, checks, header):
    """Baseline of every passed (or expected-failure) check's measurements."""
    metrics = {}
    for check in checks:
        if check["status"] in ("passed", "expected failure") and check["measurements"]:
            metrics[check["id"]] = {m["key"]: baseline_entry(m) for m in check["measurements"]}
    data = dict(schema=BASELINE_SCHEMA, **header, metrics=metrics)
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(metrics)


def regressions(check_id, measurements, baseline):
    """Sentences naming every metric of a check that got worse than the baseline by more than
    its margin (metrics with a reference value only: a bound or a count has no error to grow)."""
    found = []
    for m in measurements:
        then = baseline.get(check_id, {}).get(m["key"])
        if not then or m["reference"] is None or then.get("reference") is None:
            continue
        error_now = abs(m["measured"] - m["reference"])
        error_then = abs(then["measured"] - then["reference"])
        margin = then.get("margin", default_margin(m["units"], m["tolerance"]))
        if not math.isfinite(error_now) or error_now - error_then > margin:
            units = f" {m['units']}" if m["units"] else ""
            found.append(
                f"{m['quantity']} = {m['measured']:.6g}{units} is {error_now:.3g}{units} from "
                f"{m['reference']:.6g}{units}; the baseline was {error_then:.3g}{units} off "
                f"(worse by {error_now - error_then:.3g}{units}, noise margin {margin:.3g}{units}; "
                f"physics tolerance ±{m['tolerance']:.3g}{units})" if m["tolerance"] is not None else
                f"{m['quantity']} = {m['measured']:.6g}{units}: error {error_now:.3g}{units}, baseline "
                f"{error_then:.3g}{units} (worse by {error_now - error_then:.3g}{units}, margin {margin:.3g})")
    return found
