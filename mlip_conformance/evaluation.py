"""Evaluate a model once per distinct geometry, validate every prediction, remember the answer.

Every test reads model predictions through one Evaluator per session (and device), so a
geometry shared by ten tests is computed once.  Whatever a model does on a geometry — returns
NaN, a wrong shape, a string; raises an exception, SystemExit or any BaseException but a
KeyboardInterrupt; outlasts --model-timeout — becomes a PredictionError for that geometry: the
tests that read it fail with a message naming the model, the geometry and what was expected,
and the others go on.  What the model returns is copied before it is kept (a model may reuse
one output buffer for every call).  Outputs of one call that share memory (the same force array,
or overlapping ones, for several structures: a buffer reused within the call) cannot be undone by
copying; those structures get an adapter failure naming their indices, never a physics verdict.

A one-structure-at-a-time model (any ASE calculator) is called once per geometry; a batched
adapter gets up to BATCH_SIZE geometries per call.  When a batched call fails, each of its
geometries is evaluated alone, so the one that broke the batch is found and the others keep
their answers.

Under pytest-xdist the worker processes share their answers through a SharedStore: a process
claims a geometry just before it evaluates it and publishes the answer right after, so no
geometry is evaluated twice, and a geometry claimed by another process is waited for.
"""

import itertools
import time
from dataclasses import dataclass

import numpy as np

from mlip_conformance import guard
from mlip_conformance.conformance.systems import describe

__all__ = ["Prediction", "PredictionError", "Outcome", "Evaluator", "geometry_key", "BATCH_SIZE"]

BATCH_SIZE = 32
"""Geometries per call of a batched adapter: large enough to fill a GPU with small molecules,
small enough that a crash or a timeout takes few geometries with it."""


class PredictionError(AssertionError):
    """The model gave no usable prediction for a geometry (a failure, not a crash)."""


@dataclass(frozen=True)
class Prediction:
    energy: float                     # eV
    forces: np.ndarray                # eV/Å, shape (n_atoms, 3)
    stress: np.ndarray | None = None  # eV/Å³, Voigt order xx yy zz yz xz xy, ASE's sign; periodic only


def geometry_key(atoms):
    """Identity of a geometry: elements, positions to 1e-8 Å, charge, spin, cell, periodicity."""
    return (
        tuple(int(z) for z in atoms.numbers),
        (np.round(atoms.positions, 8) + 0.0).tobytes(),   # + 0.0 turns −0.0 into 0.0
        int(atoms.info.get("charge", 0)),
        int(atoms.info.get("spin", 0)),
        tuple(bool(p) for p in atoms.pbc),
        (np.round(atoms.cell.array, 8) + 0.0).tobytes(),
    )


@dataclass(frozen=True)
class Outcome:
    value: object   # a Prediction or a PredictionError

    @property
    def ok(self):
        return isinstance(self.value, Prediction)

    def unwrap(self):
        __tracebackhide__ = True   # a failure report shows the check's line, not the harness
        if not self.ok:  # a fresh exception each time, so tracebacks do not pile up
            raise PredictionError(str(self.value))
        return self.value

    @property
    def energy(self):
        __tracebackhide__ = True
        return self.unwrap().energy

    @property
    def forces(self):
        __tracebackhide__ = True
        return self.unwrap().forces

    @property
    def stress(self):
        __tracebackhide__ = True
        return self.unwrap().stress


