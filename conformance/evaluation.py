"""Evaluate a model once per distinct geometry, validate every prediction, remember the answer.

Every test reads model predictions through one Evaluator per session, so a curve
shared by ten tests is computed once, in one batch.  A prediction that is not a
finite energy with one finite 3-vector of force per atom, or an exception raised by
the model, is stored as a PredictionError: the tests that read it fail with a
message naming the model, the geometry and what was expected, and the others go on.

Under pytest-xdist every worker process has its own Evaluator; they share their predictions
through a SharedStore, a directory the controller creates for the run.  A worker claims the
geometries nobody has claimed yet (an exclusive file create), evaluates them in one batch and
publishes the answers; a geometry that another worker has claimed is waited for, not evaluated
again.  So no geometry is evaluated twice across workers, whichever worker runs which test.
"""

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from conformance.systems import describe


class PredictionError(AssertionError):
    """The model gave no usable prediction for a geometry (a failure, not a crash)."""


@dataclass(frozen=True)
class Prediction:
    energy: float          # eV
    forces: np.ndarray     # eV/Å, shape (n_atoms, 3)


def geometry_key(atoms):
    """Identity of a geometry: elements, positions to 1e-8 Å, charge, spin, cell."""
    return (
        tuple(atoms.numbers),
        (np.round(atoms.positions, 8) + 0.0).tobytes(),   # + 0.0 turns −0.0 into 0.0
        int(atoms.info.get("charge", 0)),
        int(atoms.info.get("spin", 0)),
        tuple(atoms.pbc),
        np.round(atoms.cell.array, 8).tobytes(),
    )


class Evaluator:
    def __init__(self, model, store=None):
        self.model = model
        self.store = store       # a SharedStore under pytest-xdist, else None
        self._cache = {}
        self.evaluations = 0     # geometries sent to the model
        self.batches = 0         # calls of model.evaluate

    def predict(self, atoms):
        """The prediction for one geometry; raises PredictionError if there is none."""
        return self.predict_many([atoms])[0].unwrap()

    def predict_many(self, structures):
        """Outcomes (Prediction or PredictionError, not raised) for many geometries, one batch."""
        keys = [geometry_key(atoms) for atoms in structures]
        missing = {}
        for key, atoms in zip(keys, structures):
            if key not in self._cache:
                missing.setdefault(key, atoms)
        if missing:
            self._evaluate(list(missing.items()))
        return [Outcome(self._cache[key]) for key in keys]

    def lookup(self, atoms):
        """The outcome for a geometry if this run has evaluated it already, else None.
        Never evaluates (reports read the session's predictions with it)."""
        key = geometry_key(atoms)
        if key not in self._cache and self.store is not None:
            found = self.store.load(key)
            if found is not None:
                self._cache[key] = found
        return Outcome(self._cache[key]) if key in self._cache else None

    def evaluate_afresh(self, structures, batched=True):
        """Outcomes straight from the model, bypassing the cache: one batch, or one call per
        structure (for checks that compare the two).  Nothing is stored."""
        if not batched:
            return [Outcome(self._call_one(atoms)) for atoms in structures]
        try:
            return [Outcome(v) for v in self._call(list(structures))]
        except Exception as error:
            return [Outcome(self._error(atoms, f"the model raised {type(error).__name__}: {error} on a "
                                               f"batch of {len(structures)}", "an energy and forces"))
                    for atoms in structures]

    def _evaluate(self, items):
        if self.store is None:
            self._evaluate_here(items)
            return
        mine, theirs = [], []
        for key, atoms in items:
            found = self.store.load(key)
            if found is not None:
                self._cache[key] = found
            elif self.store.claim(key):
                mine.append((key, atoms))
            else:
                theirs.append((key, atoms))
        if mine:
            self._evaluate_here(mine)
            for key, _ in mine:
                self.store.save(key, self._cache[key])
        for key, atoms in theirs:
            found = self.store.wait(key)
            if found is None:   # the worker that claimed it died: evaluate it here
                self._evaluate_here([(key, atoms)])
                self.store.save(key, self._cache[key])
            else:
                self._cache[key] = found

    def _evaluate_here(self, items):
        structures = [atoms for _, atoms in items]
        try:
            outcomes = self._call(structures)
        except Exception:
            # Find the geometry that broke the batch: retry one at a time.
            outcomes = [self._call_one(atoms) for atoms in structures]
        for (key, _), outcome in zip(items, outcomes):
            self._cache[key] = outcome

    def _call_one(self, atoms):
        try:
            return self._call([atoms])[0]
        except Exception as error:
            return self._error(atoms, f"the model raised {type(error).__name__}: {error}",
                               "an energy and forces")

    def _call(self, structures):
        self.batches += 1
        self.evaluations += len(structures)
        result = self.model.evaluate([atoms.copy() for atoms in structures])
        try:
            energies, forces = result
        except (TypeError, ValueError):
            raise TypeError(f"evaluate() returned {type(result).__name__}, expected (energies, forces)")
        if len(energies) != len(structures) or len(forces) != len(structures):
            raise ValueError(f"evaluate() returned {len(energies)} energies and {len(forces)} force "
                             f"arrays for {len(structures)} structures")
        return [self._validate(atoms, e, f) for atoms, e, f in zip(structures, energies, forces)]

    def _validate(self, atoms, energy, forces):
        energy = np.asarray(energy, dtype=float)
        forces = np.asarray(forces, dtype=float)
        if energy.size != 1:
            return self._error(atoms, f"energy of shape {energy.shape}", "one energy in eV")
        if not np.isfinite(energy):
            return self._error(atoms, f"energy {float(energy.ravel()[0])} eV", "a finite energy")
        if forces.shape != (len(atoms), 3):
            return self._error(atoms, f"forces of shape {forces.shape}",
                               f"shape ({len(atoms)}, 3) in eV/Å")
        if not np.all(np.isfinite(forces)):
            return self._error(atoms, f"non-finite forces {forces.tolist()}", "finite forces in eV/Å")
        return Prediction(float(energy.ravel()[0]), forces)

    def _error(self, atoms, got, expected):
        return PredictionError(f"model {self.model.name!r} on {describe(atoms)}: got {got}; "
                               f"expected {expected}")


