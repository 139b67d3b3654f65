"""Comparisons that fail with a message a chemist can read: the quantity, the numbers, the law.

PYTEST_DONT_REWRITE: the messages are written for chemists; pytest's introspection of the assert
expressions would only add noise (were the package ever marked for rewriting, e.g. by -p).
"""

import numpy as np

from mlip_conformance.conformance.measurements import record


def tolerance(expected, relative, absolute):
    """The larger of a relative and an absolute tolerance; per component for an array."""
    if np.ndim(expected):
        return np.maximum(relative * np.abs(expected), absolute)
    return max(relative * abs(expected), absolute)


def assert_close(measured, expected, allowed, quantity, law, units="eV", *, key, note=""):
    """Fail unless |measured − expected| ≤ allowed.

    key is the measurement's machine identity within the check (measurements.py); quantity
    names what was measured, e.g. "E(0.50 Å) − 2E(H⁺)"; law names what requires the expected
    value, e.g. "Coulomb's law"; note, if given, ends the message (what the verdict means).
    """
    record(key, quantity, measured, expected, allowed, units)
    error = measured - expected
    if abs(error) <= allowed:
        return
    relative = f", error {100 * error / expected:+.1f} %" if expected else ""
    raise AssertionError(
        f"{quantity} = {measured:.6g} {units}, {law} requires {expected:.6g} {units} "
        f"(off by {error:+.3g} {units}{relative}; tolerance ±{allowed:.3g} {units})" + (f". {note}" if note else ""))


def assert_vectors_close(measured, expected, allowed, quantity, law, units="eV/Å", *, key):
    """Component-wise comparison of arrays of vectors, naming the worst component."""
    measured, expected = np.asarray(measured), np.asarray(expected)
    error = np.abs(measured - expected)
    worst = np.unravel_index(np.argmax(error - allowed), error.shape)
    record(key, quantity, measured[worst], expected[worst], np.broadcast_to(allowed, error.shape)[worst], units)
    if np.all(error <= allowed):
        return
    atom, axis = worst[0], "xyz"[worst[-1]]
    raise AssertionError(
        f"{quantity}: atom {atom} {axis}-component = {measured[worst]:.6g} {units}, {law} requires "
        f"{expected[worst]:.6g} {units} (off by {measured[worst] - expected[worst]:+.3g} {units}; "
        f"tolerance ±{np.broadcast_to(allowed, error.shape)[worst]:.3g} {units})\n"
        f"model:\n{np.array2string(measured, precision=5)}\n{law}:\n{np.array2string(expected, precision=5)}")