class Evaluator:
    def __init__(self, model, store=None, timeout=None):
        self.model = model
        self.store = store            # a SharedStore under pytest-xdist, else None
        self.timeout = timeout        # --model-timeout, seconds per model call
        self._cache = {}
        self.evaluations = 0          # geometries sent to the model
        self.calls = 0                # calls of model.evaluate
        self.seconds_in_model = 0.0
        self.seconds_waiting = 0.0    # for geometries another process was evaluating
        self.batch_size = BATCH_SIZE if getattr(model, "batched", True) else 1

    # ---- reading predictions ---------------------------------------------------------------

    def predict(self, atoms):
        """The prediction for one geometry; raises PredictionError if there is none."""
        __tracebackhide__ = True
        return self.predict_many([atoms])[0].unwrap()

    def predict_many(self, structures):
        """Outcomes (Prediction or PredictionError, not raised) for many geometries."""
        keys = [geometry_key(atoms) for atoms in structures]
        missing = {}
        for key, atoms in zip(keys, structures):
            if key not in self._cache:
                missing.setdefault(key, atoms)
        if missing:
            self._obtain(list(missing.items()), wait=True)
        return [Outcome(self._cache[key]) for key in keys]

    def prefetch(self, structures, start=0, progress=None):
        """Evaluate whatever of `structures` nobody has evaluated or claimed yet, walking the list
        from index `start` round to the end (so that processes starting at different places meet
        rather than collide); never waits for another process.  progress(n) is told of every n
        geometries answered (claimed by another process: counted as answered by it)."""
        self._obtain(self._unanswered(structures, start), wait=False, progress=progress)

    def unanswered(self, structures):
        """How many distinct geometries of `structures` this process has no answer for yet."""
        return len(self._unanswered(structures))

    def _unanswered(self, structures, start=0):
        order = list(structures[start:]) + list(structures[:start])
        items = {}
        for atoms in order:
            items.setdefault(geometry_key(atoms), atoms)
        return [item for item in items.items() if item[0] not in self._cache]

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
        """Outcomes straight from the model, bypassing the cache: one call for all, or one call
        per structure (for checks that compare the two, or repeat them).  Nothing is stored."""
        if batched:
            return [Outcome(value) for value in self._call(list(structures), retry_alone=False)]
        return [Outcome(self._call([atoms], retry_alone=False)[0]) for atoms in structures]

    # ---- evaluating, alone or shared -------------------------------------------------------

    def _obtain(self, items, wait, progress=None):
        progress = progress or (lambda count: None)
        if self.store is None:
            for start in range(0, len(items), self.batch_size):
                group = items[start:start + self.batch_size]
                for (key, _), value in zip(group, self._call([atoms for _, atoms in group])):
                    self._cache[key] = value
                progress(len(group))
            return
        waiting = []
        pending = list(items)
        while pending:
            before = len(pending)
            group, pending = self._claim_group(pending, waiting)
            if group:
                self._evaluate_claimed(group)
            progress(before - len(pending))
        if not wait:
            return
        for key, atoms in waiting:
            self._cache[key] = self._wait_for(key, atoms)

    def _claim_group(self, pending, waiting):
        """Claim up to batch_size geometries from the front of pending; answered ones go to the
        cache, ones claimed by another process to `waiting`.  Returns (claimed, rest)."""
        group = []
        index = 0
        while index < len(pending) and len(group) < self.batch_size:
            key, atoms = pending[index]
            index += 1
            found = self.store.load(key)
            if found is not None:
                self._cache[key] = found
                continue
            claim = self.store.try_claim(key, self._note([atoms for _, atoms in pending[index - 1:index]]))
            if claim is None:
                waiting.append((key, atoms))
            else:
                group.append((claim, atoms))
        return group, pending[index:]

    def _note(self, structures):
        deadline = None if not self.timeout else time.time() + guard.backstop_seconds(self.timeout)
        return {"geometry": describe(structures[0]), "model": self.model.name, "backstop_deadline": deadline}

    def _evaluate_claimed(self, group):
        answered = 0
        try:
            values = self._call([atoms for _, atoms in group])
            for (claim, _), value in zip(group, values):
                self._cache[claim.key] = value
                self.store.publish(claim, value)
                answered += 1
        finally:
            for claim, _ in group[answered:]:   # interrupted: whoever needs them takes them over
                self.store.give_up(claim)

    def _wait_for(self, key, atoms):
        while True:
            started = time.monotonic()
            found = self.store.wait(key, lambda note: self._died(atoms, note))
            self.seconds_waiting += time.monotonic() - started
            if found is not None:
                return found
            claim = self.store.try_claim(key, self._note([atoms]))   # given up: take it over
            if claim is not None:
                self._evaluate_claimed([(claim, atoms)])
                return self._cache[key]

    def _died(self, atoms, note):
        who = f"worker {note.get('worker', '?')} (pid {note.get('pid', '?')})"
        deadline = note.get("backstop_deadline")
        if deadline and time.time() >= deadline:
            why = (f"was ended by the --model-timeout backstop: its model call could not be interrupted "
                   f"within {self.timeout:g} s")
        else:
            why = "died (a hard exit, a crash or an out-of-memory kill)"
        return self._error(atoms, f"no answer: the {who} evaluating this geometry {why}",
                           "an energy and forces")

    # ---- one call of the model -------------------------------------------------------------

    def _call(self, structures, retry_alone=True):
        """One call of model.evaluate on copies of the structures: a list of Prediction or
        PredictionError.  A failed call of several structures is retried one by one."""
        self.calls += 1
        self.evaluations += len(structures)
        started = time.monotonic()
        try:
            with guard.time_limit(self.timeout):
                result = self.model.evaluate([atoms.copy() for atoms in structures])
            return self._unpack(structures, result)
        except KeyboardInterrupt:
            raise
        except guard.ModelTimeout:
            failure = (f"no answer within --model-timeout={self.timeout:g} s "
                       f"(one call of the model on {_count(structures)})")
        except BaseException as error:   # SystemExit, GeneratorExit, a test runner's own exits …
            failure = f"the model raised {type(error).__name__}: {_first_line(error)}"
            if len(structures) > 1:
                failure += f" on a call of {_count(structures)}"
        finally:
            self.seconds_in_model += time.monotonic() - started
        if retry_alone and len(structures) > 1:
            return [self._call([atoms])[0] for atoms in structures]
        return [self._error(atoms, failure, "an energy and forces") for atoms in structures]

    def _unpack(self, structures, result):
        try:
            energies, forces, *rest = result
        except (TypeError, ValueError):
            return self._all(structures, f"evaluate() returned {type(result).__name__}",
                             "(energies, forces) or (energies, forces, stresses)")
        stresses = rest[0] if rest else None
        counts = [_length(energies), _length(forces)] + ([_length(stresses)] if stresses is not None else [])
        if any(n != len(structures) for n in counts):
            return self._all(structures, f"evaluate() returned {counts[0]} energies and {counts[1]} force arrays"
                             + (f" and {counts[2]} stresses" if len(counts) > 2 else "")
                             + f" for {len(structures)} structures", "one of each per structure")
        stresses = stresses if stresses is not None else [None] * len(structures)
        shared = {**_shared_outputs(stresses, "stress array"), **_shared_outputs(forces, "force array")}
        return [self._error(atoms, shared[index], "an array of its own for each structure of a call (a copy of "
                            "each output, or non-overlapping rows of one batch array)") if index in shared
                else self._validate(atoms, e, f, s)
                for index, (atoms, e, f, s) in enumerate(zip(structures, energies, forces, stresses))]

    def _all(self, structures, got, expected):
        return [self._error(atoms, got, expected) for atoms in structures]

    def _validate(self, atoms, energy, forces, stress):
        energy, problem = _energy(energy)
        if problem:
            return self._error(atoms, problem, "one finite energy in eV")
        forces, problem = _array(forces, "forces")
        if problem:
            return self._error(atoms, problem, f"forces of shape ({len(atoms)}, 3) in eV/Å")
        if forces.shape != (len(atoms), 3):
            return self._error(atoms, f"forces of shape {forces.shape}", f"shape ({len(atoms)}, 3) in eV/Å")
        if not np.all(np.isfinite(forces)):
            return self._error(atoms, f"non-finite forces {forces.tolist()}", "finite forces in eV/Å")
        if stress is not None:
            stress, problem = _stress(stress)
            if problem:
                return self._error(atoms, problem, "a finite stress: 6 Voigt components or a 3×3 tensor, in eV/Å³")
        return Prediction(energy, forces, stress)

    def _error(self, atoms, got, expected):
        return PredictionError(f"model {self.model.name!r} on {describe(atoms)}: got {got}; "
                               f"expected {expected}")


