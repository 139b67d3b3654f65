"""Progress of the planned structures, which the suite evaluates before its first check runs.

On a slow model this phase is most of the run (SevenNet-0 on two CPU cores: 75 s of "collecting
283 items" and nothing else), so it is shown:
- on a terminal: one line rewritten in place — structures done/total, rate, time left — that
  ends as the summary line;
- in a log (CI, a pipe, a file): only the summary line, "mlip-conformance evaluated N planned
  structures in T s", so a log never fills with progress;
- from the Python API (mlip_conformance.check): a tqdm.auto bar where tqdm is installed (a
  widget in Jupyter), else a plain line every PLAIN_INTERVAL_S seconds and the summary line.
Serial runs count in the process that evaluates; under pytest-xdist the controller counts the
answers its workers publish to their shared store (mlip_conformance/store.py), since it loads no
model itself, and the total each worker writes there before it starts (all plan the same
structures).
"""

import os
import sys
import threading
import time
from pathlib import Path

__all__ = ["Tracker", "TerminalLine", "SummaryLine", "NotebookBar", "PlainText", "display_for", "summary",
           "write_planned", "StorePoller", "PLAIN_INTERVAL_S", "REDRAW_INTERVAL_S", "NOTEBOOK_INTERVAL_S"]

REDRAW_INTERVAL_S = 0.2     # a terminal line redrawn at most five times a second
PLAIN_INTERVAL_S = 10.0     # a notebook without tqdm: one line every ten seconds
NOTEBOOK_INTERVAL_S = 1.0   # tqdm redrawn once a second: a saved notebook keeps every redraw of a text bar
_PLANNED = "planned.count"   # in each device's store directory (mlip_conformance/store.py)


def summary(done, seconds):
    return f"mlip-conformance evaluated {done} planned structures in {seconds:.1f} s"


def describe(done, total, seconds):
    """'planned structures 120/283, 3.4/s, 47 s left' (the rate once one call has answered)."""
    text = f"mlip-conformance: planned structures {done}/{total}"
    if done and seconds > 0:
        rate = done / seconds
        text += f", {rate:.3g}/s, {max(0.0, (total - done) / rate):.0f} s left"
    return text


class Tracker:
    """Counts structures against the planned total and tells a display; safe to finish twice."""

    def __init__(self, display, clock=time.monotonic):
        self.display, self.clock = display, clock
        self.total = self.done = 0
        self.started = clock()
        self.finished_at = None
        self.closed = False

    def expect(self, count):
        self.total += count

    def advance(self, count):
        self.update(self.done + count, self.total)

    def update(self, done, total):
        if self.closed:
            return
        self.done, self.total = done, max(total, done)
        if self.total and self.done >= self.total and self.finished_at is None:
            self.finished_at = self.clock()
        self.display.show(self.done, self.total, self.clock() - self.started)

    def finish(self):
        if self.closed:
            return
        self.closed = True
        if self.total:
            self.display.close(self.done, self.total, (self.finished_at or self.clock()) - self.started)


class TerminalLine:
    """A terminal: one line rewritten in place (pytest's own 'collecting …' line is drawn so)."""

    def __init__(self, terminalreporter, clock=time.monotonic):
        self.terminal, self.clock, self.drawn = terminalreporter, clock, None

    def show(self, done, total, seconds):
        now = self.clock()
        if self.drawn is None or now - self.drawn >= REDRAW_INTERVAL_S or done >= total:
            self.terminal.rewrite(describe(done, total, seconds), erase=True)
            self.drawn = now

    def close(self, done, total, seconds):
        self.terminal.rewrite(summary(done, seconds), erase=True)
        self.terminal.write_line("")


class SummaryLine:
    """A log: nothing while it runs, one line at the end."""

    def __init__(self, terminalreporter):
        self.terminal = terminalreporter

    def show(self, done, total, seconds):
        pass

    def close(self, done, total, seconds):
        self.terminal.write_line(summary(done, seconds))


class NotebookBar:
    """The Python API with tqdm installed: tqdm.auto (a widget in Jupyter, text elsewhere)."""

    def __init__(self, tqdm):
        self.tqdm, self.bar = tqdm, None

    def show(self, done, total, seconds):
        if self.bar is None:
            self.bar = self.tqdm(total=total, desc="planned structures", unit="structure", leave=True,
                                 mininterval=NOTEBOOK_INTERVAL_S)
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self, done, total, seconds):
        self.show(done, total, seconds)
        self.bar.close()
        print(summary(done, seconds), file=sys.stdout, flush=True)


class PlainText:
    """The Python API without tqdm: a line every PLAIN_INTERVAL_S seconds, then the summary."""

    def __init__(self, stream=None, clock=time.monotonic):
        self.stream, self.clock, self.printed = stream, clock, None

    def show(self, done, total, seconds):
        now = self.clock()
        if self.printed is None or now - self.printed >= PLAIN_INTERVAL_S:
            print(describe(done, total, seconds), file=self.stream or sys.stdout, flush=True)
            self.printed = now

    def close(self, done, total, seconds):
        print(summary(done, seconds), file=self.stream or sys.stdout, flush=True)


def notebook_display():
    try:
        import warnings
        with warnings.catch_warnings():   # no ipywidgets: tqdm.auto falls back to text, as wanted
            warnings.simplefilter("ignore")
            from tqdm.auto import tqdm
    except ImportError:
        return PlainText()
    return NotebookBar(tqdm)


def display_for(config):
    """The display of this run: a plugin's (the Python API's), else by where the output goes."""
    chosen = config.hook.pytest_conformance_progress(config=config)
    if chosen is not None:
        return chosen
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    if terminal is None:
        return _Silent()
    return TerminalLine(terminal) if terminal.isatty else SummaryLine(terminal)


class _Silent:
    def show(self, done, total, seconds):
        pass

    def close(self, done, total, seconds):
        pass


# ---- pytest-xdist: the controller reads its workers' store ---------------------------------------

def write_planned(directory, count):
    """A worker's planned count, beside the answers in its device's store directory (a name the
    store's own files, NAME.json and NAME.claim, never take)."""
    path = Path(directory) / _PLANNED
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(str(int(count)))
    temporary.replace(path)


class StorePoller:
    """The xdist controller's count: answers published in the store against the planned totals,
    read every interval seconds on a thread until stopped."""

    def __init__(self, root, tracker, interval=0.5):
        self.root, self.tracker, self.interval = Path(root), tracker, interval
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="mlip-conformance-progress", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def counts(self):
        totals = {path.parent: _read_int(path) for path in self.root.glob(f"*/{_PLANNED}")}
        done = sum(min(total, sum(1 for _ in device.glob("*.json"))) for device, total in totals.items())
        return done, sum(totals.values())

    def _run(self):
        while not self.stopping.wait(self.interval):
            try:
                done, total = self.counts()
            except OSError:   # a file renamed under the glob: count again next time
                continue
            if total and not self.tracker.total:
                self.tracker.started = self.tracker.clock()   # the rate starts with the workers' plan
            if total:
                self.tracker.update(done, total)
            if total and done >= total:
                return

    def stop(self):
        """Stop polling, count once more, and close the display (summary line)."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join()
        done, total = self.counts()
        if total:
            self.tracker.update(done, total)
        self.tracker.finish()


def _read_int(path):
    try:
        return int(path.read_text())
    except (OSError, ValueError):
        return 0
