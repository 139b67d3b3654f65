"""The verdict of every physics check, gathered for the reports and judged by the release gates.

Every test carrying a ``system`` marker is a physics check.  One Reporter per run (registered
by the plugin on that run's config) collects, around each check's call, what it measured
(conformance/measurements.py), and
- adds it to the JUnit XML as properties (key, quantity, measured, reference, tolerance, units),
- sends it with the test report (so it also reaches the controller under pytest-xdist),
- applies the gates: --expected-failures (strict xfail per check id) and --baseline,
- at the end writes the scorecard, the baseline and the figures, and prints the table.

Under pytest-xdist each worker also sends, with its first report, the list of every check it
collected (id, system, category), so that the controller can name and report a check whose
worker died while running it (xdist's own report of such a crash knows only the node id).
Nothing here knows a particular test module.
"""

from pathlib import Path

import pytest

from mlip_conformance import gating, outputs, scorecard, summary
from mlip_conformance.adapters import Capabilities
from mlip_conformance.conformance import catalogue, measurements
from mlip_conformance.conformance.applicability import NotApplicable
from mlip_conformance.evaluation import Evaluator
from mlip_conformance.report import figures
from mlip_conformance.report.loading import Scorecard
from mlip_conformance.runstate import process_timings, run_state
from mlip_conformance.store import SharedStore
from mlip_conformance.verdicts import CATEGORIES, key_measurement

__all__ = ["Reporter"]

_MEASURED = pytest.StashKey[list]()