def _shared_outputs(values, what):
    """{index: what is wrong} for the structures of one call whose outputs share memory with another
    structure's: a reused output buffer gives several structures the answer written last, which no copy
    made after the call can undo.  Views of distinct rows of one batch array share no memory and pass.
    A byte-bounds test (np.may_share_memory) first, the exact test (np.shares_memory) on the few pairs
    whose bounds overlap."""
    arrays = [(index, array) for index, array in enumerate(map(_without_copy, values)) if array is not None]
    found = {}
    for (i, first), (j, second) in itertools.combinations(arrays, 2):
        if np.may_share_memory(first, second) and np.shares_memory(first, second):
            same = first is second or first.__array_interface__ == second.__array_interface__
            how = f"the same {what}" if same else f"overlapping {what}s"
            text = (f"{how} for structures {i} and {j} (counting from 0) of one call of {len(values)} "
                    "(they share memory: an output buffer reused within the call, so each holds the answer "
                    "written last)")
            found.setdefault(i, text)
            found.setdefault(j, text)
    return found


def _without_copy(value):
    """The numpy array a model's output is, or views without copying (a CPU tensor), else None."""
    if isinstance(value, np.ndarray):
        return value
    if value is None or isinstance(value, (list, tuple, float, int)) or not hasattr(value, "__array__"):
        return None
    try:
        array = np.asarray(value)
    except Exception:   # a CUDA tensor, a tensor that requires grad: its memory is not numpy's to test
        return None
    return array if array.size else None


