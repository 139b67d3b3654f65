"""The Scorecard object of the Python API, on a recorded scorecard of a real run."""

import html
import json

import pytest

from mlip_conformance import Failure, Scorecard, load_scorecard
from mlip_conformance.report.loading import ReportError
from suite import REPO

RECORDED = REPO / "results" / "scorecards" / "sevenn-7net-0.json"


@pytest.fixture(scope="module")
def card():
    return load_scorecard(RECORDED)


def test_counts_are_the_summary_of_the_json(card):
    data = json.loads(RECORDED.read_text())
    assert card.counts == data["summary"]
    assert card.model_name == data["model"]["name"]


def test_failures_carry_id_system_message_and_key_number(card):
    failed = [c for c in card.checks if c["status"] in ("failed", "error", "unexpected pass")]
    assert [f.check for f in card.failures] == [c["id"] for c in failed]
    first = card.failures[0]
    entry = failed[0]
    key = next(m for m in entry["measurements"] if m["key"] == entry["key"])
    assert first == Failure(entry["id"], entry["system"], entry["status"], entry["message"], entry["key"],
                            key["measured"], key["reference"], key["tolerance"], key["units"])
    assert first.number.endswith(")") and key["units"] in first.number


def test_repr_is_one_line_and_html_names_the_model_and_every_failure(card):
    assert "\n" not in repr(card) and repr(card).startswith(f"<Scorecard {card.model_name}: ")
    page = card._repr_html_()
    assert html.escape(card.model_name) in page
    assert all(html.escape(f.check) in page for f in card.failures)
    assert f"{len(card.failures)} failed" in page


def test_dataframe_has_one_row_per_check(card):
    pytest.importorskip("pandas")
    frame = card.to_dataframe()
    assert len(frame) == len(card.checks)
    assert (frame.status == "failed").sum() == card.counts["failed"]


def test_save_writes_the_json_that_load_reads(card, tmp_path):
    path = card.save(tmp_path / "out" / "card.json")
    assert load_scorecard(path).card == card.card
    assert Scorecard(card.card).save(tmp_path / "again.json").read_text() == path.read_text()


def test_report_compares_with_others(card, tmp_path):
    pytest.importorskip("matplotlib")
    other = REPO / "results" / "scorecards" / "chgnet-0.3.0.json"
    index = card.report(tmp_path / "report", other)
    text = index.read_text()
    assert index.name == "index.html" and "SevenNet" in text and "CHGNet" in text


def test_a_file_that_is_not_a_scorecard_is_one_line(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{}")
    with pytest.raises(ReportError, match="not a mlip-conformance scorecard"):
        load_scorecard(path)
