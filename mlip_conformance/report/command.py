"""mlip-conformance report SCORECARD.json [SCORECARD.json ...] --out DIR

Writes DIR/index.html: the models side by side (a summary, the matrix of models × checks, the
curves over the exact ones, what changed between releases of one model, where each scorecard
came from), and each curve figure as a file of its own, DIR/figures/<system>.svg.  Exit codes: 0 written; 4 a usage error (a missing or unreadable file, a file that is
not a scorecard, an --out that cannot be written, matplotlib missing), said in one line on
stderr, as the suite says its own usage errors.
"""

import argparse
import sys
import time
from pathlib import Path

from mlip_conformance.report.loading import ReportError

__all__ = ["main", "build", "USAGE_ERROR"]

USAGE_ERROR = 4
PROG = "mlip-conformance report"


class _Parser(argparse.ArgumentParser):
    def error(self, message):   # argparse would exit 2; the suite's usage errors exit 4
        raise ReportError(message)


def _parser():
    parser = _Parser(prog=PROG, description="Compare models at a glance: a static HTML page from scorecards "
                                            "(written by a run with --conformance-json=PATH).")
    parser.add_argument("scorecards", nargs="+", metavar="SCORECARD.json", help="scorecards, one per run")
    parser.add_argument("--out", required=True, metavar="DIR", help="directory for index.html (created if missing)")
    return parser


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        options = _parser().parse_args(argv)
        _require_matplotlib()
        started = time.perf_counter()
        path, notes = build(options.scorecards, options.out)
    except SystemExit as done:   # --help
        return done.code or 0
    except ReportError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return USAGE_ERROR
    for note in notes:
        print(f"{PROG}: note: {note}", file=sys.stderr)
    count = len(options.scorecards)
    print(f"{PROG}: wrote {path} ({count} scorecard{'s' if count != 1 else ''}, "
          f"{time.perf_counter() - started:.1f} s)")
    return 0


def build(paths, out):
    """Read, draw and write; returns (the page's path, notes).  ReportError on a usage error."""
    from mlip_conformance.report import changes, figures, loading, matrix, page
    from mlip_conformance.scorecard import version
    directory = _out_directory(out)
    scorecards, notes = loading.load_all(paths)
    colours = [figures.PALETTE[card.position % len(figures.PALETTE)] for card in scorecards]
    drawn = figures.draw_all(scorecards, colours)
    text = page.render(scorecards, matrix.build(scorecards), changes.compare_releases(scorecards),
                       drawn, notes, colours,
                       time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), version() or "unknown")
    from mlip_conformance.outputs import write_text
    target = directory / "index.html"
    # each figure also as a file of its own (figures/H2.svg, ...), to link or show elsewhere
    for figure, name in ((f, f.name.replace("+", "-plus")) for f in drawn):
        write_text(directory / "figures" / f"{name}.svg", figure.svg)
    problem = write_text(target, text)
    if problem:
        raise ReportError(f"--out {out}: cannot write {problem}")
    return target, notes


def _out_directory(out):
    directory = Path(out)
    if directory.exists() and not directory.is_dir():
        raise ReportError(f"--out {out}: exists and is not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportError(f"--out {out}: cannot be created: {error.strerror or error}") from None
    return directory


def _require_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ReportError("the report draws its figures with matplotlib: pip install 'mlip-conformance[plots]' "
                          "(or pip install matplotlib)") from None
