"""Evaluate a model once per distinct geometry, validate every prediction, remember the answer.

Every test reads model predictions through one Evaluator per session, so a curve
shared by ten tests is computed once, in one batch.  A prediction that is not a
finite energy with one finite 3-vector of force per atom, or an exception raised by
the model, is stored as a PredictionError: the tests that read it fail with a
message naming the model, the geometry and what was expected, and the others go on.
"""

from dataclasses import dataclass

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
    def __init__(self, model):
        self.model = model
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

    def _evaluate(self, items):
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
