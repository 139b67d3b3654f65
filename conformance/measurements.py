"""What a physics check measured: the numbers behind its verdict, for reports and gates.

A check records each number under a machine key chosen in its code ("energy", "bond_length",
"minima"), never derived from the words of a message: the key is what baselines, the scorecard
and the tables are indexed by, so rewording a message changes no identity.  Beside the key it
records the quantity in a chemist's words, the value the law or reference requires, the
tolerance and the units.  `assert_close` records automatically; a check that decides with its
own logic calls `record` itself.

A Hypothesis-driven check evaluates many examples under the same keys: per key, the example
that came closest to failing (largest |error| / tolerance) is kept, and its quantity names that
example's geometry.  The reporting plugin opens a collector around each test call.
"""

import contextvars
import re
from dataclasses import asdict, dataclass

from mlip_conformance import verdicts

__all__ = ["Measurement", "record", "collecting", "KEY_PATTERN"]

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
"""Machine keys are snake_case identifiers: stable, greppable, independent of any message."""

_collector = contextvars.ContextVar("mlip_conformance_measurements", default=None)


@dataclass(frozen=True)
class Measurement:
    key: str                  # machine key, unique within its check, chosen in code
    quantity: str             # what was measured, in a chemist's words
    measured: float
    reference: float | None   # what the law or reference requires (None: a bound or a count)
    tolerance: float | None   # allowed |measured − reference|
    units: str

    @property
    def severity(self):
        """|error| / tolerance: above 1 means the check fails on this number (∞ for NaN)."""
        return verdicts.severity(self.as_dict())

    def as_dict(self):
        return asdict(self)


def record(key, quantity, measured, reference=None, tolerance=None, units=""):
    """Record one measured number of the running check (a no-op outside a collector)."""
    if not KEY_PATTERN.match(key):
        raise ValueError(f"measurement key {key!r} is not a snake_case identifier")
    kept = _collector.get()
    if kept is None:
        return
    found = Measurement(key, str(quantity), float(measured), None if reference is None else float(reference),
                        None if tolerance is None else float(tolerance), units)
    if key not in kept or found.severity >= kept[key].severity:
        kept[key] = found


class collecting:
    """Context manager: collect the measurements of one test call (nests and restores)."""

    def __enter__(self):
        self.measurements = {}
        self._token = _collector.set(self.measurements)
        return self

    def __exit__(self, *exc):
        _collector.reset(self._token)
        return False

    def results(self):
        return list(self.measurements.values())
