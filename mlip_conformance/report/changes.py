"""What changed between two scorecards of the same model: a release against its predecessor.

Two scorecards are of the same model when they name the same model spec and model name (as a
baseline does: mlip_conformance/gating.py); the earlier (by "created", then by command-line
order) is the predecessor.  Three or more of one model are compared in a chain, each with the
one before it.  What is listed:

- checks whose status flipped (passed -> failed, applicable -> not applicable, ...);
- numbers, per check id and measurement key, that moved by more than the baseline's noise
  margin (gating.default_margin(units, tolerance): 5 % of the physics tolerance, floored by
  the float32 noise of the units), with whether the error |measured − reference| grew or shrank;
- checks only one of the two ran.
"""

from dataclasses import dataclass, field

from mlip_conformance.gating import default_margin

__all__ = ["Comparison", "Moved", "compare_releases", "compare"]


@dataclass
class Moved:
    check_id: str
    key: str
    quantity: str
    units: str
    before: float | None
    after: float | None
    margin: float
    verdict: str             # "worse", "better", "moved" (no reference to judge by), "not a number"

    @property
    def change(self):
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class Comparison:
    before: object           # loading.Scorecard
    after: object
    flipped: list = field(default_factory=list)     # (check before, check after)
    moved: list = field(default_factory=list)       # Moved
    only_before: list = field(default_factory=list)  # check ids
    only_after: list = field(default_factory=list)

    @property
    def what_differs(self):
        """The run's settings that differ: weights, options, suite version (what a reader must know)."""
        a, b = self.before.card, self.after.card
        found = []
        sha = [(card["model"].get("checkpoint") or {}).get("sha256") for card in (a, b)]
        if sha[0] != sha[1]:
            found.append(f"weights: sha256 {_short(sha[0])} → {_short(sha[1])}")
        if a["model"].get("options") != b["model"].get("options"):
            found.append(f"options: {a['model'].get('options')} → {b['model'].get('options')}")
        if a.get("suite_version") != b.get("suite_version"):
            found.append(f"suite: {a.get('suite_version')} → {b.get('suite_version')}")
        if a["hypothesis"].get("profile") != b["hypothesis"].get("profile"):
            found.append(f"Hypothesis profile: {a['hypothesis'].get('profile')} → {b['hypothesis'].get('profile')}")
        return found


def compare_releases(scorecards):
    """A Comparison for each scorecard that has a predecessor of the same model."""
    models = {}
    for card in scorecards:
        models.setdefault(card.identity, []).append(card)
    found = []
    for releases in models.values():
        ordered = sorted(releases, key=lambda card: (card.created, card.position))
        found += [compare(before, after) for before, after in zip(ordered, ordered[1:])]
    return found


def compare(before, after):
    result = Comparison(before, after)
    old, new = _by_node(before), _by_node(after)
    for nodeid, check in new.items():
        previous = old.get(nodeid)
        if previous is None:
            result.only_after.append(check["id"])
            continue
        if previous["status"] != check["status"]:
            result.flipped.append((previous, check))
        result.moved += _moved(previous, check)
    result.only_before = [check["id"] for nodeid, check in old.items() if nodeid not in new]
    result.moved.sort(key=_how_far, reverse=True)
    return result


def _moved(previous, check):
    then = {m["key"]: m for m in previous["measurements"]}
    found = []
    for m in check["measurements"]:
        old = then.get(m["key"])
        if old is None:
            continue
        margin = default_margin(m["units"], m["tolerance"] if m["tolerance"] is not None else old["tolerance"])
        verdict = _verdict(old, m, margin)
        if verdict:
            found.append(Moved(check["id"], m["key"], m["quantity"], m["units"], old["measured"], m["measured"],
                               margin, verdict))
    return found


def _verdict(old, new, margin):
    """None when the number stayed within the margin; else how it moved."""
    if old["measured"] is None or new["measured"] is None:
        return None if old["measured"] is new["measured"] else "not a number"
    if abs(new["measured"] - old["measured"]) <= margin:
        return None
    if old["reference"] is None or new["reference"] is None:
        return "moved"
    grown = abs(new["measured"] - new["reference"]) - abs(old["measured"] - old["reference"])
    if abs(grown) <= margin:
        return "moved"   # the number moved with its reference: the error did not change
    return "worse" if grown > 0 else "better"


_VERDICT_ORDER = ("not a number", "worse", "better", "moved")


def _how_far(moved):
    """Sort key, largest first: a number that became NaN, then errors that grew, errors that
    shrank, numbers that moved without a reference; within each, the largest move in units of
    its margin."""
    size = float("inf") if moved.change is None or not moved.margin else abs(moved.change) / moved.margin
    return -_VERDICT_ORDER.index(moved.verdict), size


def _by_node(card):
    return {check["nodeid"]: check for check in card.checks}


def _short(sha):
    return f"{sha[:12]}…" if sha else "none"
