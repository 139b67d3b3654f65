"""Release gates: an expected-failure manifest and a baseline of measured numbers.

Expected failures (``--expected-failures FILE``, TOML or YAML) map a check id to the reason the
model is known to fail it:

    [expected-failures]
    "test_h2_harmonic_frequency" = "trained on PBE (MPtrj): ωe 12 % too high"

A listed check that fails is reported as an expected failure (xfail); one that passes fails the
run (strict xpass), so the file cannot silently go stale; an id that matches no check of the run
is reported; a failure that is not listed fails the run.

A baseline (``--baseline FILE``, JSON written by ``--update-baseline``) holds the numbers a
previous release of the same model measured, per check id and measurement key (the machine
identity each check gives its numbers in code).  A passing check whose error |measured −
reference| grew by more than the metric's noise margin fails, even inside the physics
tolerance.  The margin is default_margin() below, or a "margin" added by hand to an entry.
The file names the model it was made from: used with another model (another spec, or another
model name under it) it is refused (exit 4); with the same model but other weights or options
(a new checkpoint: the release it is meant to judge) the run says so loudly.  Entries the run did not measure are listed as stale; numbers the run measured
that the file lacks are listed as missing from it.
"""

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = ["Gates", "load_gates", "BASELINE_SCHEMA", "default_margin", "write_baseline"]

BASELINE_SCHEMA = "mlip-conformance-baseline/2"

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
    "eV/Å³": 1e-5,
    "Å": 1e-4,
    "cm⁻¹": 1.0,
}
"""Floor of the margin, by units: what float32 round-off and reordered sums can move between two
machines.  eV: 0.1 meV, 25× the float32 round-off of a 30 eV total energy (30 eV × 1.2e-7 =
4 µeV), a tenth of the 1 meV wiggle the shape laws ignore.  eV/Å: 1 meV/Å, the float32 scale of
the suite's smallest force tolerance (COULOMB_FORCE_ABSOLUTE_EV_PER_A).  eV/Å³: 1e-5 eV/Å³
(1.6 MPa), float32 round-off of the stress of a cell of a few hundred eV.  Å: 1e-4 Å, the
precision with which a fitted minimum moves when the curve moves by float32 noise.  cm⁻¹: 1 cm⁻¹,
0.02 % of ωe, below what the quartic fit resolves from noise of 0.1 meV.  Units not listed
(counts) have no floor: a count that grows is a regression."""


def default_margin(units, tolerance):
    """Noise margin of a metric: max(fraction × physics tolerance, floor for its units)."""
    floor = BASELINE_MARGINS.get(units, 0.0)
    return max(BASELINE_TOLERANCE_FRACTION * (tolerance or 0.0), floor)


@dataclass
class Gates:
    manifest: dict = field(default_factory=dict)      # check id (or node id) -> reason
    baseline: dict | None = None                      # the whole baseline file, validated
    warnings: list = field(default_factory=list)      # loud notes for the terminal and scorecard

    @property
    def metrics(self):
        return self.baseline["metrics"] if self.baseline else None

    def check_identity(self, config, now):
        """Refuse a baseline of another model (exit 4); warn loudly when it was made with other
        options or other weights of the same model (a new release: what a baseline is for).
        now: the model of this run as the scorecard describes it."""
        path = config.getoption("baseline")
        made_for = self.baseline["model"]
        if (made_for.get("spec"), made_for.get("name")) != (now["spec"], now["name"]):
            raise pytest.UsageError(
                f"--baseline {path} was written for model {made_for.get('spec')!r} ({made_for.get('name')}), "
                f"not for this run's {now['spec']!r} ({now['name']}): compare a model only with its own "
                "baseline, or write one for it with --update-baseline")
        if self.warnings:
            return
        before, after = (made_for.get("checkpoint") or {}).get("sha256"), (now["checkpoint"] or {}).get("sha256")
        if before != after:
            self.warnings.append(f"--baseline {path} was made from other weights (sha256 {str(before)[:12]}…, "
                                 f"this run {str(after)[:12]}…): this run is judged against that release's numbers")
        if made_for.get("options") != now["options"]:
            self.warnings.append(f"--baseline {path} was made with options {made_for.get('options')}, this run "
                                 f"has {now['options']}: this run is judged against those numbers")

    def regressions(self, check_id, measurements):
        """Sentences naming every metric of a check that got worse than the baseline by more than
        its margin (metrics with a reference value only: a bound or a count has no error to grow)."""
        found = []
        for m in measurements:
            then = self.metrics.get(check_id, {}).get(m["key"])
            if not then or m["reference"] is None or then.get("reference") is None:
                continue
            error_now = abs(m["measured"] - m["reference"])
            error_then = abs(then["measured"] - then["reference"])
            margin = then.get("margin", default_margin(m["units"], m["tolerance"]))
            if not math.isfinite(error_now) or error_now - error_then > margin:
                units = f" {m['units']}" if m["units"] else ""
                physics = f"; physics tolerance ±{m['tolerance']:.3g}{units}" if m["tolerance"] is not None else ""
                found.append(
                    f"{m['quantity']} = {m['measured']:.6g}{units} is {error_now:.3g}{units} from "
                    f"{m['reference']:.6g}{units}; the baseline was {error_then:.3g}{units} off "
                    f"(worse by {error_now - error_then:.3g}{units}, noise margin {margin:.3g}{units}{physics})")
        return found

    def stale_and_missing(self, checks):
        """(stale, missing): baseline entries the run did not measure, and numbers with a
        reference that passing checks measured but the baseline lacks."""
        if self.metrics is None:
            return [], []
        ran = {c["id"]: c for c in checks}
        stale = []
        for check_id, entries in sorted(self.metrics.items()):
            check = ran.get(check_id)
            if check is None:
                stale.append(f"{check_id}: no check with this id ran (renamed, deselected, or no longer applicable?)")
                continue
            if check["status"] not in ("passed", "failed"):
                continue
            measured = {m["key"] for m in check["measurements"]}
            stale += [f"{check_id} [{key}]: the check no longer measures this" for key in sorted(entries)
                      if key not in measured]
        missing = [f"{c['id']} [{m['key']}]" for c in checks if c["status"] == "passed"
                   for m in c["measurements"] if m["reference"] is not None
                   and m["key"] not in self.metrics.get(c["id"], {})]
        return stale, missing


