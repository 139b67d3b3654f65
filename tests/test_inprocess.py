"""mlip_conformance.check: the suite in this process on a model object, as the command runs it."""

import os
import sys
import tempfile
import threading

import pytest
from hypothesis import settings

from mlip_conformance import ModelUsageError, Scorecard, check
from mlip_conformance.adapters import load_model
from mlip_conformance.adapters.exact import make_calculator
from interrupting_plugin import CHECKS_BEFORE_INTERRUPT
from suite import model_spec

CURVES = "curves"


def test_two_calls_in_one_process_are_independent():
    """A broken model after the oracle still fails (no prediction, profile, cwd or path leaks
    from one run to the next), and the oracle after it passes as before."""
    profile, cwd, path = settings.get_current_profile_name(), os.getcwd(), list(sys.path)
    exact = check(make_calculator(), select=CURVES)
    broken = check(load_model(model_spec("ScaledCoulomb")), select=CURVES)
    again = check(make_calculator(), select=CURVES)
    assert exact.counts["failed"] == 0 and exact.counts["passed"] > 0
    assert exact.counts == again.counts
    failed = {f.check for f in broken.failures}
    assert "test_bare_protons_repel_at_any_distance" in failed
    assert all(f.system in ("bare protons", "bare-nucleus clusters") for f in broken.failures), failed
    assert (settings.get_current_profile_name(), os.getcwd(), sys.path) == (profile, cwd, path)


def test_verdicts_equal_those_of_the_command(run_suite):
    """The same model (a broken one, so that some checks fail), the same selection: the command
    in a subprocess and check() on the built adapter give the same verdict for every check."""
    command = run_suite(model_spec("ScaledCoulomb"), "--select=curves", scorecard=True)
    card = check(load_model(model_spec("ScaledCoulomb")), select=CURVES)
    assert card.counts == command.scorecard["summary"]
    assert card.counts["failed"] > 0
    assert ({c["id"]: c["status"] for c in card.checks}
            == {c["id"]: c["status"] for c in command.scorecard["checks"]})


def test_a_run_leaves_no_file_behind(tmp_path, monkeypatch):
    """Two worker processes (the pickled model, the store they share), checks on drawn geometries
    (Hypothesis caches constants under .hypothesis/): nothing is left in the working directory or
    the temporary directory, and Hypothesis's storage directory is as it was."""
    from hypothesis import configuration
    home = getattr(configuration, "__hypothesis_home_directory", None)
    scratch, work = tmp_path / "tmp", tmp_path / "work"
    scratch.mkdir()
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))   # the xdist workers' own temporary directory
    monkeypatch.chdir(work)
    card = check(make_calculator(), select=["curves", "contract"], workers=2)   # Hypothesis-drawn checks too
    assert card.counts["passed"] > 0 and card.counts["failed"] == 0
    assert card.model_name == "ExactPhysics"
    assert list(scratch.iterdir()) == [] and list(work.iterdir()) == []
    assert getattr(configuration, "__hypothesis_home_directory", None) == home
    assert "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ


def test_keyboard_interrupt_returns_the_checks_that_ran():
    card = check(make_calculator(), select=CURVES, pytest_args=["-p", "interrupting_plugin"])
    assert isinstance(card, Scorecard)
    assert card.interrupted == "KeyboardInterrupt"
    assert len(card.checks) == CHECKS_BEFORE_INTERRUPT
    assert "INTERRUPTED" in repr(card) and "Interrupted" in card._repr_html_()


def test_an_unknown_run_option_is_a_type_error_naming_the_known_ones():
    with pytest.raises(TypeError, match="unknown run option.s. model_timout; known: model_timeout, "
                                        "expected_failures, baseline"):
        check(make_calculator(), model_timout=5)


def test_a_bad_option_value_is_a_one_line_usage_error():
    with pytest.raises(ModelUsageError) as error:
        check(make_calculator(), model_timeout=-1)
    assert str(error.value) == "--model-timeout=-1: give a positive number of seconds"


def test_a_selection_that_is_not_all_group_names_is_a_keyword_expression():
    """'curves,bogus' is no list of groups, so it is a -k expression, which matches no check."""
    card = check(make_calculator(), select="curves,bogus")
    assert card.checks == []
    assert check(make_calculator(), select="coulomb").counts["passed"] > 0


def test_a_spec_string_runs_as_the_command_does():
    card = check("exact", select="contract")
    assert card.model_name == "exact" and card.counts["failed"] == 0


@pytest.mark.parametrize("model, keywords, error", [
    ("exact", dict(name="x"), TypeError),
    (object(), {}, ModelUsageError),
    (make_calculator, dict(workers=0), TypeError),
    (make_calculator, dict(select=["curves", "law"]), TypeError),
])
def test_bad_arguments_are_refused_before_the_run(model, keywords, error):
    model = model() if callable(model) else model
    with pytest.raises(error):
        check(model, **keywords)


def test_a_model_that_cannot_be_pickled_for_workers_says_so():
    adapter = load_model("exact")
    adapter.lock = threading.Lock()   # pickles with neither pickle nor cloudpickle
    with pytest.raises(ModelUsageError, match="cannot be sent to worker processes: pickling it failed"):
        check(adapter, workers=2, select="contract")