class Reporter:
    def __init__(self, config, gates):
        self.config = config
        self.gates = gates
        self.checks = {}            # node id -> check entry (controller or serial run)
        self.catalogue = {}         # node id -> static description of every collected check
        self.catalogue_sent = False
        self.files = []             # what was written, for the last lines of the terminal
        self.problems = []          # files that could not be written
        self.worker_timings = {}    # xdist worker id -> its timings
        self.is_worker = hasattr(config, "workerinput")

    # ---- collection ----------------------------------------------------------------------

    def pytest_collection_modifyitems(self, config, items):
        for item in items:
            key = gating.matches(item.name, item.nodeid, self.gates.manifest)
            if key is not None:
                item.add_marker(pytest.mark.xfail(reason=f"expected failure: {self.gates.manifest[key]}",
                                                  strict=True))

    @pytest.hookimpl(tryfirst=True)
    def pytest_collectreport(self, report):
        """xdist controller: a worker that could not build the model relays its one line
        (mlip_conformance/plugin.py) and the run ends there, exit code 4."""
        message = getattr(report, "conformance_usage_error", None)
        if message and not self.is_worker:
            raise pytest.UsageError(message)

    def pytest_collection_finish(self, session):
        order = run_state(self.config).collection_order
        for index, item in enumerate(session.items):
            if _is_check(item):
                self.catalogue[item.nodeid] = describe_item(item, order.get(item.nodeid, index))

    # ---- one check -----------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        if not _is_check(item):
            return (yield)
        with measurements.collecting() as collected:
            try:
                return (yield)
            finally:
                found = [m.as_dict() for m in collected.results()]
                item.stash[_MEASURED] = found
                _add_properties(item, found)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if self.is_worker and not self.catalogue_sent:
            report.conformance_catalogue = self.catalogue
            report.conformance_model = run_state(self.config).description
            self.catalogue_sent = True
        if not _is_check(item):
            return report
        found = item.stash.get(_MEASURED, []) if call.when == "call" else []
        if call.when == "call" and report.passed and self.gates.metrics is not None:
            worse = self.gates.regressions(item.name, found)
            if worse:
                report.outcome = "failed"
                report.longrepr = ("worse than the baseline " + self.config.getoption("baseline") + ": "
                                   + "; ".join(worse))
        status = _status(report, call)
        if status is not None:
            report.conformance = dict(self.catalogue.get(item.nodeid) or describe_item(item, len(self.catalogue)),
                                      status=status, message=_message(report, call, status), measurements=found)
        return report

    def pytest_runtest_logreport(self, report):
        if self.is_worker:
            return
        _stop_progress(self.config)   # xdist: the workers have evaluated the plan
        self.catalogue.update(getattr(report, "conformance_catalogue", None) or {})
        self._learn_model(getattr(report, "conformance_model", None))
        found = getattr(report, "conformance", None)
        if found is None:
            found = self._crashed_worker_entry(report)
            if found is None:
                return
        if report.when == "teardown" and found["nodeid"] in self.checks:
            if found["status"] == "error":
                self.checks[found["nodeid"]].update(status="error", message=found["message"])
        elif found["nodeid"] not in self.checks or report.when == "call":
            self.checks[found["nodeid"]] = found

    def _learn_model(self, description):
        """The xdist controller does not load the model: its workers describe it."""
        state = run_state(self.config)
        if description is None or state.description is not None:
            return
        state.description = description
        if self.gates.baseline is not None:
            try:
                self.gates.check_identity(self.config, description)
            except pytest.UsageError:   # the workers refused to run already
                pass

    def _crashed_worker_entry(self, report):
        """xdist reports a test whose worker died with no data of ours: name it from the
        catalogue, and say which geometries the dead worker's model was evaluating."""
        node = getattr(report, "node", None)
        if report.nodeid not in self.catalogue or not report.failed or node is None:
            return None
        worker = getattr(getattr(node, "gateway", None), "id", None)
        geometries = self._fail_dead_claims(worker)
        message = str(report.longrepr).strip().splitlines()[0] if report.longrepr else f"worker {worker} crashed"
        if geometries:
            message += (f"; the worker process died while the model was evaluating {geometries[0]}"
                        + (f" (and {len(geometries) - 1} more geometries)" if len(geometries) > 1 else ""))
        return dict(self.catalogue[report.nodeid], status="error", message=message, measurements=[])

    def _fail_dead_claims(self, worker):
        state = run_state(self.config)
        if not state.store_dir or worker is None:
            return []
        described = []
        for device in Path(state.store_dir).iterdir():
            store = SharedStore(device, worker="controller")
            for stem, note in store.dead_claims(worker):
                geometry = note.get("geometry", "a geometry")
                described.append(geometry)
                store.fail_dead_claim(stem, f"model {note.get('model')!r} on {geometry}: got no answer: the "
                                            f"worker {worker} (pid {note.get('pid')}) evaluating this geometry "
                                            "died (a hard exit, a crash or an out-of-memory kill); expected an "
                                            "energy and forces")
        return described

    # ---- xdist: the workers' timings -------------------------------------------------------

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        timings = getattr(node, "workeroutput", {}).get("conformance_timings")
        if timings:
            self.worker_timings[node.gateway.id] = timings

    # ---- the end of the run ----------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        state = run_state(self.config)
        if self.is_worker:
            self.config.workeroutput["conformance_timings"] = process_timings(state)
            return
        _stop_progress(self.config)
        if int(exitstatus) == int(pytest.ExitCode.INTERRUPTED) and state.interrupted is None:
            state.interrupted = getattr(session, "shouldstop", None) or "KeyboardInterrupt"
        checks = self.sorted_checks()
        self._write_baseline(checks, state)
        self._draw_figures(state, checks)
        if self.problems and int(session.exitstatus) == 0:
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
        path = self.config.getoption("conformance_json")
        if path:
            self._write("scorecard", path, scorecard.dumps(self.scorecard(session)))
            if self.problems and int(session.exitstatus) == 0:
                session.exitstatus = pytest.ExitCode.INTERNAL_ERROR

    def scorecard(self, session):
        """The run's scorecard (what --conformance-json writes), as data."""
        state = run_state(self.config)
        card = scorecard.build(self.config, state, self.sorted_checks(), int(session.exitstatus), self)
        card["curves"] = self._curves(state)
        return card

    def _write(self, what, path, text):
        problem = outputs.write_text(path, text)
        if problem:
            self.problems.append(f"could not write the {what}: {problem}")
        else:
            self.files.append(f"{what}: {path}")

    def _write_baseline(self, checks, state):
        if not self.config.getoption("update_baseline"):
            return
        path = self.config.getoption("baseline")
        try:
            written = gating.write_baseline(path, checks, scorecard.baseline_header(self.config, state))
            self.files.append(f"baseline of {written} checks: {path}")
        except OSError as error:
            self.problems.append(f"could not write the baseline: {path}: {error.strerror or error}")

    def _draw_figures(self, state, checks):
        """The run's curves (--plots DIR) as the comparison report draws them (report/figures.py),
        one SVG per scanned system, from the predictions the run made and judged."""
        directory = self.config.getoption("plots")
        if not directory:
            return
        models = state.models or _described_models(state.description)
        for device, model in models.items():
            evaluator = _evaluator_view(state, device, model)
            if evaluator is None:
                continue
            card = {"model": {"name": model.name, "spec": self.config.getoption("model"),
                              "capabilities": scorecard.capabilities_of(model)},
                    "curves": catalogue.scorecard_curves(evaluator, model.capabilities), "checks": checks}
            suffix = "" if len(models) == 1 else f"-{device}"
            for written in figures.write_all(Scorecard(Path(model.name), card, 0, model.name), directory, suffix):
                self.files.append(f"figure: {written}")

    def _curves(self, state):
        """The scanned curves the run evaluated, read from its predictions (first device)."""
        models = state.models or _described_models(state.description)
        for device, model in models.items():
            evaluator = _evaluator_view(state, device, model)
            if evaluator is not None:
                return catalogue.scorecard_curves(evaluator, model.capabilities)
        return {}

    def sorted_checks(self):
        return sorted(self.checks.values(), key=lambda c: (c["order"], c["nodeid"]))

    def pytest_terminal_summary(self, terminalreporter, exitstatus, config):
        if self.is_worker:
            return
        write = terminalreporter.write_line
        checks = self.sorted_checks()
        state = run_state(config)
        if config.getoption("model") is not None:
            for line in summary.table(config, state, checks):
                write(line)
        self._gate_notes(terminalreporter, checks)
        for line in self.files:
            write(f"conformance {line}")
        for line in self.problems:
            terminalreporter.write_line(f"conformance ERROR: {line}", red=True, bold=True)

    def _gate_notes(self, terminalreporter, checks):
        write = terminalreporter.write_line
        manifest = self.gates.manifest
        unknown = gating.unknown_manifest_ids(manifest, checks) if manifest else []
        if unknown:
            terminalreporter.section("expected-failures file: ids not run", sep="-", yellow=True)
            for key in unknown:
                write(f"{key}: no check with this id ran (renamed, deselected or a typo?)")
        xpassed = [c for c in checks if c["status"] == "unexpected pass"]
        if xpassed:
            terminalreporter.section("UNEXPECTED PASSES: remove them from the expected-failures file",
                                     sep="!", red=True, bold=True)
            for check in xpassed:
                write(f"{check['id']} passed, yet is listed as an expected failure")
        stale, missing = self.gates.stale_and_missing(checks)
        for title, lines in (("baseline: stale entries (delete them, or rewrite the file)", stale),
                             ("baseline: numbers this run measured that the baseline lacks", missing)):
            if lines:
                terminalreporter.section(title, sep="-", yellow=True)
                for line in lines:
                    write(line)
        if self.gates.warnings:
            terminalreporter.section("BASELINE OF ANOTHER RELEASE", sep="!", yellow=True, bold=True)
            for warning in self.gates.warnings:
                write(warning)


