"""Progress of the planned structures: a rewritten line on a terminal, one summary line in a log
(serial and -n 2 alike), tqdm or plain lines from the Python API."""

import io
import os
import pty
import re
import subprocess
import sys

import pytest

from mlip_conformance import progress
from suite import REPO, suite_arguments

SUMMARY = re.compile(r"mlip-conformance evaluated (\d+) planned structures in [\d.]+ s")


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class FakeTerminal:
    def __init__(self):
        self.rewritten, self.lines = [], []

    def rewrite(self, line, erase=False):
        self.rewritten.append(line)

    def write_line(self, line):
        self.lines.append(line)


def test_terminal_line_shows_done_total_rate_and_time_left():
    clock, terminal = FakeClock(), FakeTerminal()
    tracker = progress.Tracker(progress.TerminalLine(terminal, clock), clock)
    tracker.expect(100)
    for _ in range(4):
        clock.now += 1.0
        tracker.advance(10)
    tracker.finish()
    assert terminal.rewritten[-2] == "mlip-conformance: planned structures 40/100, 10/s, 6 s left"
    assert terminal.rewritten[-1] == "mlip-conformance evaluated 40 planned structures in 4.0 s"


def test_log_gets_one_summary_line_only():
    clock, terminal = FakeClock(), FakeTerminal()
    tracker = progress.Tracker(progress.SummaryLine(terminal), clock)
    tracker.expect(3)
    for _ in range(3):
        clock.now += 0.5
        tracker.advance(1)
    tracker.finish()
    tracker.finish()
    assert terminal.rewritten == [] and terminal.lines == ["mlip-conformance evaluated 3 planned structures in 1.5 s"]


def test_plain_text_prints_at_most_every_interval():
    clock, stream = FakeClock(), io.StringIO()
    tracker = progress.Tracker(progress.PlainText(stream, clock), clock)
    tracker.expect(100)
    for _ in range(100):
        clock.now += progress.PLAIN_INTERVAL_S / 20
        tracker.advance(1)
    tracker.finish()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 5 + 1   # 50 s: one line per 10 s interval from the first, then the summary
    assert SUMMARY.fullmatch(lines[-1])


def _command(tmp_path, *arguments):
    return [sys.executable, "-m", "pytest", *suite_arguments(tmp_path, "exact", "--select=contract,curves",
                                                              *arguments)]


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_a_log_has_exactly_one_summary_line(tmp_path, workers):
    result = subprocess.run(_command(tmp_path, *workers), capture_output=True, text=True, cwd=REPO, timeout=600,
                            env=dict(os.environ, CI="1"))
    assert result.returncode == 0, result.stdout[-2000:]
    found = [line for line in result.stdout.splitlines() if "planned structures" in line]
    assert len(found) == 1 and SUMMARY.fullmatch(found[0].strip()), found
    assert int(SUMMARY.fullmatch(found[0].strip()).group(1)) > 100
    assert "\r" not in result.stdout


def test_a_terminal_gets_the_progress_line(tmp_path):
    """On a pseudo-terminal, the line is drawn (carriage returns) and ends as the summary."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(_command(tmp_path), stdout=follower, stderr=follower, cwd=REPO)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:   # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=600) == 0
    os.close(leader)
    text = b"".join(chunks).decode(errors="replace")
    assert re.search(r"\rmlip-conformance: planned structures \d+/\d+", text), text[:2000]
    assert SUMMARY.search(text)
