"""The suite's reports and release gates, as a pytest plugin (registered by the root conftest.py).

Every test carrying a ``system`` marker is a physics check.  Around each check's call the plugin
collects what it measured (conformance/measurements.py) and
- adds it to the JUnit XML as properties (quantity, measured, reference, tolerance, units),
- sends it with the test report (so it also reaches the controller under pytest-xdist),
- prints one table per model at the end of the run (80 columns),
- writes the scorecard (``--conformance-json``, schema in docs/scorecard.schema.json),
- draws figures from the predictions the run has made (``--plots``, conformance/plots.py),
- gates: ``--expected-failures`` (strict xfail per check id) and ``--baseline`` (conformance/gating.py).

Nothing here knows a particular test module: a new module with a system marker and
assert_close/record calls is reported like the others.

PYTEST_DONT_REWRITE: a plugin module, imported by the root conftest.py before pytest registers it.
"""

import hashlib
import json
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pytest

from mlip_conformance.conformance import gating, measurements

SCORECARD_SCHEMA = "mlip-conformance-scorecard/1"
STATUSES = ("passed", "failed", "not applicable", "expected failure", "unexpected pass", "error", "skipped")
_SHORT = {"passed": "PASS", "failed": "FAIL", "not applicable": "N/A", "expected failure": "XFAIL",
          "unexpected pass": "XPASS!", "error": "ERROR", "skipped": "SKIP"}
_PRIORITY = ("error", "unexpected pass", "failed", "expected failure", "passed", "skipped", "not applicable")
_PACKAGES = ("mlip-conformance", "numpy", "scipy", "ase", "pytest", "pytest-xdist", "hypothesis", "torch",
             "sevenn", "chgnet", "mace-torch", "fairchem-core", "orb-models", "aimnet", "tblite", "pyscf",
             "matplotlib")


@dataclass
class RunState:
    """What the root conftest.py and conformance/conftest.py share with this plugin."""

    models: dict = field(default_factory=dict)       # device -> adapter
    evaluators: dict = field(default_factory=dict)   # device -> Evaluator (this process)
    store_dir: str | None = None                     # SharedStore root under pytest-xdist


RUN = pytest.StashKey[RunState]()
_GATES = pytest.StashKey()
_CHECKS = pytest.StashKey()     # config: node id -> check entry (controller / serial run)
_MEASURED = pytest.StashKey()   # item: the measurements of its call
_FILES = pytest.StashKey()


def run_state(config):
    if RUN not in config.stash:
        config.stash[RUN] = RunState()
    return config.stash[RUN]


def _is_worker(config):
    return hasattr(config, "workerinput")


# ---- options and configuration ---------------------------------------------------------------

def pytest_addoption(parser):
    group = parser.getgroup("conformance reports", "MLIP conformance: reports and release gates")
    group.addoption("--conformance-json", metavar="PATH",
                    help="write the scorecard: model, environment and every check's verdict and numbers")
    group.addoption("--plots", metavar="DIR",
                    help="write PNG figures of the run's curves (needs matplotlib: the 'plots' extra)")
    group.addoption("--expected-failures", metavar="FILE",
                    help="TOML (or YAML) table [expected-failures] of check id = reason: listed "
                         "failures are expected, an unlisted failure or a listed pass fails the run")
    group.addoption("--baseline", metavar="FILE",
                    help="baseline JSON of a previous release: a metric worse by more than its "
                         "noise margin fails its check")
    group.addoption("--update-baseline", action="store_true",
                    help="write this run's numbers to the --baseline FILE instead of comparing")


def pytest_configure(config):
    gates = {"manifest": {}, "baseline": None}
    manifest = config.getoption("expected_failures")
    if manifest:
        gates["manifest"] = gating.load_expected_failures(manifest)
    baseline = config.getoption("baseline")
    if config.getoption("update_baseline") and not baseline:
        raise pytest.UsageError("--update-baseline needs --baseline FILE: the file to write")
    if baseline and not config.getoption("update_baseline"):
        gates["baseline"] = gating.load_baseline(baseline)
    if config.getoption("plots") and not _is_worker(config):
        from mlip_conformance import plots
        plots.require_matplotlib()
    config.stash[_GATES] = gates
    config.stash[_CHECKS] = {}
    config.stash[_FILES] = []
    run_state(config)
    _CONFIG["config"] = config


# ---- per test: expected failures, measurements, verdict ----------------------------------------

