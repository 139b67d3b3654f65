"""Models for the self-tests of reports, gates and parallel runs (spec: tests/gating_models.py:NAME)."""

import json
import os

import numpy as np

from mlip_conformance.adapters.exact import ExactPhysics


class _Scaled(ExactPhysics):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def _solve(self, atoms):
        energy, forces = super()._solve(atoms)
        if atoms.numbers.sum() == atoms.info.get("charge", 0):   # bare nuclei
            return self.factor * energy, self.factor * forces
        return energy, forces


def scaled_coulomb(factor: float = 0.97):
    """Bare nuclei repel with factor × Coulomb's law (inside the 1 % tolerance for 0.99 < factor)."""
    return _Scaled(factor)


class PidCountingAdapter:
    """The exact oracle as an adapter logging every structure it evaluates, with its process id."""

    def __init__(self, log):
        self.name = "pid-counting-exact"
        self.calculator = ExactPhysics()
        self.capabilities = self.calculator.capabilities
        self.log = log

    def evaluate(self, structures):
        energies, forces = [], []
        lines = []
        for atoms in structures:
            lines.append(json.dumps({"pid": os.getpid(), "numbers": atoms.numbers.tolist(), "info": atoms.info,
                                     "positions": np.round(atoms.positions, 8).tolist(),
                                     "cell": np.round(atoms.cell.array, 8).tolist(), "pbc": atoms.pbc.tolist()}) + "\n")
            try:
                energy, force = self.calculator._solve(atoms)
            except Exception:
                energy, force = float("nan"), np.zeros((len(atoms), 3))
            energies.append(energy)
            forces.append(force)
        with open(self.log, "a") as handle:
            handle.write("".join(lines))
        return np.array(energies), forces


class BatchLeak:
    """Adapter whose batched path adds 1 meV per other structure of the batch (a leaking batch)."""

    name = "batch-leak"

    def __init__(self):
        self.exact = ExactPhysics()
        self.capabilities = self.exact.capabilities

    def evaluate(self, structures):
        results = [self.exact._solve(atoms) for atoms in structures]
        return [e + 1e-3 * (len(structures) - 1) for e, _ in results], [f for _, f in results]


def from_checkpoint(checkpoint: str):
    """The exact oracle 'loaded' from a weights file (the file is read, as a real loader would)."""
    with open(checkpoint, "rb") as handle:
        handle.read()
    return ExactPhysics()