def load_gates(config):
    gates = Gates()
    manifest = config.getoption("expected_failures")
    if manifest:
        gates.manifest = load_expected_failures(manifest)
    baseline = config.getoption("baseline")
    if config.getoption("update_baseline") and not baseline:
        raise pytest.UsageError("--update-baseline needs --baseline FILE: the file to write")
    if baseline and not config.getoption("update_baseline"):
        gates.baseline = load_baseline(baseline)
    return gates


# ---- expected failures -----------------------------------------------------------------------

def load_expected_failures(path):
    """{check id: reason} from a TOML or YAML manifest; pytest.UsageError on any problem."""
    path = Path(path)
    if not path.is_file():
        raise pytest.UsageError(f"--expected-failures: no such file {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise pytest.UsageError(f"--expected-failures {path}: cannot read it: {error}") from None
    try:
        data = _parse_yaml(text) if path.suffix in (".yaml", ".yml") else _parse_toml(text)
    except pytest.UsageError:
        raise
    except Exception as error:
        raise pytest.UsageError(f"--expected-failures {path}: cannot read it: "
                                f"{str(error).splitlines()[0] if str(error) else type(error).__name__}") from None
    table = data.get("expected-failures") if isinstance(data, dict) else None
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
        import tomli as tomllib
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


def unknown_manifest_ids(manifest, checks):
    ran = {c["id"] for c in checks} | {c["nodeid"] for c in checks}
    return sorted(key for key in manifest if key not in ran)


# ---- baseline --------------------------------------------------------------------------------

def load_baseline(path):
    """The validated baseline file; every problem is one line (pytest.UsageError, exit 4)."""
    path = Path(path)
    where = f"--baseline {path}"
    if not path.is_file():
        raise pytest.UsageError(f"--baseline: no such file {path} (write one with --update-baseline)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise pytest.UsageError(f"{where}: cannot read it: {error}") from None
    except ValueError as error:
        raise pytest.UsageError(f"{where}: not JSON: {error}") from None
    if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else f"a JSON {type(data).__name__}"
        raise pytest.UsageError(f"{where}: not a baseline file of this suite ({BASELINE_SCHEMA}; found "
                                f"{found!r}); write one with --update-baseline")
    if not isinstance(data.get("model"), dict) or "spec" not in data["model"]:
        raise pytest.UsageError(f"{where}: 'model' must say which model the baseline was made from")
    metrics = data.get("metrics")
    if not isinstance(metrics, dict):
        raise pytest.UsageError(f"{where}: 'metrics' must map check ids to their measurements")
    for check_id, entries in metrics.items():
        if not isinstance(entries, dict):
            raise pytest.UsageError(f"{where}: metrics[{check_id!r}] must map measurement keys to entries")
        for key, entry in entries.items():
            problem = _entry_problem(entry)
            if problem:
                raise pytest.UsageError(f"{where}: metrics[{check_id!r}][{key!r}] {problem}")
    return data


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _entry_problem(entry):
    if not isinstance(entry, dict):
        return f"is {entry!r}, expected an object with measured, reference, tolerance and units"
    if not _is_number(entry.get("measured")):
        return f"has measured = {entry.get('measured')!r}, expected a finite number"
    for name in ("reference", "tolerance"):
        if entry.get(name) is not None and not _is_number(entry[name]):
            return f"has {name} = {entry[name]!r}, expected a finite number or null"
    if "margin" in entry and not (_is_number(entry["margin"]) and entry["margin"] >= 0):
        return f"has margin = {entry['margin']!r}, expected a number ≥ 0 in the metric's units"
    if not isinstance(entry.get("units", ""), str):
        return f"has units = {entry.get('units')!r}, expected a string"
    return None


def baseline_entry(measurement):
    """What the baseline stores for one measured number.  No margin is stored: the default
    follows the current tolerance; add "margin": X to an entry to override it."""
    return {key: measurement[key] for key in ("quantity", "measured", "reference", "tolerance", "units")}


def write_baseline(path, checks, header):
    """Baseline of every passed (or expected-failure) check's finite measurements."""
    metrics = {}
    for check in checks:
        if check["status"] in ("passed", "expected failure") and check["measurements"]:
            kept = {m["key"]: baseline_entry(m) for m in check["measurements"] if math.isfinite(m["measured"])}
            if kept:
                metrics[check["id"]] = kept
    data = dict(schema=BASELINE_SCHEMA, **header, metrics=metrics)
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    return len(metrics)