def pytest_collection_modifyitems(config, items):
    manifest = config.stash[_GATES]["manifest"]
    for item in items:
        key = gating.matches(item.name, item.nodeid, manifest)
        if key is not None:
            item.add_marker(pytest.mark.xfail(reason=f"expected failure: {manifest[key]}", strict=True))


def _is_check(item):
    return item.get_closest_marker("system") is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if not _is_check(item):
        return (yield)
    with measurements.collecting() as collected:
        try:
            return (yield)
        finally:
            found = _one_per_kind(collected.results())
            item.stash[_MEASURED] = found
            _add_properties(item, found)


def _one_per_kind(results):
    """Per kind of quantity, the measurement closest to failing.  A Hypothesis check names each
    example's geometry in its quantity ("forces on H3 (charge +3, ...)"); its report keeps one
    entry per kind ("forces"), so reports and baselines do not depend on how many examples ran."""
    kept = {}
    for m in results:
        kind = measurements._generic(m.quantity).split(" on ")[0]
        entry = dict(m.as_dict(), key=kind, severity=_finite(m.severity))
        if kind not in kept or entry["severity"] >= kept[kind]["severity"]:
            kept[kind] = entry
    return list(kept.values())


def _add_properties(item, found):
    """JUnit properties: the key number under plain names, every other one prefixed by its key."""
    if not found:
        return
    key_number = _key_measurement(found)
    ordered = [key_number] + [m for m in found if m is not key_number]
    for index, m in enumerate(ordered):
        prefix = "" if index == 0 else f"{m['key']}: "
        for name in ("quantity", "measured", "reference", "tolerance", "units"):
            if m[name] is not None and (name != "units" or m[name]):
                item.user_properties.append((prefix + name, m[name]))


def _key_measurement(found):
    """The number that decides: the worst error relative to its tolerance, else the first."""
    return max(found, key=lambda m: m["severity"]) if any(m["severity"] for m in found) else found[0]


def _finite(x):
    return x if x == x and abs(x) != float("inf") else 1e300


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if not _is_check(item):
        return report
    found = item.stash.get(_MEASURED, []) if call.when == "call" else []
    gates = item.config.stash[_GATES]
    if call.when == "call" and report.passed and gates["baseline"] is not None:
        worse = gating.regressions(item.name, found, gates["baseline"])
        if worse:
            report.outcome = "failed"
            report.longrepr = ("worse than the baseline " + item.config.getoption("baseline") + ": "
                               + "; ".join(worse))
    status = _status(report, call)
    if status is None:
        return report
    category = next((m for m in ("law", "accuracy", "consistency") if item.get_closest_marker(m)), "other")
    report.conformance = {
        "id": item.name, "nodeid": item.nodeid, "function": getattr(item, "originalname", item.name),
        "category": category, "system": item.get_closest_marker("system").args[0],
        "status": status, "message": _message(report, call, status), "measurements": found,
        "order": _collection_index(item),
    }
    return report


def _collection_index(item):
    items = getattr(item.session, "items", None) or []
    try:
        return items.index(item)
    except ValueError:
        return len(items)


def _status(report, call):
    """The check's status from one phase's report, or None when the phase says nothing new."""
    if report.when == "setup":
        if report.skipped:
            reason = _skip_reason(report)
            if hasattr(report, "wasxfail"):
                return "expected failure"
            return "not applicable" if reason.startswith("not applicable") else "skipped"
        return "error" if report.failed else None
    if report.when == "call":
        if hasattr(report, "wasxfail"):
            return "expected failure" if report.skipped else "passed"
        if report.failed and str(report.longrepr).startswith("[XPASS(strict)]"):
            return "unexpected pass"
        if report.skipped:
            reason = _skip_reason(report)
            return "not applicable" if reason.startswith("not applicable") else "skipped"
        if report.failed and call.excinfo is not None and not isinstance(call.excinfo.value, AssertionError):
            return "error"
        return "failed" if report.failed else "passed"
    return "error" if report.failed else None


def _skip_reason(report):
    if isinstance(report.longrepr, tuple):
        reason = report.longrepr[2]
    else:
        reason = str(report.longrepr or "")
    return reason.removeprefix("Skipped: ")


def _message(report, call, status):
    if status in ("not applicable", "skipped"):
        return _skip_reason(report)
    if status == "unexpected pass":
        return (f"passed, but the expected-failures file lists it ({report.longrepr}): the model "
                "got better, or the entry is stale; remove it from the file")
    if status == "passed":
        return ""
    if call.excinfo is not None:
        value = call.excinfo.value
        text = str(value) if isinstance(value, AssertionError) else f"{type(value).__name__}: {value}"
        if status == "expected failure":
            return f"{getattr(report, 'wasxfail', '')}; {text}"
        return text
    return str(report.longrepr)


