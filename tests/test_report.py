"""The comparison report (mlip-conformance report), used as a person uses it: scorecards written by
real runs of the suite (the exact oracle, a broken model, two releases of one model), the command
run in a subprocess, and the page read back: the matrix has every model and every verdict of
every scorecard, the figures are there, the release's changes are listed.  Then the page is
opened in a headless Chromium, which must draw the matrix and every figure without a JavaScript
error.  Usage errors are one line and exit code 4."""

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser

import pytest

from mlip_conformance.report import command
from suite import REPO, model_spec

SCALED = f"{REPO / 'tests' / 'gating_models.py'}:scaled_coulomb"
CHROMIUM = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--virtual-time-budget=10000")


# ---- the scorecards and the report, made once -------------------------------------------------

def _suite_command(path, model, *args, modules=None):
    paths = [str(REPO / "conformance" / m) for m in modules] if modules else [str(REPO / "conformance")]
    return [sys.executable, "-m", "pytest", "-c", str(REPO / "pytest.ini"), "--rootdir", str(REPO), *paths,
            "--model", model, "-p", "no:cacheprovider", "--hypothesis-profile=ci", "-q",
            f"--conformance-json={path}", *args]


@pytest.fixture(scope="module")
def scorecards(tmp_path_factory):
    """name -> scorecard path, from four runs of the suite side by side (two cores)."""
    directory = tmp_path_factory.mktemp("scorecards")
    runs = {"exact": ("exact",), "second-minimum": (model_spec("SecondMinimum"),),
            "release-1": (SCALED, "--model-option", "factor=0.999"),
            "release-2": (SCALED, "--model-option", "factor=0.97")}
    started = {}
    for name, (model, *args) in runs.items():
        modules = ["test_bare_protons.py"] if name.startswith("release") else None
        started[name] = subprocess.Popen(_suite_command(directory / f"{name}.json", model, *args, modules=modules),
                                         cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if name == "release-1":   # the releases in order of creation: release-2 is the newer
            started[name].wait()
            time.sleep(1.1)
    for name, process in started.items():
        output = process.communicate()[0]
        assert (directory / f"{name}.json").exists(), output[-3000:]
    return {name: directory / f"{name}.json" for name in runs}


@pytest.fixture(scope="module")
def report(scorecards, tmp_path_factory):
    """The report of the four scorecards, written by the command into a directory it creates."""
    out = tmp_path_factory.mktemp("report") / "nested" / "site"
    paths = [str(scorecards[name]) for name in ("exact", "second-minimum", "release-1", "release-2")]
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "mlip_conformance", "report", *paths, "--out", str(out)],
                         capture_output=True, text=True, cwd=out.parents[1])
    seconds = time.perf_counter() - started
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    cards = [json.loads(open(path, encoding="utf-8").read()) for path in paths]
    print(f"report of {len(paths)} scorecards built in {seconds:.1f} s ({len(page) / 1e6:.1f} MB)")
    return out / "index.html", parse(page), cards


# ---- the page's content -------------------------------------------------------------------------

def test_the_matrix_has_every_model_and_every_verdict(report):
    _, page, cards = report
    heads = {int(th["data-m"]): th.find("span", cls="label")[0].text() for th in page.find("th", cls="model")}
    assert [heads[m] for m in sorted(heads)] == ["exact", "models.py:SecondMinimum",
                                                 "gating_models.py:scaled_coulomb · release-1",
                                                 "gating_models.py:scaled_coulomb · release-2"]
    verdicts = matrix_verdicts(page)
    # every check of every scorecard is in the matrix, with its status
    for position, card in enumerate(cards):
        assert {check["id"]: check["status"] for check in card["checks"]} == {
            check: status for (check, m), status in verdicts.items() if m == position and status != "not run"}
    # a few by name: the oracle passes, the model with a second minimum fails the shape laws
    assert verdicts["test_curve_has_the_wells_of_its_state[H2]", 0] == "passed"
    assert verdicts["test_curve_has_the_wells_of_its_state[H2]", 1] == "failed"
    assert verdicts["test_energy_is_monotonic_on_each_side_of_the_minimum[H2-triplet]", 1] == "failed"
    assert verdicts["test_curve_has_the_wells_of_its_state[Li2]", 0] == "not applicable"   # two electrons at most
    assert verdicts["test_bare_protons_follow_coulomb[r=0.50]", 2] == "passed"
    assert verdicts["test_bare_protons_follow_coulomb[r=0.50]", 3] == "failed"
    assert verdicts["test_h2_forces_are_energy_gradient[r=0.74]", 3] == "not run"   # release runs: one module