@dataclass(frozen=True)
class Outcome:
    value: object

    @property
    def ok(self):
        return isinstance(self.value, Prediction)

    def unwrap(self):
        if not self.ok:  # a fresh exception each time, so tracebacks do not pile up
            raise PredictionError(str(self.value))
        return self.value

    @property
    def energy(self):
        return self.unwrap().energy

    @property
    def forces(self):
        return self.unwrap().forces


class SharedStore:
    """Predictions shared by the processes of one run through a directory (see module doc).

    Per geometry: NAME.claim (created exclusively by the worker that evaluates it, holding its
    pid) and NAME.json (the prediction or the error message, written atomically).  Floats go
    through JSON as their shortest round-tripping repr, so every worker reads the exact numbers.
    """

    POLL_S = 0.02

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def _path(self, key, suffix):
        return self.directory / (hashlib.sha256(repr(key).encode()).hexdigest()[:32] + suffix)

    def claim(self, key):
        try:
            handle = os.open(self._path(key, ".claim"), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        os.write(handle, str(os.getpid()).encode())
        os.close(handle)
        return True

    def save(self, key, value):
        if isinstance(value, Prediction):
            data = {"energy": value.energy, "forces": np.asarray(value.forces, dtype=float).tolist()}
        else:
            data = {"error": str(value)}
        path = self._path(key, ".json")
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, path)

    def load(self, key):
        try:
            data = json.loads(self._path(key, ".json").read_text())
        except FileNotFoundError:
            return None
        if "error" in data:
            return PredictionError(data["error"])
        return Prediction(float(data["energy"]), np.array(data["forces"], dtype=float))

    def wait(self, key):
        """The prediction another worker is computing; None if that worker has died."""
        while True:
            found = self.load(key)
            if found is not None:
                return found
            if not self._claimant_alive(key):
                return self.load(key)
            time.sleep(self.POLL_S)

    def _claimant_alive(self, key):
        try:
            pid = int(self._path(key, ".claim").read_text() or 0)
        except (FileNotFoundError, ValueError):
            return True   # being written this instant
        if not pid:
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True
