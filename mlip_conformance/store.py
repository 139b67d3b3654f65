"""Predictions shared by the processes of one pytest-xdist run, through a directory.

Per geometry (NAME = a hash of its geometry key):
- NAME.json   the answer, a prediction or the error message, written atomically;
- NAME.claim  exists while one process evaluates the geometry.  The claimant holds an exclusive
  flock on it for as long as it lives: the kernel drops the lock when the process dies (a hard
  exit, a segfault, an OOM kill, a zombie left by xdist alike), so "is the claimant alive?" is
  "is the file still locked?", with no process ids to trust.  The file is created complete and
  locked (written and locked under a temporary name, then hard-linked into place), so a claim
  is never seen half made.

A claimant that gives up (an interrupt, an error of the suite's own) deletes its unanswered
claims; whoever waits for one of them claims it and evaluates it.  A claimant that died leaves
a locked-then-unlocked claim without an answer; the first process to notice publishes, for
each such geometry, a failure saying that the process died while the model evaluated it.
Floats go through JSON as their shortest round-tripping repr, so every process reads the exact
numbers.
"""

import fcntl
import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np

from mlip_conformance.evaluation import Prediction, PredictionError

__all__ = ["SharedStore", "Claim"]


class Claim:
    """A held claim: the open, locked file descriptor and what the claim file says."""

    def __init__(self, key, fd, path):
        self.key, self.fd, self.path = key, fd, path

    def close(self):
        if self.fd is not None:
            os.close(self.fd)   # drops the lock
            self.fd = None


class SharedStore:
    POLL_S = 0.02

    def __init__(self, directory, worker="main"):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.worker = worker

    def _path(self, key, suffix):
        return self.directory / (hashlib.sha256(repr(key).encode()).hexdigest()[:32] + suffix)

    # ---- answers ---------------------------------------------------------------------------

    def load(self, key):
        """The published answer for a geometry, or None."""
        try:
            data = json.loads(self._path(key, ".json").read_text())
        except (FileNotFoundError, ValueError):
            return None
        if "error" in data:
            return PredictionError(data["error"])
        stress = data.get("stress")
        return Prediction(float(data["energy"]), np.array(data["forces"], dtype=float).reshape(-1, 3),
                          None if stress is None else np.array(stress, dtype=float))

    def _write_answer(self, key, value):
        if isinstance(value, Prediction):
            data = {"energy": value.energy, "forces": np.asarray(value.forces, dtype=float).tolist(),
                    "stress": None if value.stress is None else np.asarray(value.stress, dtype=float).tolist()}
        else:
            data = {"error": str(value)}
        path = self._path(key, ".json")
        temporary = path.with_suffix(f".{os.getpid()}.answer")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, path)

    # ---- claims ----------------------------------------------------------------------------

    def try_claim(self, key, note):
        """Claim a geometry for this process; None if another process has claimed or answered it.
        note: what the claim file says (process, worker, the call it belongs to)."""
        if self._path(key, ".json").exists():
            return None
        path = self._path(key, ".claim")
        temporary = path.with_suffix(f".{os.getpid()}.{time.monotonic_ns()}.new")
        fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, json.dumps(dict(note, pid=os.getpid(), worker=self.worker)).encode())
            try:
                os.link(temporary, path)     # atomic: fails if the geometry is claimed already
            except FileExistsError:
                os.close(fd)
                return None
        finally:
            os.unlink(temporary)
        if self._path(key, ".json").exists():   # answered between the first check and the link
            self._drop(Claim(key, fd, path))
            return None
        return Claim(key, fd, path)

    def publish(self, claim, value):
        """Answer a claimed geometry and let go of the claim."""
        self._write_answer(claim.key, value)
        self._drop(claim)

    def give_up(self, claim):
        """Let go of a claim without an answer: a waiter will claim and evaluate it."""
        self._drop(claim)

    @staticmethod
    def _drop(claim):
        try:
            os.unlink(claim.path)
        except FileNotFoundError:
            pass
        claim.close()

    # ---- waiting for another process -------------------------------------------------------

    def wait(self, key, describe_died):
        """The answer another process is computing.  Returns the answer; or None when the claim
        was given up (the caller should claim it).  A claimant found dead gets its answer written
        here: PredictionError(describe_died(note)), note being what its claim file says."""
        while True:
            found = self.load(key)
            if found is not None:
                return found
            state, note = self._claim_state(key)
            if state == "released":
                return self.load(key)
            if state == "died":
                error = PredictionError(describe_died(note))
                self._write_answer(key, error)
                return error
            time.sleep(self.POLL_S)

    def dead_claims(self, worker=None):
        """(key-hash, note) of every claim whose claimant has died (optionally: of one worker)."""
        found = []
        for path in self.directory.glob("*.claim"):
            note = _read_note(path)
            if note is not None and (worker is None or note.get("worker") == worker) and _unlocked(path):
                found.append((path.stem, note))
        return found

    def fail_dead_claim(self, stem, message):
        """Publish a failure for a dead claim found by dead_claims (by its file stem)."""
        answer = self.directory / f"{stem}.json"
        if answer.exists():
            return
        temporary = answer.with_suffix(f".{os.getpid()}.answer")
        temporary.write_text(json.dumps({"error": message}))
        os.replace(temporary, answer)

    def _claim_state(self, key):
        """'busy' (a live process holds it), 'released' (no claim file), or 'died', with its note."""
        path = self._path(key, ".claim")
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return "released", None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return "busy", None
            # Nobody holds it.  Either the claimant answered or gave up a moment ago (then the
            # answer exists, or the file is gone), or it died.
            if self.load(key) is not None:
                return "busy", None
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                return "released", None
            return "died", _read_note(path) or {}
        finally:
            os.close(fd)


def _read_note(path):
    try:
        return json.loads(Path(path).read_text() or "null")
    except (FileNotFoundError, ValueError):
        return None


def _unlocked(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
