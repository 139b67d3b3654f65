"""The mlip-conformance command: the suite, from any directory, without a clone.

    mlip-conformance --model=sevenn -n 4 --junitxml=report.xml --conformance-json=scorecard.json
    mlip-conformance report SCORECARD.json [SCORECARD.json ...] --out DIR

The first form is pytest with the suite's plugin turned on (-p mlip_conformance.plugin), the installed
test modules as the tests, the package as the root directory (so node ids read
conformance/test_….py::…, as in a clone) and an empty configuration file (so the host
project's pytest settings and conftest.py files stay out of it).  Every pytest option passes
through: -k, -x, -n, --hypothesis-profile, --junitxml, ...  The current directory is put on
sys.path, as `python -m pytest` does, so --model=mypkg.models:make_calc finds a package of the
repository the command runs in, and --model=tests/my_model.py:make a file of it.
"""

import os
import sys
from pathlib import Path

__all__ = ["main", "suite_arguments"]

DISPLAY_DEFAULTS = ("-ra", "--tb=short")


def suite_arguments():
    """The pytest arguments that make a plain pytest run the installed suite."""
    from mlip_conformance import conformance
    suite = Path(conformance.__file__).resolve().parent
    return ["-p", "mlip_conformance.plugin", "-p", "no:cacheprovider",
            "-c", str(Path(__file__).with_name("command.ini")), "--rootdir", str(suite.parent),
            "--confcutdir", str(suite), "--strict-markers", *DISPLAY_DEFAULTS, str(suite)]


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "report":
        from mlip_conformance.report import command
        return command.main(argv[1:])
    if argv and argv[0] in ("-h", "--help") and len(argv) == 1:
        print(__doc__.strip())
        print("\npytest's own help, with the suite's options under 'MLIP physics conformance':"
              "  mlip-conformance --help-pytest")
        return 0
    argv = ["--help" if a == "--help-pytest" else a for a in argv]
    import pytest
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    return int(pytest.main([*suite_arguments(), *argv]))