def pytest_runtest_logreport(report):
    found = getattr(report, "conformance", None)
    config = _CONFIG.get("config")
    if found is None or config is None or _is_worker(config):
        return
    checks = config.stash[_CHECKS]
    if report.when == "teardown" and found["nodeid"] in checks:
        checks[found["nodeid"]].update(status="error", message=found["message"])
    elif found["nodeid"] not in checks or report.when == "call":
        checks[found["nodeid"]] = found


_CONFIG = {}   # pytest_runtest_logreport is not given the config


# ---- the end of the run: files and summary ------------------------------------------------------

@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if _is_worker(config) or not config.stash.get(_CHECKS, None) and not _wants_files(config):
        return
    checks = _sorted_checks(config)
    files = config.stash[_FILES]
    path = config.getoption("conformance_json")
    if path:
        card = scorecard(config, checks, int(exitstatus))
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        files.append(f"scorecard: {path}")
    if config.getoption("update_baseline"):
        written = gating.write_baseline(config.getoption("baseline"), checks, _header(config))
        files.append(f"baseline of {written} checks: {config.getoption('baseline')}")
    if config.getoption("plots"):
        from mlip_conformance import plots
        state = run_state(config)
        for device, model in state.models.items():
            evaluator = _evaluator_for(state, device, model)
            if evaluator is None:
                continue
            suffix = "" if len(state.models) == 1 else f"-{device}"
            for written in plots.draw_all(evaluator, model, config.getoption("plots"), suffix):
                files.append(f"figure: {written}")


def _wants_files(config):
    return any(config.getoption(o) for o in ("conformance_json", "plots", "update_baseline"))


def _evaluator_for(state, device, model):
    """This process's evaluator, or under xdist a read-only view of the workers' shared store."""
    if device in state.evaluators:
        return state.evaluators[device]
    if state.store_dir is None:
        return None
    from mlip_conformance.evaluation import Evaluator, SharedStore
    return Evaluator(model, SharedStore(Path(state.store_dir) / device))


def _sorted_checks(config):
    return sorted(config.stash[_CHECKS].values(), key=lambda c: (c["order"], c["nodeid"]))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _is_worker(config):
        return
    checks = _sorted_checks(config)
    if checks:
        for line in summary_table(config, checks):
            terminalreporter.write_line(line)
    manifest = config.stash[_GATES]["manifest"]
    if manifest:
        unknown = unknown_manifest_ids(manifest, checks)
        if unknown:
            terminalreporter.section("expected-failures file: ids not run", sep="-", yellow=True)
            for key in unknown:
                terminalreporter.write_line(f"{key}: no check with this id ran (renamed, deselected or a typo?)")
        xpassed = [c for c in checks if c["status"] == "unexpected pass"]
        if xpassed:
            terminalreporter.section("UNEXPECTED PASSES: remove them from the expected-failures file",
                                     sep="!", red=True, bold=True)
            for check in xpassed:
                terminalreporter.write_line(f"{check['id']} passed, yet is listed as an expected failure")
    for line in config.stash.get(_FILES, []):
        terminalreporter.write_line(f"conformance {line}")


def unknown_manifest_ids(manifest, checks):
    ran = {c["id"] for c in checks} | {c["nodeid"] for c in checks}
    return sorted(key for key in manifest if key not in ran)


# ---- the table ---------------------------------------------------------------------------------

WIDTH = 80


def summary_table(config, checks):
    """One row per physics check (a parametrized test is one row: n/N failed), grouped by system."""
    model = _model_line(config)
    counts = _counts(checks)
    lines = ["", "=" * WIDTH, _fit(f"conformance: {model}", WIDTH),
             _fit(", ".join(f"{n} {status}" for status, n in counts.items() if n), WIDTH), "=" * WIDTH,
             f"{'status':<10} {'check':<41} key number"]
    for system, rows in _rows(checks):
        lines.append(f"-- {system} " + "-" * max(0, WIDTH - 4 - len(system)))
        for status, name, number in rows:
            lines.append(f"{status:<10} {_fit(name, 41):<41} {_fit(number, 27)}".rstrip())
    return lines


def _rows(checks):
    systems = {}
    for check in checks:
        systems.setdefault(check["system"], {}).setdefault(check["function"], []).append(check)
    for system, functions in systems.items():
        rows = []
        for function, group in functions.items():
            rows.append((_row_status(group), function.removeprefix("test_"), _key_number(group)))
        yield system, rows


