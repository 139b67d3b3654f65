"""fairchem (UMA and eSEN): pretrained models by name, or a local inference checkpoint.

Curves are evaluated in batches straight through fairchem's predict unit: each geometry is
converted by the calculator's own AtomicData conversion, the graphs are joined with
atomicdata_list_to_batch, and one predict() call answers a whole batch.  ``batch=False``
evaluates one geometry at a time through FAIRChemCalculator, the path ASE users take; the
self-tests check that both give the same numbers.

Both paths load with inference_settings="batch": no MoLE merge and no torch.compile.  The
default settings merge the experts for one composition and compile (costly on a CPU: docs/findings.md) and then
fall back whenever charge, spin or composition change, which is what this suite does all
the time.
"""

import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from mlip_conformance.adapters.base import CalculatorAdapter, Capabilities, ModelUsageError
from mlip_conformance.adapters.support import checkpoint_file, loading_weights, require, set_torch_threads, torch_device

LOCAL_HINT = "pass a local checkpoint with --model-option checkpoint=PATH"

LEVEL_OF_THEORY = {
    # The DFT each UMA task (dataset) was computed with: OMol25 ωB97M-V/def2-TZVPD; OMat24 and
    # OMC25 PBE (OMC with D3 dispersion); OC20 and ODAC23 RPBE.
    "omol": "wb97m-v/def2-tzvpd",
    "omat": "pbe",
    "omc": "pbe-d3",
    "oc20": "rpbe",
    "odac": "rpbe",
}

DEFAULT_CUTOFF_ANGSTROM = 6.0
"""UMA's and eSEN's radius graph cutoff, used when a model does not expose its own."""

MAX_ATOMS_PER_BATCH = 1024
"""Atoms per predict() call: a whole H2 curve (266 atoms) in one call, while a batch of
larger molecules stays well inside the memory of a small GPU."""


def make_uma(name="uma-s-1p1", task="omol", checkpoint=None, device="auto", threads=1, batch=True):
    """Factory for ``--model uma``: a pretrained UMA by name, or ``checkpoint=PATH``."""
    return _make("uma", name, task, checkpoint, device, threads, batch)


def make_esen_omol(checkpoint=None, name="esen-sm-conserving-all-omol", device="auto", threads=1):
    """Factory for ``--model esen-omol``: eSEN trained on OMol25 (conserving forces by default)."""
    return _make("esen-omol", name, "omol", checkpoint, device, threads, batch=True)


def _make(model, name, task, checkpoint, device, threads, batch):
    _stay_offline_without_a_hub(checkpoint)
    require("fairchem.core", model, "uma")
    device = torch_device(device)
    if checkpoint is not None:
        predictor, label = _load_local(model, checkpoint, device), f"{model}:{Path(checkpoint).name}"
    else:
        predictor, label = _load_pretrained(model, name, device), name
    set_torch_threads(threads)  # after loading: fairchem may set its own thread count
    calculator = _calculator(model, predictor, task)
    return FairchemAdapter(calculator, f"{label}/{task}", _capabilities(predictor, task), batch)


def _stay_offline_without_a_hub(checkpoint):
    """Set HF_HUB_OFFLINE=1 where the hub cannot be reached, before fairchem imports huggingface_hub.

    Offline, huggingface_hub retries for 23 s before it gives up; with HF_HUB_OFFLINE=1 it
    answers from the local cache at once.  Where the hub is reachable the variable stays
    unset, so pretrained weights still download; a user's own setting always wins, and a
    local checkpoint needs no hub at all.
    """
    if checkpoint is None and "HF_HUB_OFFLINE" not in os.environ and not _hub_reachable():
        os.environ["HF_HUB_OFFLINE"] = "1"
        # huggingface_hub reads the variable once, on import; it may be imported already.
        constants = sys.modules.get("huggingface_hub.constants")
        if constants is not None:
            constants.HF_HUB_OFFLINE = True


def _hub_reachable(timeout_s=3.0):
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname
    try:
        socket.create_connection((host, 443), timeout=timeout_s).close()
        return True
    except OSError:
        return False


def _load_local(model, checkpoint, device):
    from fairchem.core.units.mlip_unit import load_predict_unit

    checkpoint_file(model, checkpoint, "an existing fairchem inference checkpoint")
    return load_predict_unit(str(checkpoint), inference_settings="batch", device=device)


def _load_pretrained(model, name, device):
    from fairchem.core.calculate import pretrained_mlip

    if name not in pretrained_mlip.available_models:
        raise ModelUsageError(f"model {model!r}: unknown pretrained name {name!r}; known are "
                              f"{', '.join(pretrained_mlip.available_models)}; or {LOCAL_HINT}")
    with loading_weights(model, name, LOCAL_HINT):
        return pretrained_mlip.get_predict_unit(name, inference_settings="batch", device=device)


def _calculator(model, predictor, task):
    from fairchem.core import FAIRChemCalculator

    tasks = list(predictor.dataset_to_tasks)
    if task not in tasks:
        raise ModelUsageError(f"model {model!r} has no task {task!r}; its tasks are {', '.join(tasks)}; "
                              "choose one with --model-option task=NAME")
    return FAIRChemCalculator(predictor, task_name=task)