def test_a_cell_carries_its_key_number_and_its_message(report):
    _, page, cards = report
    wells = "test_curve_has_the_wells_of_its_state[H2]"
    row = next(tr for tr in page.find("tr", cls="row") if tr.get("data-check") == wells)
    broken = next(td for td in row.find("td") if td["data-m"] == "1")
    message = next(c["message"] for c in cards[1]["checks"] if c["id"] == wells)
    assert "wells: 2" in broken.text() and broken["title"] == message
    # a parametrized check is one row that unfolds into its ids
    coulomb = next(tr for tr in page.find("tr", cls="row") if tr["data-function"] == "test_bare_protons_follow_coulomb")
    cells = {td["data-m"]: td for td in coulomb.find("td")}
    assert cells["3"]["data-status"] == "failed" and "FAIL 24/24" in cells["3"].text()
    assert "PASS 24/24" in cells["2"].text() and "eV (±" in cells["2"].text()
    assert len([tr for tr in page.find("tr", cls="unit") if tr["data-parent"] == coulomb["id"]]) == 24


def test_every_scanned_curve_has_a_figure_over_the_exact_one(report):
    _, page, cards = report
    figures = {figure["data-system"]: figure for figure in page.find("figure", cls="curve")}
    assert {"H2", "H2+", "H2-triplet", "bare-protons"} <= set(figures)
    for name, figure in figures.items():
        source = figure.find("img")[0]["src"]
        assert source.startswith("data:image/svg+xml;base64,"), name
        svg = base64.b64decode(source.split(",", 1)[1]).decode("utf-8")
        assert "<svg" in svg and len(svg) > 20_000, name
    assert "relative to its own separated fragments" in figures["H2"].text()
    assert "exact curve" in figures["H2"].text() and "Coulomb's law" in figures["bare-protons"].text()
    # a release run scanned no H2 curve: said under the figure, not drawn as zero
    assert "release-2: not drawn" in figures["H2"].text()


def test_what_changed_between_two_releases_of_one_model(report):
    _, page, _ = report
    changes = page.find("article", cls="change")
    assert len(changes) == 1, "exactly one pair of scorecards is of the same model"
    change = changes[0]
    assert change["data-before"].endswith("release-1") and change["data-after"].endswith("release-2")
    assert "factor': 0.999} → {'factor': 0.97}" in change.text()
    flip = next(tr for tr in change.find("tr", cls="flip") if tr["data-function"] == "test_bare_protons_follow_coulomb")
    assert [chip.text() for chip in flip.find("span", cls="chip")] == ["passed", "failed"]
    assert "test_bare_protons_follow_coulomb[r=0.50]" in flip["data-ids"].split("|")
    moved = next(tr for tr in change.find("tr", cls="moved")
                 if (tr["data-check"], tr["data-key"]) == ("test_bare_protons_follow_coulomb[r=0.50]", "energy"))
    assert moved.find("td", cls="verdict")[0].text() == "worse"


def test_provenance_names_each_run(report):
    _, page, cards = report
    text = page.find("section", id="provenance")[0].text()
    for card in cards:
        assert card["model"]["spec"] in text and card["created"] in text
    assert "profile ci (derandomized, 50 examples)" in text and "0.2.0" in text and "1 (some checks failed)" in text


# ---- usage errors -----------------------------------------------------------------------------------

