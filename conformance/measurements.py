"""What a physics check measured: the numbers behind its verdict, for reports and gates.

A check records the quantity it measured, the value the law or reference requires, the
tolerance and the units.  `assert_close` records automatically; a check that decides with
its own logic calls `record` itself.  A Hypothesis-driven check evaluates many examples:
for each quantity the example that came closest to failing (largest |error| / tolerance)
is kept.  The reporting plugin opens a collector around each test call and reads it back.
"""

from dataclasses import asdict, dataclass

_collector = None


@dataclass(frozen=True)
class Measurement:
    quantity: str             # what was measured, in a chemist's words
    measured: float
    reference: float | None   # what the law or reference requires (None: a bound or a count)
    tolerance: float | None   # allowed |measured − reference|
    units: str

    @property
    def severity(self):
        """|error| / tolerance: above 1 means the check fails on this number."""
        if self.reference is None or not self.tolerance:
            return 0.0
        return abs(self.measured - self.reference) / self.tolerance

    def as_dict(self):
        return asdict(self)


def record(quantity, measured, reference=None, tolerance=None, units=""):
    """Record one measured number of the running check (a no-op outside a collector)."""
    if _collector is None:
        return
    found = Measurement(quantity, float(measured), None if reference is None else float(reference),
                        None if tolerance is None else float(tolerance), units)
    key = _generic(quantity)
    kept = _collector.get(key)
    if kept is None or found.severity >= kept.severity:
        _collector[key] = found


def _generic(quantity):
    # Hypothesis examples differ in the geometry named inside the quantity; keep one entry
    # per check and quantity kind, not one per example.
    return quantity.split(" of ")[0].split(" after ")[0]


class collecting:
    """Context manager: collect the measurements of one test call."""

    def __enter__(self):
        global _collector
        self.measurements = {}
        _collector = self.measurements
        return self

    def __exit__(self, *exc):
        global _collector
        _collector = None
        return False

    def results(self):
        return list(self.measurements.values())
