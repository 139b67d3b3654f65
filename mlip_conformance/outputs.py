"""The files a run writes: checked before any test runs, written so that a failure to write one
never costs the others.

Every output path (--conformance-json, --plots, --baseline with --update-baseline, --junitxml)
is checked when the run starts: its directory is created if missing, and a file is actually
created and removed there, so that a path under a file, on a read-only file system or in a
directory the user may not write is one usage line (exit 4) before the model has evaluated
anything, instead of a traceback after it has evaluated everything.
"""

import os
import tempfile
from pathlib import Path

import pytest

__all__ = ["validate", "write_text"]


def validate(config):
    """Check every output path of the run (pytest.UsageError, exit 4, on the first problem)."""
    scorecard = config.getoption("conformance_json")
    if scorecard:
        _writable_file(scorecard, "--conformance-json")
    plots = config.getoption("plots")
    if plots:
        _require_matplotlib()
        _writable_directory(plots, "--plots")
    if config.getoption("update_baseline") and config.getoption("baseline"):
        _writable_file(config.getoption("baseline"), "--baseline (to be written by --update-baseline)")
    junit = getattr(config.option, "xmlpath", None)
    if junit:
        _writable_file(junit, "--junitxml")


def _require_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise pytest.UsageError("--plots needs matplotlib: pip install 'mlip-conformance[plots]' "
                                "(or pip install matplotlib)") from None


def _writable_directory(path, option):
    directory = Path(path)
    if directory.exists() and not directory.is_dir():
        raise pytest.UsageError(f"{option} {path}: exists and is not a directory")
    _make_and_probe(directory, option, path)


def _writable_file(path, option):
    target = Path(path)
    if target.is_dir():
        raise pytest.UsageError(f"{option} {path}: is a directory; give a file name")
    _make_and_probe(target.parent, option, path)
    if target.exists():
        try:
            with open(target, "a", encoding="utf-8"):
                pass
        except OSError as error:
            raise pytest.UsageError(f"{option} {path}: cannot be written: {error.strerror or error}") from None


def _make_and_probe(directory, option, path):
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".mlip-conformance-probe-"):
            pass
    except OSError as error:
        raise pytest.UsageError(f"{option} {path}: cannot write to {directory}: "
                                f"{error.strerror or error}") from None


def write_text(path, text):
    """Write a file; returns None, or one line saying why it could not be written."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(path).with_name(f".{Path(path).name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
        return None
    except OSError as error:
        return f"{path}: {error.strerror or error}"
