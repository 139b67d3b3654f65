"""The matrix: models × checks, grouped by system and by law / accuracy / consistency.

A row is one check function within one system and category; a parametrized check (the same
function over several ids: 24 distances, 25 diatomics) is one row whose cell reads as the
terminal table does ("FAIL 3/24": the worst status and how many ids have it), and unfolds into
one row per id.  A cell's number is the deciding measurement of its check (check["key"] names
it among its measurements); of a collapsed row, that of the check of the worst status that lies
furthest from (or closest to) its tolerance.  Numbers come from the measurements, never from
the words of a message.
"""

from collections import Counter
from dataclasses import dataclass, field

from mlip_conformance import verdicts
from mlip_conformance.verdicts import CATEGORIES, SHORT_STATUS, WORST_FIRST, format_number

__all__ = ["Cell", "Row", "Group", "build", "SYSTEM_ORDER", "FAILING", "key_measurement", "failures"]

SYSTEM_ORDER = ("H2", "H2+", "triplet H2", "bare protons", "bare-nucleus clusters", "atoms", "size consistency",
                "diatomics", "numerics")
"""The order a chemist reads the systems in: hydrogen and its ions first (the paper's figures),
the many diatomics late.  A system not listed here follows, in the order the suite ran it."""

FAILING = ("error", "unexpected pass", "failed")
"""Statuses that fail a run: what "number of failures" counts."""


@dataclass
class Cell:
    """One model's verdict on one row (or on one id of an unfolded row)."""

    status: str | None       # the worst status; None: the model's scorecard has no such check
    badge: str               # "PASS", "FAIL 3/24", "not run"
    number: str              # the deciding check's key number, formatted; "" when there is none
    tooltip: str             # the message (or the counts of a collapsed row), for hover
    counts: dict             # status -> number of checks
    indices: list            # positions of the checks in the model's scorecard (details on click)

    @property
    def rank(self):
        """0 for the worst status; past every status for a check the model did not run."""
        return WORST_FIRST.index(self.status) if self.status else len(WORST_FIRST)


@dataclass
class Row:
    system: str
    category: str
    function: str
    order: int                                       # suite order (first appearance)
    ids: dict = field(default_factory=dict)          # node id -> check id, in suite order
    cells: list = field(default_factory=list)        # one Cell per scorecard
    units: list = field(default_factory=list)        # (node id, check id, [Cell per scorecard]) when unfolded

    @property
    def title(self):
        return self.function.removeprefix("test_").replace("_", " ")

    @property
    def failing_models(self):
        return sum(cell.status in FAILING for cell in self.cells)

    @property
    def failing_checks(self):
        return sum(n for cell in self.cells for status, n in cell.counts.items() if status in FAILING)

    @property
    def models_disagree(self):
        return len({cell.status for cell in self.cells if cell.status not in (None, "not applicable")}) > 1


@dataclass
class Group:
    system: str
    category: str
    rows: list


def build(scorecards):
    """[Group] in reading order: systems (SYSTEM_ORDER), then law, accuracy, consistency."""
    rows, systems = {}, {}
    for card in scorecards:
        for index, check in enumerate(card.checks):
            key = (check["system"], check["category"], check["function"])
            row = rows.get(key) or rows.setdefault(key, Row(*key, order=len(rows)))
            row.ids.setdefault(check["nodeid"], check["id"])
            systems.setdefault(check["system"], len(systems))
    by_node = [_by_node(card) for card in scorecards]
    for row in rows.values():
        _fill(row, scorecards, by_node)
    groups = {}
    for row in sorted(rows.values(), key=lambda r: r.order):
        groups.setdefault((row.system, row.category), []).append(row)
    return [Group(system, category, found) for (system, category), found
            in sorted(groups.items(), key=lambda item: (_system_rank(item[0][0], systems), _category_rank(item[0][1])))]


