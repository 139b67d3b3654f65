"""'Not applicable' as an outcome of its own, not a message to be parsed.

A check that a model has declared it cannot be asked (no charge read, an element not covered, no
periodic cells, no reference for its level of theory, ...) ends with `not_applicable(reason)`.
The exception it raises is a pytest skip, so pytest reports it as skipped with the reason; the
plugin's reporter recognises the exception's type (never the text) and records the status
"not applicable".  Any other skip stays "skipped".
"""

import pytest

__all__ = ["NotApplicable", "not_applicable", "PREFIX"]

PREFIX = "not applicable: "
"""How a reason starts where people read it (pytest's -rs summary, the scorecard's message)."""


class NotApplicable(pytest.skip.Exception):
    """The model declared that it cannot be asked what this check asks (`reason` says what)."""

    __module__ = "builtins"   # pytest's own outcomes do the same: tracebacks read "NotApplicable: ..."

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self):
        """The reason as the reports write it."""
        return PREFIX + self.reason


def not_applicable(reason):
    """End the running check as not applicable, because of what the model declared (`reason`)."""
    __tracebackhide__ = True
    raise NotApplicable(reason)
