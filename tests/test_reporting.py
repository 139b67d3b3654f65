"""Reports: JUnit properties, the scorecard (validated against its schema), the 80-column
summary table and the figures, on a model that fails a law and on one that is not applicable."""

import hashlib
import json

import jsonschema
import pytest

from mlip_conformance.references.constants import COULOMB_EV_ANGSTROM
from suite import REPO, run_suite

SCHEMA = json.loads((REPO / "mlip_conformance" / "scorecard.schema.json").read_text())
SCALED = f"{REPO / 'tests' / 'gating_models.py'}:scaled_coulomb"




def test_reports_of_a_model_that_breaks_coulombs_law(pytester):
    """One run (Coulomb's law scaled by 0.97), every report of it checked."""
    plots = pytester.path / "figures"
    run = run_suite(pytester, SCALED, "--model-option", "factor=0.97", f"--plots={plots}",
                    modules=["test_bare_protons.py", "test_curves.py", "test_curve_accuracy.py", "test_forces.py"],
                    scorecard=True)
    junit_carries_measured_reference_tolerance_and_units(run)
    scorecard_follows_its_schema_and_matches_the_verdicts(run)
    summary_table_fits_80_columns_with_one_row_per_check(run)
    figures_are_drawn_from_the_run(run, plots)


def junit_carries_measured_reference_tolerance_and_units(run):
    assert run.exit_code == 1, run.output[-3000:]
    properties = dict(run.properties["test_bare_protons_follow_coulomb[r=0.50]"])
    assert properties["key"] == "energy"
    assert properties["quantity"] == "E(0.50 Å) − 2E(H⁺) for two bare protons"
    assert float(properties["measured"]) == pytest.approx(0.97 * COULOMB_EV_ANGSTROM / 0.5)
    assert float(properties["reference"]) == pytest.approx(COULOMB_EV_ANGSTROM / 0.5)
    assert float(properties["tolerance"]) == pytest.approx(0.01 * COULOMB_EV_ANGSTROM / 0.5)
    assert properties["units"] == "eV"
    # a check that decides by a count records it too
    minima = dict(run.properties["test_curve_has_the_wells_of_its_state[H2]"])
    assert (minima["key"], minima["measured"]) == ("wells", "1.0")
    # every test with a system marker reports; passed, failed and skipped alike carry no stray data
    assert all(run.properties[test] for test, outcome in run.outcomes.items() if outcome in ("passed", "failed"))


def scorecard_follows_its_schema_and_matches_the_verdicts(run):
    card = run.scorecard
    jsonschema.validate(card, SCHEMA)
    checks = {c["id"]: c for c in card["checks"]}
    assert set(checks) == set(run.outcomes)
    junit_status = {"passed": "passed", "failed": "failed", "skipped": "not applicable", "error": "error"}
    assert {k: c["status"] for k, c in checks.items()} == {k: junit_status[o] for k, o in run.outcomes.items()}
    coulomb = checks["test_bare_protons_follow_coulomb[r=0.50]"]
    assert (coulomb["category"], coulomb["system"], coulomb["key"]) == ("law", "bare protons", "energy")
    assert "Coulomb's law k/r requires 28.7993 eV" in coulomb["message"]
    energy = next(m for m in coulomb["measurements"] if m["key"] == "energy")
    assert energy["measured"] == pytest.approx(0.97 * COULOMB_EV_ANGSTROM / 0.5) and energy["units"] == "eV"
    assert checks["test_equilibrium_bond_length[H2]"]["category"] == "accuracy"
    assert set(card["curves"]) >= {"H2", "bare-protons"}
    assert card["curves"]["bare-protons"]["energy"][0] == pytest.approx(0.97 * COULOMB_EV_ANGSTROM / 0.2)
    assert card["model"]["spec"] == SCALED and card["model"]["options"] == {"factor": 0.97}
    assert card["hypothesis"]["profile"] == "ci" and card["hypothesis"]["derandomize"] is True
    assert card["exit_status"] == 1 and card["summary"]["failed"] == len(run.with_outcome("failed"))
    assert card["environment"]["packages"]["numpy"]


def summary_table_fits_80_columns_with_one_row_per_check(run):
    table = run.output[run.output.index("conformance: "):].splitlines()
    table = table[:next(i for i, line in enumerate(table) if line.startswith(("conformance scorecard",
                                                                               "conformance figure")))]
    rows = [line for line in table if line.split(" ")[0] in ("PASS", "FAIL", "N/A", "XFAIL", "ERROR", "SKIP")]
    assert max(len(line) for line in table) <= 80, table
    coulomb = next(line for line in rows if "bare_protons_follow_coulomb" in line)
    assert coulomb.startswith("FAIL 24/24") and "eV (±" in coulomb
    assert any(line.startswith("PASS") and "equilibrium_bond_length" in line and "Å (±0.01)" in line for line in rows)
    # one row per law and system: a law applied to a catalogue of systems has a row for each
    assert len(rows) == len({(c["system"], c["function"]) for c in run.scorecard["checks"]})


def figures_are_drawn_from_the_run(run, plots):
    """--plots draws the run's curves as the report does: one SVG per scanned system it judged."""
    for name in ("H2", "bare-protons"):
        text = (plots / f"{name}.svg").read_text()
        assert text.lstrip().startswith("<?xml") and "<svg" in text and len(text) > 10_000, name
    assert "conformance figure:" in run.output


def test_not_applicable_checks_are_reported_as_such(pytester, spec):
    run = run_suite(pytester, spec("DeclaresNoCharge"), modules=["test_bare_protons.py"], scorecard=True)
    assert run.exit_code == 0, run.output[-3000:]
    statuses = {c["status"] for c in run.scorecard["checks"]}
    assert statuses == {"not applicable"}
    assert all("reads no total charge" in c["message"] for c in run.scorecard["checks"])
    assert "N/A 24/24" in run.output


def test_plots_without_matplotlib_is_a_usage_error(pytester, monkeypatch):
    blocker = pytester.mkdir("no_matplotlib")
    (blocker / "matplotlib").mkdir()
    (blocker / "matplotlib" / "__init__.py").write_text("raise ImportError('matplotlib is not installed')\n")
    monkeypatch.setenv("PYTHONPATH", str(blocker))
    run = run_suite(pytester, "exact", f"--plots={pytester.path / 'figures'}", modules=["test_forces.py"])
    assert run.exit_code == 4
    assert "--plots needs matplotlib: pip install 'mlip-conformance[plots]'" in run.output
    assert "Traceback" not in run.output


def test_scorecard_names_the_checkpoint_and_its_sha256(pytester):
    weights = pytester.path / "weights.pt"
    weights.write_bytes(b"not really weights, but bytes with a checksum")
    run = run_suite(pytester, f"{REPO / 'tests' / 'gating_models.py'}:from_checkpoint",
                    "--model-option", f"checkpoint={weights}", modules=["test_forces.py"], scorecard=True)
    assert run.exit_code == 0, run.output[-3000:]
    jsonschema.validate(run.scorecard, SCHEMA)
    assert run.scorecard["model"]["checkpoint"] == {
        "path": str(weights.resolve()), "sha256": hashlib.sha256(weights.read_bytes()).hexdigest()}
