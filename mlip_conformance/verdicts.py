"""What a verdict is: the statuses of a check, their order, and the number that decides it.

A leaf module (no first-party import), read alike by the plugin's reporter, the terminal summary,
the scorecard, the static report and results/table.py, so that none of them imports another to
learn what a status or a key number is.
"""

__all__ = ["STATUSES", "CATEGORIES", "SHORT_STATUS", "WORST_FIRST", "severity", "key_measurement",
           "format_number", "worst"]

STATUSES = ("passed", "failed", "not applicable", "expected failure", "unexpected pass", "error", "skipped")
"""Every status a check can end with (the scorecard's summary keys, in this order)."""

CATEGORIES = ("law", "accuracy", "consistency")
"""What a check examines: a law of exact physics, agreement with reference data, or the model
answering alike however it is called."""

SHORT_STATUS = {"passed": "PASS", "failed": "FAIL", "not applicable": "N/A", "expected failure": "XFAIL",
                "unexpected pass": "XPASS!", "error": "ERROR", "skipped": "SKIP"}

WORST_FIRST = ("error", "unexpected pass", "failed", "expected failure", "passed", "skipped", "not applicable")
"""The order in which a group of checks shows its statuses: what needs attention first."""


def worst(statuses):
    """The status of a group of checks: its worst member's."""
    return min(statuses, key=WORST_FIRST.index)


def severity(m):
    """|measured − reference| / tolerance of one measurement (a dict with the scorecard's fields):
    above 1 the check fails on this number; 0 for a bound or a count, which has no tolerance; ∞
    where the model gave no number (NaN, or None once written to JSON)."""
    if m["reference"] is None or not m["tolerance"]:
        return 0.0
    if m["measured"] is None or m["measured"] != m["measured"]:
        return float("inf")
    return abs(m["measured"] - m["reference"]) / m["tolerance"]


def key_measurement(found):
    """The number that decides a check: its worst error relative to its tolerance, else the first."""
    return max(found, key=severity) if any(severity(m) for m in found) else found[0]


def format_number(m):
    """A measurement as the tables write it: the error and its tolerance, or the value."""
    units = f" {m['units']}" if m["units"] else ""
    if m["measured"] is None or m["measured"] != m["measured"]:
        return "not a number"
    if m["reference"] is None:
        return f"{m['measured']:.4g}{units}"
    if not m["tolerance"]:
        return f"{m['measured']:.4g}{units} (needs {m['reference']:.4g})"
    error = m["measured"] - m["reference"]
    return f"{error:+.3g}{units} (±{m['tolerance']:.2g})"
