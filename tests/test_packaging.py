"""The suite as an installed package: a non-editable wheel runs the whole suite from any
directory, a model team's factories load from its own repository, and a project that merely has
the package installed runs its own pytest unchanged.

One wheel is built and installed, without dependencies, into a fresh virtual environment that
borrows this environment's packages (numpy, ase, pytest, ...) but not its editable install.
"""

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from suite import REPO, suite_arguments

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _run(argv, cwd, timeout=600):
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)], cwd=out)
    assert built.returncode == 0, built.stderr[-3000:]
    return next(out.glob("mlip_conformance-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """bin/ of a fresh venv with the wheel installed (not editable)."""
    venv = tmp_path_factory.mktemp("venv")
    assert _run([sys.executable, "-m", "venv", str(venv)], cwd=venv).returncode == 0
    site = next((venv / "lib").glob("python3*/site-packages"))
    borrowed = [p for p in sys.path if p.endswith("site-packages")]
    (site / "borrowed.pth").write_text("\n".join(borrowed) + "\n")   # plain paths: their .pth files stay unread
    done = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], cwd=venv)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin"


def test_the_wheel_carries_everything_the_suite_reads(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("mlip_conformance/scorecard.schema.json", "mlip_conformance/command.ini",
                   "mlip_conformance/references/data/exact.json", "mlip_conformance/references/data/pbe.json",
                   "mlip_conformance/conformance/test_curves.py", "mlip_conformance/adapters/exact.py"):
        assert needed in names, needed
    top = {name.split("/")[0] for name in names if not name.startswith("mlip_conformance-")}
    assert top == {"mlip_conformance"}, f"generic top-level names would shadow other distributions: {top}"


def test_the_installed_command_passes_the_whole_suite_on_the_oracle(installed, tmp_path):
    empty = tmp_path / "anywhere"
    empty.mkdir()
    run = _run([str(installed / "mlip-conformance"), "--model=exact", "-q", "--hypothesis-profile=ci",
                "--conformance-json=card.json", "--junitxml=report.xml"], cwd=empty)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    card = json.loads((empty / "card.json").read_text())
    assert "site-packages" in card["checks"][0]["nodeid"] or card["checks"][0]["nodeid"].startswith("conformance/")
    assert card["summary"]["passed"] > 100 and card["summary"]["failed"] == 0
    assert (empty / "report.xml").exists() and not (empty / ".pytest_cache").exists()


def test_the_command_and_a_clone_give_the_same_verdicts(installed, tmp_path):
    clone = _run([sys.executable, "-m", "pytest", *suite_arguments(tmp_path, "exact", scorecard=True)], cwd=tmp_path)
    assert clone.returncode == 0, clone.stdout[-2000:]
    command = _run([str(installed / "mlip-conformance"), "--model=exact", "--hypothesis-profile=ci",
                    "--conformance-json=installed.json"], cwd=tmp_path)
    assert command.returncode == 0, command.stdout[-2000:]
    verdicts = [{c["nodeid"]: c["status"] for c in json.loads((tmp_path / name).read_text())["checks"]}
                for name in ("scorecard.json", "installed.json")]
    assert verdicts[0] == verdicts[1]


def test_a_model_teams_factories_load_from_its_own_repository(installed, tmp_path):
    repo = tmp_path / "model-repo"
    (repo / "mypkg").mkdir(parents=True)
    (repo / "tests").mkdir()
    (repo / "mypkg" / "__init__.py").write_text("")
    factory = textwrap.dedent("""
        from mlip_conformance.adapters.exact import ExactPhysics

        def make_calc():
            return ExactPhysics()
    """)
    (repo / "mypkg" / "models.py").write_text(factory)
    (repo / "tests" / "my_model.py").write_text(factory.replace("make_calc", "make"))
    for spec in ("mypkg.models:make_calc", "tests/my_model.py:make"):
        run = _run([str(installed / "mlip-conformance"), f"--model={spec}", "-q", "-k", "h2_wall", "-n", "2"],
                   cwd=repo)
        assert run.returncode == 0 and "7 passed" in run.stdout, run.stdout[-2000:] + run.stderr[-2000:]


def test_pytest_with_the_plugin_named_runs_the_installed_suite(installed, tmp_path):
    run = _run([str(installed / "python"), "-m", "pytest", "-p", "mlip_conformance", "--model=exact", "-q",
                "--pyargs", "mlip_conformance.conformance", "-k", "h2_wall", "-p", "no:cacheprovider"], cwd=tmp_path)
    assert run.returncode == 0 and "7 passed" in run.stdout, run.stdout[-2000:] + run.stderr[-2000:]


def test_a_host_project_with_its_own_model_option_markers_and_profile_runs_unchanged(installed, tmp_path):
    host = tmp_path / "host"
    host.mkdir()
    (host / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\nmarkers =\n    slow: a host marker\n")
    (host / "conftest.py").write_text(textwrap.dedent("""
        from hypothesis import settings
        settings.register_profile("host", max_examples=3)
        settings.load_profile("host")

        def pytest_addoption(parser):
            parser.addoption("--model", default="resnet", help="the host's own option")
    """))
    (host / "test_host.py").write_text(textwrap.dedent("""
        import pytest
        from hypothesis import given, settings, strategies as st

        @pytest.mark.slow
        def test_own_option(pytestconfig):
            assert pytestconfig.getoption("model") == "bert"

        def test_own_profile():
            assert settings().max_examples == 3

        @given(st.integers())
        def test_property(n):
            assert n == n

        def test_model(model=None):
            assert model is None
    """))
    run = _run([str(installed / "python"), "-m", "pytest", "--model=bert", "-q", "-p", "no:cacheprovider"], cwd=host)
    assert run.returncode == 0 and "4 passed" in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]
    assert "conformance" not in run.stdout


def test_the_installed_package_claims_no_generic_top_level_name(installed):
    probe = ("import importlib.util, mlip_conformance; "
             "print([n for n in ('conformance', 'adapters', 'references') if importlib.util.find_spec(n)])")
    run = _run([str(installed / "python"), "-c", probe], cwd=Path(installed).parent)
    assert run.returncode == 0 and run.stdout.strip() == "[]", run.stdout + run.stderr


def test_the_inert_entry_point_imports_neither_numpy_nor_ase():
    """pytest imports every pytest11 entry point into every run of every project: mlip_conformance
    (its __init__ imports lazily, PEP 562) must cost such a run nothing."""
    code = ("import sys, mlip_conformance.activation, mlip_conformance; "
            "print(sorted(m for m in ('numpy', 'ase', 'scipy', 'hypothesis', 'mlip_conformance.plugin') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    names = subprocess.run([sys.executable, "-c", "import mlip_conformance as m; print(m.check.__module__, "
                            "m.Capabilities.__name__, m.load_scorecard.__module__, m.__version__ != 'unknown')"],
                           capture_output=True, text=True, check=True)
    assert names.stdout.split() == ["mlip_conformance.inprocess", "Capabilities", "mlip_conformance.results", "True"]
