"""A run's scorecard as a Python object: what mlip_conformance.check() returns and
load_scorecard(path) reads back from a --conformance-json file.

    card = mlip_conformance.check(calculator, select="curves")
    card                      # in Jupyter: the counts and every failed check (_repr_html_)
    card.counts               # {"passed": 111, "failed": 3, ...}: the JSON summary's keys
    card.failures             # [Failure(check, system, message, key, measured, ...)]
    card.to_dataframe()       # one row per check (pandas)
    card.save("sevenn.json")  # the same JSON as --conformance-json
    card.report("report/", other_card_or_path)   # the static HTML comparison report

Everything is read from the scorecard's data (its machine keys and measurements), never from
the words of a message.
"""

import html
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mlip_conformance.report import matrix
from mlip_conformance.report.command import build
from mlip_conformance.report.loading import load_all
from mlip_conformance.scorecard import dumps
from mlip_conformance.verdicts import format_number

__all__ = ["Scorecard", "Failure", "load_scorecard", "FAILED_STATUSES"]

FAILED_STATUSES = ("failed", "error", "unexpected pass")
"""The statuses that fail a run: a broken law, a check that could not complete, a stale entry of
the expected-failures file."""


@dataclass(frozen=True)
class Failure:
    """A failed check: its id, the system it examines, its status and message, and the number that
    decided it (the key measurement: measured, reference and tolerance in units)."""

    check: str
    system: str
    status: str
    message: str
    key: str | None = None
    measured: float | None = None
    reference: float | None = None
    tolerance: float | None = None
    units: str = ""

    @property
    def number(self):
        """The deciding number as the terminal table writes it ('+0.272 eV (±0.043)'), or ''."""
        if self.key is None:
            return ""
        return format_number({"measured": self.measured, "reference": self.reference,
                              "tolerance": self.tolerance, "units": self.units})


class Scorecard:
    """One run of the suite on one model (schema: mlip_conformance/scorecard.schema.json)."""

    def __init__(self, card, path=None):
        self.card = card
        self.path = Path(path) if path is not None else None

    @property
    def model_name(self):
        model = self.card.get("model") or {}
        return model.get("name") or model.get("spec") or "unnamed model"

    @property
    def counts(self):
        """Status -> number of checks, with the JSON summary's keys (zeros included)."""
        return dict(self.card["summary"])

    @property
    def checks(self):
        return list(self.card["checks"])

    @property
    def interrupted(self):
        return self.card.get("interrupted")

    @property
    def exit_status(self):
        return self.card.get("exit_status")

    @property
    def failures(self):
        return [_failure(check) for check in self.card["checks"] if check["status"] in FAILED_STATUSES]

    def to_dataframe(self):
        """One row per check: id, system, category, status, key, measured, reference, tolerance,
        units, message (pandas: pip install 'mlip-conformance[notebook]')."""
        try:
            import pandas
        except ImportError:
            raise ImportError("Scorecard.to_dataframe needs pandas: pip install 'mlip-conformance[notebook]' "
                              "(or pip install pandas)") from None
        rows = []
        for check in self.card["checks"]:
            key = matrix.key_measurement(check) or {}
            rows.append({"check": check["id"], "system": check["system"], "category": check["category"],
                         "status": check["status"], "key": check["key"], "measured": key.get("measured"),
                         "reference": key.get("reference"), "tolerance": key.get("tolerance"),
                         "units": key.get("units"), "message": check["message"]})
        return pandas.DataFrame(rows, columns=["check", "system", "category", "status", "key", "measured",
                                               "reference", "tolerance", "units", "message"])

    def save(self, path):
        """Write the scorecard JSON (exactly what --conformance-json writes); returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(self.card), encoding="utf-8")
        return path

    def report(self, out_dir, *others):
        """The static HTML comparison report of this scorecard beside others (Scorecards or
        scorecard files), as `mlip-conformance report` writes it; returns the index.html path."""
        with tempfile.TemporaryDirectory(prefix="mlip-conformance-report-") as scratch:
            paths = [_as_file(card, Path(scratch) / f"{index}.json")
                     for index, card in enumerate((self, *others))]
            target, _notes = build(paths, out_dir)
        return target

    def summary_line(self):
        shown = ", ".join(f"{n} {status}" for status, n in self.counts.items() if n) or "no check ran"
        interrupted = f"; INTERRUPTED ({self.interrupted})" if self.interrupted else ""
        return f"{self.model_name}: {shown}{interrupted}"

    def __repr__(self):
        return f"<Scorecard {self.summary_line()}>"

    def _repr_html_(self):
        counts = "".join(f"<td>{n}</td>" for n in self.counts.values())
        heads = "".join(f"<th>{html.escape(status)}</th>" for status in self.counts)
        parts = [f"<div class='mlip-conformance-scorecard'><h4>mlip-conformance: {html.escape(self.model_name)}</h4>",
                 f"<table><tr>{heads}</tr><tr>{counts}</tr></table>"]
        if self.interrupted:
            parts.append(f"<p><b>Interrupted</b> ({html.escape(str(self.interrupted))}): "
                         f"{len(self.checks)} checks ran; the rest did not.</p>")
        failures = self.failures
        if failures:
            rows = "".join(f"<tr><td>{html.escape(f.status)}</td><td>{html.escape(f.system)}</td>"
                           f"<td><code>{html.escape(f.check)}</code></td><td>{html.escape(f.number)}</td>"
                           f"<td style='text-align:left'>{html.escape(f.message)}</td></tr>" for f in failures)
            parts.append(f"<p>{len(failures)} failed:</p><table><tr><th>status</th><th>system</th><th>check</th>"
                         f"<th>key number</th><th>what is wrong</th></tr>{rows}</table>")
        else:
            parts.append("<p>No check failed.</p>")
        parts.append("</div>")
        return "".join(parts)


def load_scorecard(path):
    """A Scorecard from a --conformance-json file (validated as the report validates it; a bad
    file is a one-line ReportError)."""
    (loaded,), _notes = load_all([path])
    return Scorecard(loaded.card, path)


def _failure(check):
    key = matrix.key_measurement(check) or {}
    return Failure(check=check["id"], system=check["system"], status=check["status"], message=check["message"],
                   key=check["key"], measured=key.get("measured"), reference=key.get("reference"),
                   tolerance=key.get("tolerance"), units=key.get("units") or "")


def _as_file(card, scratch):
    if isinstance(card, Scorecard):
        return str(card.save(scratch))
    if isinstance(card, (str, Path)):
        return str(card)
    raise TypeError(f"report() compares Scorecards or scorecard files, not {type(card).__name__}")
