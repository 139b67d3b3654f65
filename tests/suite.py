"""Run the conformance suite in a subprocess (pytester) and read its verdict from JUnit XML."""

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODELS = REPO / "tests" / "models.py"


def model_spec(name):
    """Spec of a model defined in tests/models.py (a file-path spec, as users may write)."""
    return f"{MODELS}:{name}"


@dataclass
class SuiteRun:
    exit_code: int
    outcomes: dict          # test id (e.g. "test_bare_protons_follow_coulomb[r=0.20]") -> outcome
    messages: dict          # test id -> failure or skip message
    output: str             # stdout and stderr
    properties: dict = field(default_factory=dict)   # test id -> [(name, value)] JUnit properties
    scorecard: dict | None = None                    # the --conformance-json file, when asked for

    def with_outcome(self, outcome):
        return {test for test, result in self.outcomes.items() if result == outcome}

    def crashes(self, model_name=None):
        """Signs of a crash rather than a physics verdict: a test in error, a traceback, or
        (given the model's name) a prediction the suite could not use (an exception, NaN or a
        wrong shape, reported as "model '<name>' on <geometry>: ...")."""
        found = [f"{test}: error" for test in sorted(self.with_outcome("error"))]
        if "Traceback" in self.output:
            found.append("a traceback")
        if model_name and f"model {model_name!r} on " in self.output:
            found.append("a prediction the suite could not use")
        return found


def read_junit(path):
    outcomes, messages = {}, {}
    for case in ET.parse(path).getroot().iter("testcase"):
        test = case.get("name")
        outcome = "passed"
        for tag, name in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
            element = case.find(tag)
            if element is not None:
                outcome = name
                messages[test] = element.get("message", "") + "\n" + (element.text or "")
        if outcomes.get(test) not in ("failed", "error"):  # a teardown error repeats the test
            outcomes[test] = outcome
    return outcomes, messages


def read_properties(path):
    """test id -> [(name, value)] of the JUnit properties of each test case."""
    return {case.get("name"): [(p.get("name"), p.get("value")) for p in case.iter("property")]
            for case in ET.parse(path).getroot().iter("testcase")}


def suite_arguments(directory, model, *args, modules=None, scorecard=False):
    """The pytest arguments of a suite run writing its reports into directory."""
    model_args = ("--model", model) if model else ()
    paths = [str(REPO / "conformance" / m) for m in modules] if modules else [str(REPO / "conformance")]
    card_args = (f"--conformance-json={Path(directory) / 'scorecard.json'}",) if scorecard else ()
    return ["-c", str(REPO / "pytest.ini"), "--rootdir", str(REPO), *paths, *model_args, "-p", "no:cacheprovider",
            "--hypothesis-profile=ci", f"--junitxml={Path(directory) / 'report.xml'}", *card_args, *args]


def read_run(directory, exit_code, output, scorecard=False):
    """The SuiteRun of a finished run, from the reports it wrote into directory."""
    report = Path(directory) / "report.xml"
    card = Path(directory) / "scorecard.json"
    outcomes, messages = read_junit(report) if report.exists() else ({}, {})
    return SuiteRun(exit_code, outcomes, messages, output, read_properties(report) if report.exists() else {},
                    json.loads(card.read_text()) if scorecard and card.exists() else None)


def run_suite(pytester, model, *args, modules=None, scorecard=False, timeout=None):
    """The suite in a subprocess; modules (file names in conformance/) restrict it, scorecard
    asks for --conformance-json and reads it back; timeout (s) bounds the run."""
    result = pytester.runpytest_subprocess(
        *suite_arguments(pytester.path, model, *args, modules=modules, scorecard=scorecard), timeout=timeout)
    return read_run(pytester.path, result.ret, result.stdout.str() + "\n" + result.stderr.str(), scorecard)


def expand(patterns, tests):
    """Test ids matching any pattern; '*' is the only wildcard (brackets are literal)."""
    regexes = [re.compile(re.escape(p).replace(r"\*", ".*")) for p in patterns]
    return {test for test in tests if any(regex.fullmatch(test) for regex in regexes)}


def assert_only_not_applicable_skips(run):
    """A skip is only ever a declared 'not applicable' (a molecule the oracle cannot answer, a
    cutoff it does not have), never a check that was meant to run."""
    wrong = {test: run.messages[test][:200] for test in run.with_outcome("skipped")
             if "not applicable" not in run.messages[test] and "needs CUDA" not in run.messages[test]}
    assert not wrong, wrong


def assert_fails_exactly(run, patterns, phrase, skips=assert_only_not_applicable_skips):
    """A broken model's run: exit 1, nothing crashed, the failed checks are exactly those the
    patterns name (each pattern naming at least one), the skips pass `skips`, and one failure
    message says `phrase`."""
    assert run.exit_code == 1, f"exit code {run.exit_code}\n{run.output[-3000:]}"
    assert not run.crashes(), run.output[-3000:]
    for pattern in patterns:
        assert expand([pattern], run.outcomes), f"pattern {pattern!r} matches no test"
    failed, expected = run.with_outcome("failed"), expand(patterns, run.outcomes)
    assert failed == expected, (f"unexpected failures: {sorted(failed - expected)}; "
                                f"expected but passed: {sorted(expected - failed)}")
    skips(run)
    assert any(phrase in run.messages[test] for test in failed), \
        f"no failure message mentions {phrase!r}:\n" + "\n".join(run.messages[t][:600] for t in failed)


def assert_no_skips(run):
    assert run.with_outcome("skipped") == set(), sorted(run.with_outcome("skipped"))