# ---- helpers -----------------------------------------------------------------------------------

def _stop_progress(config):
    """The xdist controller's count of the planned structures ends: its summary line."""
    poller = run_state(config).progress
    if poller is not None:
        poller.stop()


def _is_check(item):
    return item.get_closest_marker("system") is not None


def describe_item(item, order):
    category = next((m for m in CATEGORIES if item.get_closest_marker(m)), "other")
    return {"id": item.name, "nodeid": item.nodeid, "function": getattr(item, "originalname", item.name),
            "category": category, "system": item.get_closest_marker("system").args[0], "order": order}


def _described_models(description):
    """Stand-ins (name, capabilities) for the model an xdist controller never loaded."""
    from types import SimpleNamespace
    if not description or description.get("capabilities") is None:
        return {}
    capabilities = Capabilities.from_declaration(dict(description["capabilities"]))
    return {device: SimpleNamespace(name=description["name"], capabilities=capabilities)
            for device in description["devices"]}


def _evaluator_view(state, device, model):
    """This process's evaluator, or under xdist a read-only view of the workers' shared store."""
    if device in state.evaluators:
        return state.evaluators[device]
    if state.store_dir is None:
        return None
    return Evaluator(model, SharedStore(Path(state.store_dir) / device, worker="controller"))


def _add_properties(item, found):
    """JUnit properties: the key number under plain names, every other one prefixed by its key."""
    if not found:
        return
    key_number = key_measurement(found)
    ordered = [key_number] + [m for m in found if m is not key_number]
    for index, m in enumerate(ordered):
        prefix = "" if index == 0 else f"{m['key']}: "
        for name in ("key", "quantity", "measured", "reference", "tolerance", "units"):
            if m[name] is not None and (name != "units" or m[name]) and not (index and name == "key"):
                item.user_properties.append((prefix + name, m[name]))


def _status(report, call):
    """The check's status from one phase's report, or None when the phase says nothing new."""
    if report.when == "setup":
        if report.skipped:
            if hasattr(report, "wasxfail"):
                return "expected failure"
            return _skipped(call)
        return "error" if report.failed else None
    if report.when == "call":
        if hasattr(report, "wasxfail"):
            return "expected failure" if report.skipped else "passed"
        if report.failed and str(report.longrepr).startswith("[XPASS(strict)]"):
            return "unexpected pass"
        if report.skipped:
            return _skipped(call)
        if report.failed and call.excinfo is not None and not isinstance(call.excinfo.value, AssertionError):
            return "error"
        return "failed" if report.failed else "passed"
    return "error" if report.failed else None


def _skipped(call):
    """A skip is 'not applicable' when the check ended with conformance.applicability's
    NotApplicable (what the model declared), and a plain 'skipped' otherwise."""
    return "not applicable" if call.excinfo is not None and call.excinfo.errisinstance(NotApplicable) else "skipped"


def _skip_reason(report):
    if isinstance(report.longrepr, tuple):
        reason = report.longrepr[2]
    else:
        reason = str(report.longrepr or "")
    return reason.removeprefix("Skipped: ")


def _message(report, call, status):
    if status == "not applicable" and call.excinfo is not None:
        return call.excinfo.value.message
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
