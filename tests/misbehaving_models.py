"""Models that misbehave the way real ones do in a CI job, for the robustness self-tests
(spec: tests/misbehaving_models.py:NAME).  Each is the exact oracle except on a trigger geometry:
neutral H2 at 0.5 Å (TRIGGER_R), read by the H2 curve checks and by nothing else."""

import os
import signal
import sys
import time
from pathlib import Path

import numpy as np

from mlip_conformance.adapters import Capabilities
from mlip_conformance.adapters.exact import ExactPhysics

TRIGGER_R = 0.5


def _is_trigger(atoms):
    return (list(atoms.numbers) == [1, 1] and atoms.info.get("charge", 0) == 0 and atoms.info.get("spin") == 1
            and abs(atoms.get_distance(0, 1) - TRIGGER_R) < 1e-9)


class _OnTrigger(ExactPhysics):
    def misbehave(self, atoms):
        raise NotImplementedError

    def _solve(self, atoms):
        if _is_trigger(atoms):
            self.misbehave(atoms)
        return super()._solve(atoms)


class HardExitInWorker(_OnTrigger):
    """Ends its process at once (as a segfault or an OOM kill would) on the trigger geometry,
    in an xdist worker only: a serial run cannot outlive its own process."""

    def misbehave(self, atoms):
        if os.environ.get("PYTEST_XDIST_WORKER"):
            os._exit(13)


class SegfaultInWorker(_OnTrigger):
    """Kills its process with SIGSEGV on the trigger geometry, in an xdist worker only."""

    def misbehave(self, atoms):
        if os.environ.get("PYTEST_XDIST_WORKER"):
            os.kill(os.getpid(), signal.SIGSEGV)


class CallsSysExit(_OnTrigger):
    """Raises SystemExit on the trigger geometry (a library calling sys.exit)."""

    def misbehave(self, atoms):
        sys.exit("the model's library called sys.exit(3)")


class Sleeper(_OnTrigger):
    """Hangs (an hour-long sleep) on the trigger geometry; with marker=PATH it first writes
    PATH, so that a test knows the run is inside the hang."""

    def __init__(self, marker=""):
        super().__init__()
        self.marker = marker

    def misbehave(self, atoms):
        if self.marker:
            Path(self.marker).write_text(str(os.getpid()))
        time.sleep(3600)


class BusyLoop(_OnTrigger):
    """Hangs in a pure-Python busy loop on the trigger geometry (no sleep to interrupt)."""

    def misbehave(self, atoms):
        while True:
            pass


class ReusedBuffer:
    """The exact oracle returning every force array as a view of one buffer that the next call
    overwrites (as tensor.numpy() views of a reused output tensor do)."""

    name = "reused-buffer"
    batched = False

    def __init__(self):
        self.exact = ExactPhysics()
        self.capabilities = self.exact.capabilities
        self.buffer = np.zeros((64, 3))

    def evaluate(self, structures):
        energies, forces = [], []
        for atoms in structures:
            energy, force = self.exact._solve(atoms)
            self.buffer[:len(atoms)] = force
            energies.append(energy)
            forces.append(self.buffer[:len(atoms)])
        return energies, forces


class ReusedBatchBuffer(ReusedBuffer):
    """A batched exact oracle that writes every structure's forces into one output buffer and
    returns a view of it for each structure of the call: all of them hold the forces written last
    (a buffer reused within a call; copying after the call cannot undo it)."""

    name = "reused-batch-buffer"
    batched = True


class BatchRows:
    """A lawful batched exact oracle returning each structure's forces as its own rows of one batch
    array (non-overlapping views, as a batched model's output tensor split per structure is)."""

    name = "batch-rows"
    batched = True

    def __init__(self):
        self.exact = ExactPhysics()
        self.capabilities = self.exact.capabilities

    def evaluate(self, structures):
        solved = [self.exact._solve(atoms) for atoms in structures]
        batch = np.concatenate([force for _, force in solved]) if solved else np.zeros((0, 3))
        ends = np.cumsum([len(atoms) for atoms in structures])
        return [energy for energy, _ in solved], np.split(batch, ends[:-1])


class Noisy(ExactPhysics):
    """Fresh noise of 3–5 meV on every energy, as a model with dropout left on (forces exact)."""

    def __init__(self, seed=0):
        super().__init__()
        self.random = np.random.default_rng(seed)

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        return energy + self.random.choice([-1, 1]) * self.random.uniform(0.003, 0.005), forces


def exits_while_building():
    """A factory that calls sys.exit: a usage error, not an internal error."""
    sys.exit(2)


def declares_nothing_cuda():
    return ExactPhysics()


class FromCheckpoint(ExactPhysics):
    """The oracle 'loaded' from a weights file, so that the scorecard and the baseline name it."""

    def __init__(self, checkpoint):
        super().__init__()
        self.checkpoint = checkpoint
        Path(checkpoint).read_bytes()


__all__ = ["HardExitInWorker", "SegfaultInWorker", "CallsSysExit", "Sleeper", "BusyLoop", "ReusedBuffer",
           "ReusedBatchBuffer", "BatchRows", "Noisy",
           "exits_while_building", "FromCheckpoint", "Capabilities"]


class HardExitInATest(ExactPhysics):
    """Ends its xdist worker on the off-axis H2 of the Newton's-third-law check at 0.5 Å: a
    geometry no plan holds, so the worker dies while running that check."""

    def _solve(self, atoms):
        if (os.environ.get("PYTEST_XDIST_WORKER") and list(atoms.numbers) == [1, 1]
                and abs(atoms.positions[0, 0] - 0.1) < 1e-9 and abs(atoms.get_distance(0, 1) - TRIGGER_R) < 1e-9):
            os._exit(13)
        return super()._solve(atoms)