def _capabilities(predictor, task):
    backbone = getattr(getattr(predictor.model, "module", None), "backbone", None)
    # OMol25 (task omol) holds molecules only; the other tasks learned periodic cells (OMat24,
    # OMC25, OC20 slabs, ODAC23 frameworks).  A task returns a stress where the checkpoint has a
    # stress output for it (fairchem: eV/Å³, ASE's sign).
    periodic = task != "omol"
    return Capabilities(
        reads_charge=True, reads_spin=True,    # the charge/spin embedding reads atoms.info
        elements=None,
        absolute_energies=True,                # trained on total DFT energies
        level_of_theory=LEVEL_OF_THEORY.get(task),
        cutoff=float(getattr(backbone, "cutoff", DEFAULT_CUTOFF_ANGSTROM)),
        periodic=periodic, stress=periodic and _has_stress(predictor, task))


def _has_stress(predictor, task):
    return any(getattr(t, "property", None) == "stress" for t in predictor.dataset_to_tasks.get(task, []))


@dataclass
class FairchemAdapter:
    calculator: object          # FAIRChemCalculator: the predict unit, task and data conversion
    name: str
    capabilities: Capabilities
    batch: bool = True

    @property
    def predictor(self):
        return self.calculator.predictor

    def evaluate(self, structures):
        """(energies, forces, stresses): a stress (3×3, eV/Å³) for each periodic structure where the
        task has one, None for the others.  a2g carries each structure's cell and pbc into its graph."""
        structures = [self._prepared(atoms) for atoms in structures]
        for atoms in structures:
            self._check_single_atom(atoms)
        if not self.batch:
            return CalculatorAdapter(self.calculator, self.name, self.capabilities).evaluate(structures)
        energies, forces, stresses = [], [], []
        for group in _batches(structures):
            group_energies, group_forces, group_stresses = self._predict(group)
            energies.extend(group_energies)
            forces.extend(group_forces)
            stresses.extend(group_stresses)
        return np.asarray(energies, dtype=float), forces, stresses

    def _prepared(self, atoms):
        """A copy whose charge and spin are Python ints, as fairchem requires, with its defaults."""
        atoms = atoms.copy()
        for key in ("charge", "spin"):
            if key in atoms.info:
                atoms.info[key] = _integer(key, atoms.info[key])
        self.predictor.validate_atoms_data(atoms, self.calculator.task_name)
        return atoms

    def _check_single_atom(self, atoms):
        # fairchem does not run its model on one isolated atom unless the model declares
        # supports_single_atoms: it looks the energy up in the per-element DFT references
        # (atom_refs) that come with pretrained checkpoints.  A local checkpoint has none, and
        # running the model outside what it was built for would report a number fairchem itself
        # refuses to give, so that geometry fails with this message instead.
        if len(atoms) != 1 or atoms.pbc.any() or self.predictor.model.module.supports_single_atoms:
            return
        if not self.predictor.atom_refs:
            raise ValueError(
                f"no energy for an isolated {atoms.get_chemical_formula()} atom: fairchem takes isolated "
                "atoms from the reference energies (atom_refs) that come with pretrained checkpoints, this "
                "local checkpoint has none, and its model does not declare supports_single_atoms")

    def _predict(self, structures):
        from fairchem.core.datasets.atomic_data import atomicdata_list_to_batch

        batch = atomicdata_list_to_batch([self.calculator.a2g(atoms) for atoms in structures])
        prediction = self.predictor.predict(batch)
        energies = prediction["energy"].detach().cpu().numpy().astype(float).reshape(-1)
        forces = prediction["forces"].detach().cpu().numpy().astype(float)
        bounds = np.cumsum([0] + [len(atoms) for atoms in structures])
        stresses = [None] * len(structures)
        if "stress" in prediction and self.capabilities.stress:   # one 3×3 per system, as FAIRChemCalculator reads it
            tensors = prediction["stress"].detach().cpu().numpy().astype(float).reshape(len(structures), 3, 3)
            stresses = [tensor if atoms.pbc.any() else None for tensor, atoms in zip(tensors, structures)]
        return energies, [forces[a:b] for a, b in zip(bounds[:-1], bounds[1:])], stresses


def _integer(key, value):
    if float(value) != int(value):
        raise ValueError(f"atoms.info[{key!r}] = {value} is not an integer; fairchem takes integer "
                         "total charge and spin multiplicity")
    return int(value)


def _batches(structures):
    """Groups for one predict() call each.  fairchem answers an isolated atom only when it is
    alone in its batch, so each one gets its own."""
    group, atoms_in_group = [], 0
    for atoms in structures:
        alone = len(atoms) == 1 and not atoms.pbc.any()
        if group and (alone or atoms_in_group + len(atoms) > MAX_ATOMS_PER_BATCH):
            yield group
            group, atoms_in_group = [], 0
        group.append(atoms)
        atoms_in_group += len(atoms)
        if alone:
            yield group
            group, atoms_in_group = [], 0
    if group:
        yield group