def _count(structures):
    return "1 geometry" if len(structures) == 1 else f"{len(structures)} geometries"


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else "(no message)"


def _length(values):
    try:
        return len(values)
    except TypeError:
        return f"a {type(values).__name__} of no length:"


def _energy(value):
    """(energy as a float, None) or (None, what is wrong with it)."""
    if value is None:
        return None, "no energy (None)"
    if isinstance(value, (str, bytes, bool, np.bool_)):
        return None, f"an energy of type {type(value).__name__} ({value!r:.40})"
    try:
        array = np.asarray(value)
    except Exception as error:   # e.g. a CUDA tensor, or one that requires grad
        return None, f"an energy of type {type(value).__name__} that numpy cannot read ({_first_line(error)})"
    if np.iscomplexobj(array):
        return None, f"a complex energy {value!r:.40}"
    if array.dtype.kind not in "iuf":
        return None, f"an energy of type {type(value).__name__} (dtype {array.dtype})"
    if array.size != 1:
        return None, f"energy of shape {array.shape}"
    energy = float(array.reshape(()))
    if not np.isfinite(energy):
        return None, f"energy {energy} eV"
    return energy, None


def _array(value, what):
    """(a float64 copy, None) or (None, what is wrong)."""
    if value is None:
        return None, f"no {what} (None)"
    try:
        array = np.array(value, copy=True)
    except Exception as error:
        return None, f"{what} of type {type(value).__name__} that numpy cannot read ({_first_line(error)})"
    if np.iscomplexobj(array) or array.dtype.kind not in "iuf":
        return None, f"{what} of dtype {array.dtype}"
    return array.astype(float), None


def _stress(value):
    stress, problem = _array(value, "stress")
    if problem:
        return None, problem
    if stress.shape == (3, 3):
        stress = stress[[0, 1, 2, 1, 0, 0], [0, 1, 2, 2, 2, 1]]
    if stress.shape != (6,):
        return None, f"stress of shape {stress.shape}"
    if not np.all(np.isfinite(stress)):
        return None, f"non-finite stress {stress.tolist()}"
    return stress, None
