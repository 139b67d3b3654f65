"""The comparison report: several scorecards (--conformance-json) side by side, as one static page.

    mlip-conformance report SCORECARD.json [SCORECARD.json ...] --out DIR
    python -m mlip_conformance report ...          (the same, from a clone)

writes DIR/index.html, a self-contained page (inline CSS, a few lines of plain JavaScript,
figures embedded as SVG): no server, no network.  Nothing here runs a model: every number comes
from the scorecards, every reference curve from mlip_conformance.references.

- loading:  read and validate the scorecards; name each model's column
- matrix:   models × checks, grouped by system and by law / accuracy / consistency
- changes:  what changed between two scorecards of the same model (a release and its predecessor)
- figures:  each scanned curve, every model over the exact reference (matplotlib, SVG)
- page:     the HTML
- command:  the command line
"""

__all__ = []