def _fill(row, scorecards, by_node):
    """The row's cells, and one line per id when the check is parametrized."""
    key = (row.system, row.category, row.function)
    for card, found in zip(scorecards, by_node):
        mine = [(i, c) for nodeid in row.ids for i, c in found.get(nodeid, ())
                if (c["system"], c["category"], c["function"]) == key]
        row.cells.append(_cell(mine, card.label))
    if len(row.ids) > 1:
        for nodeid, check_id in row.ids.items():
            cells = [_cell(found.get(nodeid, []), card.label) for card, found in zip(scorecards, by_node)]
            row.units.append((nodeid, check_id, cells))


def _by_node(card):
    """node id -> [(position in the scorecard, check)]."""
    found = {}
    for index, check in enumerate(card.checks):
        found.setdefault(check["nodeid"], []).append((index, check))
    return found


def _cell(found, label):
    if not found:
        return Cell(None, "not run", "", f"{label} did not run this check (deselected, interrupted, or "
                                          "another version of the suite)", {}, [])
    checks = [check for _, check in found]
    counts = Counter(check["status"] for check in checks)
    worst = min(counts, key=WORST_FIRST.index)
    deciding = max((c for c in checks if c["status"] == worst), key=severity)
    return Cell(worst, _badge(worst, counts), _number(deciding) or _reason(deciding),
                _tooltip(checks, counts, deciding), dict(counts), [index for index, _ in found])


def _badge(worst, counts):
    """"FAIL 3/24": the worst status, and how many of the ids the model was asked have it; ids it
    was not asked are counted apart ("PASS 1/1 · 10 N/A"), so that they never read as failures."""
    total = sum(counts.values())
    if total == 1:
        return SHORT_STATUS[worst]
    asked = total - counts.get("not applicable", 0) - counts.get("skipped", 0)
    if worst in ("not applicable", "skipped") or asked == total:
        return f"{SHORT_STATUS[worst]} {counts[worst]}/{total}"
    return f"{SHORT_STATUS[worst]} {counts[worst]}/{asked} · {total - asked} N/A"


def _reason(check):
    """A not-applicable check's reason, short: "reads no total charge"."""
    if check["status"] not in ("not applicable", "skipped"):
        return ""
    reason = check["message"].strip().splitlines()[0] if check["message"].strip() else ""
    reason = reason.removeprefix("not applicable: ")
    for verb in (" declares that it ", " declares "):   # "<model> declares that it reads no total charge"
        if verb in reason:
            return reason.split(verb, 1)[1]
    return reason


def key_measurement(check):
    """The measurement that decides the check (check["key"]), or None when it recorded none."""
    return next((m for m in check["measurements"] if m["key"] == check["key"]), None)


def severity(check):
    """|measured − reference| / tolerance of the deciding number: which check of a row to show."""
    m = key_measurement(check)
    if m is None:
        return -1.0
    return float("inf") if m["measured"] is None else verdicts.severity(m)


def _number(check):
    """The key number as the terminal table writes it; a count or a plain number (no units) named
    by its key, which says what was counted ("wells: 2")."""
    m = key_measurement(check)
    if m is None or check["status"] == "not applicable":
        return ""
    return format_number(m) if m["units"] else f"{m['key'].replace('_', ' ')}: {format_number(m)}"


def _tooltip(checks, counts, deciding):
    message = deciding["message"] or ("passed" if deciding["status"] == "passed" else deciding["status"])
    if len(checks) == 1:
        return message
    tally = ", ".join(f"{counts[s]} {s}" for s in WORST_FIRST if counts.get(s))
    return f"{tally}. {deciding['id']}: {message}"


def failures(card):
    """How many checks of a scorecard failed the run (failed, error, unexpected pass)."""
    return sum(check["status"] in FAILING for check in card.checks)


def _system_rank(system, seen):
    return (0, SYSTEM_ORDER.index(system)) if system in SYSTEM_ORDER else (1, seen[system])


def _category_rank(category):
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)
