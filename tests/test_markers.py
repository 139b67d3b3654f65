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
