"""Markers are registered and strict, and gpu tests skip with a reason where CUDA is absent."""

import pytest

from suite import REPO


@pytest.fixture
def project(pytester):
    """A scratch project that turns the suite's plugin on, as the clone's conftest.py does."""
    pytester.makeconftest((REPO / "conftest.py").read_text())
    pytester.makefile(".ini", pytest="[pytest]\naddopts = --strict-markers\n")
    return pytester


def test_gpu_tests_are_skipped_with_a_reason_without_cuda(project):
    pytest.importorskip("hypothesis")
    try:
        import torch
        if torch.cuda.is_available():
            pytest.skip("this machine has CUDA: the gpu test would run")
    except ImportError:
        pass
    project.makepyfile(test_gpu="""
        import pytest

        @pytest.mark.gpu
        def test_on_cuda():
            raise AssertionError("must not run without CUDA")
    """)
    result = project.runpytest_subprocess("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*needs CUDA*"])


def test_unknown_markers_are_errors(project):
    project.makepyfile(test_typo="""
        import pytest

        @pytest.mark.lawz
        def test_typo():
            pass
    """)
    result = project.runpytest_subprocess()
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*'lawz' not found in `markers` configuration option*"])


def test_a_check_without_its_system_or_category_is_a_collection_error(project):
    """A check that forgot its markers would drop out of scorecards and baselines silently."""
    project.makepyfile(test_unlabelled="""
        import pytest

        @pytest.mark.law
        def test_without_a_system(evaluator):
            pass

        @pytest.mark.system("H2")
        def test_without_a_category(model):
            pass

        @pytest.mark.law
        @pytest.mark.system("H2")
        def test_labelled(model):
            pass
    """)
    result = project.runpytest_subprocess("--model=exact", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED, result.stdout.str()[-2000:]
    result.stdout.fnmatch_lines(["*test_without_a_system: a check of the suite needs a system marker*",
                                 "*test_without_a_category: a check of the suite needs a system marker*"])
    assert "test_labelled: a check" not in result.stdout.str()


def test_not_applicable_is_an_outcome_of_its_own_never_read_from_the_message(project):
    project.makepyfile(test_outcomes="""
        import pytest
        from mlip_conformance.conformance.applicability import not_applicable

        @pytest.mark.law
        @pytest.mark.system("H2")
        def test_declared(model):
            not_applicable("the model declares that it cannot")

        @pytest.mark.law
        @pytest.mark.system("H2")
        def test_merely_worded_so(model):
            pytest.skip("not applicable: only the words")
    """)
    result = project.runpytest_subprocess("--model=exact", "-p", "no:cacheprovider", "--conformance-json=card.json")
    import json
    card = json.loads((project.path / "card.json").read_text())
    statuses = {check["id"]: (check["status"], check["message"]) for check in card["checks"]}
    assert statuses == {"test_declared": ("not applicable", "not applicable: the model declares that it cannot"),
                        "test_merely_worded_so": ("skipped", "not applicable: only the words")}, result.stdout.str()