@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{not json", "not JSON: "),
    ('{"hello": "world"}', "not a mlip-conformance scorecard"),
    ('{"schema": "mlip-conformance-scorecard/1", "checks": []}',
     "a scorecard of schema 'mlip-conformance-scorecard/1'"),
])
def test_a_file_that_is_not_a_scorecard_is_one_line_and_exit_4(content, message, tmp_path, capsys):
    path = tmp_path / "card.json"
    if content is not None:
        path.write_text(content)
    assert command.main([str(path), "--out", str(tmp_path / "out")]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err, err


def test_a_scorecard_that_breaks_its_schema_is_refused(scorecards, tmp_path, capsys):
    card = json.loads(scorecards["release-1"].read_text())
    card["checks"][0]["status"] = "maybe"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(card))
    assert command.main([str(scorecards["release-2"]), str(broken), "--out", str(tmp_path / "out")]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "broken.json: not a valid scorecard: checks/0/status: 'maybe'" in err, err


@pytest.mark.parametrize("argv, message", [([], "the following arguments are required"),
                                            (["{card}"], "--out"),
                                            (["{card}", "--out", "{card}"], "exists and is not a directory")])
def test_command_line_usage_errors_exit_4(argv, message, scorecards, capsys):
    argv = [a.format(card=scorecards["release-1"]) for a in argv]
    assert command.main(argv) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


def test_without_matplotlib_the_report_is_a_usage_error(scorecards, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)   # import matplotlib raises ImportError
    assert command.main([str(scorecards["release-1"]), "--out", str(tmp_path)]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'mlip-conformance[plots]'" in err


def test_without_jsonschema_or_curves_the_report_still_reads_the_scorecards(scorecards, tmp_path, monkeypatch, capsys):
    """An older scorecard keeps no curves; without jsonschema the files are not validated, and the
    page and stderr say so."""
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    card = json.loads(scorecards["release-1"].read_text())
    del card["curves"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(card))
    assert command.main([str(older), str(scorecards["release-2"]), "--out", str(tmp_path / "out")]) == 0
    assert "jsonschema is not installed" in capsys.readouterr().err
    page = parse((tmp_path / "out" / "index.html").read_text())
    assert "jsonschema is not installed" in page.find("div", id="notes")[0].text()
    figure = page.find("figure", cls="curve")[0]
    assert "older: not drawn (its scorecard keeps no curves: an older run)" in figure.text()
    assert len(page.find("article", cls="change")) == 1


# ---- in a browser -------------------------------------------------------------------------------

@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (Debian: apt-get install -y chromium): "
                                             "the page was not opened in a browser")
def test_the_page_renders_in_a_headless_browser(report, tmp_path):
    """--dump-dom after the page's own self-check (#selftest: sort, reorder, unfold, open a cell,
    filter), and a screenshot that must show the page."""
    path, page, _ = report
    url = path.as_uri()
    dom = parse(_chromium(tmp_path, "--dump-dom", url + "#selftest").stdout)
    body = dom.find("body")[0]
    errors = dom.find("pre", id="js-errors")[0]
    assert errors.text() == "" and "hidden" in errors.attrs, errors.text()
    assert body["data-ready"] == "yes"
    figures = len(page.find("figure", cls="curve"))
    assert body["data-figures-drawn"] == f"{figures}/{figures}"
    assert "details shown" in body["data-selftest"] and re.search(r"unfolded [1-9]\d* ids", body["data-selftest"])
    rows = dom.find("table", id="matrix-table")[0].find("tr", cls="row")
    assert len(rows) == len(page.find("tr", cls="row")) and all(len(tr.find("td", cls="cell")) == 4 for tr in rows)
    details = dom.find("aside", id="details")[0]
    assert "hidden" not in details.attrs and "measured" in details.text()
    shot = tmp_path / "report.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1440,1800", url)
    import matplotlib.image
    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (1800, 1440)
    colours = {tuple(p) for p in (pixels[::7, ::7, :3] * 255).astype(int).reshape(-1, 3)}
    assert len(colours) > 200, "the screenshot is (nearly) blank"
    if os.environ.get("MLIP_REPORT_SCREENSHOT"):   # keep it to look at
        shutil.copy(shot, os.environ["MLIP_REPORT_SCREENSHOT"])


def _chromium(tmp_path, *args):
    run = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


# ---- reading the page ---------------------------------------------------------------------------

def matrix_verdicts(page):
    """(check id, model position) -> status, from the rows of single checks and the unfolded ids."""
    found = {}
    for tr in page.find("tr"):
        if "data-check" in tr.attrs:
            for td in tr.find("td", cls="cell"):
                found[tr["data-check"], int(td["data-m"])] = td["data-status"]
    return found


class Element:
    def __init__(self, tag, attrs):
        self.tag, self.attrs, self.children, self.parts = tag, dict(attrs), [], []

    def __getitem__(self, name):
        return self.attrs[name]

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def text(self):
        return "".join(part if isinstance(part, str) else part.text() for part in self.parts)

    def find(self, tag, cls=None, id=None):
        found = []
        for child in self.children:
            if (child.tag == tag and (cls is None or cls in (child.get("class") or "").split())
                    and (id is None or child.get("id") == id)):
                found.append(child)
            found += child.find(tag, cls, id)
        return found


_VOID = {"meta", "img", "br", "wbr", "input", "link", "hr"}


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs)
        self.stack[-1].children.append(element)
        self.stack[-1].parts.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].parts.append(data)


def parse(text):
    builder = _Builder()
    builder.feed(text)
    return builder.root
