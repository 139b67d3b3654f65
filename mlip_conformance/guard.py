"""Bounds on what a model may do to a run: a time limit per model call, and SIGTERM as an interrupt.

`time_limit(seconds)` arms the standard library's interval timer (signal.setitimer): when a
model call outlasts it, SIGALRM raises ModelTimeout inside the call, which the evaluator turns
into a failure of the geometries that call was evaluating.  A signal handler runs only when the
interpreter regains control, so a call stuck inside one long C function (a single huge kernel,
a Fortran loop) is not interrupted that way; for that case faulthandler's watchdog is armed too,
at BACKSTOP_FACTOR × the limit: it prints every thread's stack and ends the process.  Under
pytest-xdist the worker's death is contained (its claims fail with that reason, the controller
reports the check and restarts the worker); a serial run ends there, without its reports.

`SIGTERM` (what CI sends when it cancels a job) is turned into a KeyboardInterrupt once, so
pytest ends the session the way Ctrl-C does: the terminal table, the JUnit file and the
scorecard are still written, and the scorecard says the run was interrupted.  A second SIGTERM
takes the default action.
"""

import faulthandler
import signal
import sys
import threading
from contextlib import contextmanager

__all__ = ["ModelTimeout", "Terminated", "time_limit", "backstop_seconds", "catch_sigterm", "can_time_out"]

BACKSTOP_FACTOR = 2.0
BACKSTOP_MIN_EXTRA_S = 10.0


class ModelTimeout(BaseException):
    """A model call outlasted --model-timeout.  A BaseException, so that a model's own
    `except Exception:` cannot swallow it."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, delivered as an interrupt so that pytest writes its reports before it exits."""


def can_time_out():
    """Interval timers and their signal handler exist on POSIX, in the main thread only."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def backstop_seconds(limit):
    """When faulthandler ends a process whose model call could not be interrupted."""
    return max(BACKSTOP_FACTOR * limit, limit + BACKSTOP_MIN_EXTRA_S)


@contextmanager
def time_limit(seconds):
    """Raise ModelTimeout in the body if it runs longer than `seconds` (None or 0: no limit)."""
    if not seconds or not can_time_out():
        yield
        return
    armed = [True]

    def expire(signum, frame):
        if armed[0]:
            raise ModelTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(backstop_seconds(seconds), exit=True, file=sys.__stderr__)
    try:
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)


def catch_sigterm(on_terminate=None):
    """Turn the first SIGTERM into Terminated (a KeyboardInterrupt) in the main thread; returns
    a function that restores the previous handler.  on_terminate() runs first (to note why)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def terminate(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)   # a second SIGTERM ends the process
        if on_terminate is not None:
            on_terminate()
        raise Terminated("SIGTERM: the run was terminated (e.g. CI cancelled or timed out the job)")

    previous = signal.signal(signal.SIGTERM, terminate)

    def restore():
        if signal.getsignal(signal.SIGTERM) is terminate:
            signal.signal(signal.SIGTERM, previous)

    return restore