def _row_status(group):
    worst = min((c["status"] for c in group), key=_PRIORITY.index)
    if len(group) == 1:
        return _SHORT[worst]
    n = sum(c["status"] == worst for c in group)
    return f"{_SHORT[worst]} {n}/{len(group)}"


def _key_number(group):
    worst = min((c["status"] for c in group), key=_PRIORITY.index)
    chosen = [m for c in group if c["status"] == worst for m in c["measurements"]]
    if not chosen:
        chosen = [m for c in group for m in c["measurements"]]
    if not chosen:
        message = next((c["message"] for c in group if c["message"]), "")
        return message.splitlines()[0].removeprefix("not applicable: ") if message else "-"
    return format_number(_key_measurement(chosen))


def format_number(m):
    units = f" {m['units']}" if m["units"] else ""
    if m["reference"] is None:
        return f"{m['measured']:.4g}{units}"
    if not m["tolerance"]:
        return f"{m['measured']:.4g}{units} (needs {m['reference']:.4g})"
    error = m["measured"] - m["reference"]
    return f"{error:+.3g}{units} (±{m['tolerance']:.2g})"


def _fit(text, width):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _counts(checks):
    counts = {status: 0 for status in STATUSES}
    for check in checks:
        counts[check["status"]] += 1
    return counts


def _model_line(config):
    state = run_state(config)
    names = {device: getattr(model, "name", "?") for device, model in state.models.items()}
    described = ", ".join(f"{name} on {device}" for device, name in names.items()) or "no model"
    spec = config.getoption("model")
    return described if spec in names.values() else f"{described} (--model={spec})"


# ---- the scorecard ------------------------------------------------------------------------------

def _header(config):
    state = run_state(config)
    from mlip_conformance.adapters import parse_option
    options = dict(parse_option(text) for text in config.getoption("model_option"))
    model = next(iter(state.models.values()), None)
    return {
        "suite_version": _version("mlip-conformance"),
        "model": {
            "spec": config.getoption("model"),
            "name": getattr(model, "name", None),
            "options": options,
            "devices": list(state.models) or list(config.getoption("device")),
            "capabilities": _capabilities(model),
            "checkpoint": _checkpoint(model, options),
        },
    }


def scorecard(config, checks, exitstatus):
    from hypothesis import settings
    card = {"schema": SCORECARD_SCHEMA, **_header(config)}
    card.update({
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "exit_status": exitstatus,
        "environment": {"python": platform.python_version(), "platform": platform.platform(),
                        "packages": {name: v for name in _PACKAGES if (v := _version(name))}},
        "hypothesis": {"profile": settings.get_current_profile_name(),
                       "seed": config.getoption("hypothesis_seed", None),
                       "derandomize": bool(settings().derandomize),
                       "max_examples": settings().max_examples},
        "gates": {
            "expected_failures": config.getoption("expected_failures"),
            "unknown_expected_failure_ids": unknown_manifest_ids(config.stash[_GATES]["manifest"], checks),
            "baseline": config.getoption("baseline"),
            "baseline_updated": bool(config.getoption("update_baseline")),
        },
        "summary": _counts(checks),
        "checks": [_check_entry(c) for c in checks],
    })
    return card


def _check_entry(check):
    found = check["measurements"]
    key = _key_measurement(found) if found else None
    entry = {name: check[name] for name in ("id", "nodeid", "category", "system", "status", "message")}
    for name in ("quantity", "measured", "reference", "tolerance", "units"):
        entry[name] = key[name] if key else None
    entry["measurements"] = [{name: m[name] for name in ("quantity", "measured", "reference", "tolerance", "units")}
                             for m in found]
    return entry


def _version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _capabilities(model):
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


# ---- the shared evaluation store under pytest-xdist ----------------------------------------------

@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Controller side of pytest-xdist: one store directory for all workers of the run."""
    state = run_state(node.config)
    if state.store_dir is None:
        state.store_dir = tempfile.mkdtemp(prefix="conformance-store-")
    node.workerinput["conformance_store"] = state.store_dir


def pytest_unconfigure(config):
    state = config.stash.get(RUN, None)
    if state is not None and state.store_dir and not _is_worker(config):
        shutil.rmtree(state.store_dir, ignore_errors=True)
    _CONFIG.pop("config", None)


def shared_store_dir(config):
    """The store directory of this worker's run, or None outside pytest-xdist."""
    return getattr(config, "workerinput", {}).get("conformance_store")
