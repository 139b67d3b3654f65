"""AIMNet2 (aimnet): a registry name, a Hugging Face repository, or a local .pt / .jpt file.

``--model aimnet2`` loads the registry's default AIMNet2 (ωB97M-D3); ``--model-option
name=NAME`` picks another registry name or alias (aimnet2-nse, aimnet2-b973c, ...) or a Hugging
Face repository id.  ``--model-option checkpoint=PATH`` loads a local file instead: a v2 ``.pt``
artifact (the dict aimnet writes, with model_yaml, metadata and state_dict) or a legacy
TorchScript ``.jpt``.

The adapter calls aimnet's base calculator directly, one batch per molecule size, with the
charge and multiplicity of every structure passed explicitly.  (aimnet's ASE calculator keeps
the last charge it saw: a structure without a charge key would silently inherit it.)
"""

from collections import defaultdict
from pathlib import Path

import numpy as np
from ase.data import chemical_symbols

from mlip_conformance.adapters.base import Capabilities, ModelUsageError
from mlip_conformance.adapters.support import checkpoint_file, loading_weights, require, set_torch_threads, torch_device

MODEL = "aimnet2"
DEFAULT_NAME = "aimnet2"
TRAINING_LEVELS = {"b973c-d3": "b97-3c", "b973c-2025-d3": "b97-3c"}
"""Registry family → level of theory; every other family learned ωB97M-D3(BJ)/def2-TZVPP (aimnet's
model registry adds D3 with BJ damping, s8 = 0.3908, a1 = 0.566, a2 = 3.128, post hoc)."""
DEFAULT_LEVEL = "wb97m-d3bj/def2-tzvpp"


def make_aimnet2(name=DEFAULT_NAME, checkpoint=None, device="auto", threads=1):
    """Factory behind ``--model aimnet2``."""
    require("aimnet.calculators", MODEL, "aimnet2")
    set_torch_threads(threads)
    device = torch_device(device)
    if checkpoint is None:
        calculator, family = _load_pretrained(name, device), _registry_family(name)
        label = f"{MODEL}:{name}"
    else:
        calculator, family = _load_checkpoint(Path(checkpoint), device), None
        label = f"{MODEL}:{Path(checkpoint).name}"
    return AIMNet2Adapter(calculator, label, capabilities_for(calculator, family))


class AIMNet2Adapter:
    """Evaluates structures in batches of equal size through aimnet's AIMNet2Calculator."""

    def __init__(self, calculator, name, capabilities):
        self.calculator = calculator
        self.name = name
        self.capabilities = capabilities

    def evaluate(self, structures):
        energies = np.empty(len(structures))
        forces = [None] * len(structures)
        for indices in _indices_by_size(structures).values():
            batch_energies, batch_forces = self._evaluate_batch([structures[i] for i in indices])
            energies[indices] = batch_energies
            for i, atom_forces in zip(indices, batch_forces):
                forces[i] = atom_forces
        return energies, forces

    def _evaluate_batch(self, structures):
        import torch
        device = self.calculator.device
        for atoms in structures:
            if atoms.pbc.any():
                raise ValueError("the AIMNet2 adapter evaluates molecules only, not periodic cells")
        inputs = {
            "coord": torch.tensor(np.stack([atoms.positions for atoms in structures]),
                                  dtype=torch.float32, device=device),
            "numbers": torch.tensor(np.stack([atoms.numbers for atoms in structures]), device=device),
            "charge": torch.tensor([float(atoms.info.get("charge", 0)) for atoms in structures],
                                   device=device),
        }
        if self.capabilities.reads_spin:
            # Only open-shell (NSE) models read the multiplicity; closed-shell ones warn about it.
            inputs["mult"] = torch.tensor([float(_multiplicity(atoms)) for atoms in structures],
                                          device=device)
        result = self.calculator.eval(inputs, forces=True)
        energies = result["energy"].detach().cpu().double().numpy().reshape(len(structures))
        forces = result["forces"].detach().cpu().double().numpy().reshape(len(structures), -1, 3)
        return energies, list(forces)


def _indices_by_size(structures):
    groups = defaultdict(list)
    for index, atoms in enumerate(structures):
        groups[len(atoms)].append(index)
    return groups


def _multiplicity(atoms):
    """atoms.info["spin"] (2S+1), else the lowest the electron count allows."""
    if atoms.info.get("spin") is not None:
        return atoms.info["spin"]
    electrons = int(atoms.numbers.sum()) - int(atoms.info.get("charge", 0))
    return 1 + electrons % 2


def capabilities_for(calculator, family):
    """What a loaded AIMNet2 model reads and predicts.

    AIMNet2 predicts total energies: its output adds per-element atomic self-energies (the
    AtomicShift module) to the learned interaction, so it reproduces the DFT total energy of
    its training level (water ≈ −76.4 Eh), and E(H) and E(H⁺) are meaningful.  Only NSE models
    (two charge channels, alpha and beta) read the multiplicity; the others are closed-shell.
    """
    metadata = calculator.metadata or {}
    return Capabilities(
        reads_charge=metadata.get("supports_charged_systems") is not False,
        reads_spin=bool(calculator.is_nse),
        elements=_elements(calculator, metadata),
        absolute_energies=True,
        level_of_theory=TRAINING_LEVELS.get(family, DEFAULT_LEVEL),
        cutoff=None if calculator.lr else float(calculator.cutoff),   # Coulomb/D3 reach further
        periodic=False, stress=False)   # molecules only: the adapter refuses periodic cells


def _elements(calculator, metadata):
    species = metadata.get("implemented_species")
    if not species:
        from aimnet.models.utils import extract_species
        species = extract_species(calculator.model)
    return frozenset(chemical_symbols[z] for z in species) if species else None


def _registry_family(name):
    from aimnet.calculators.model_registry import get_registry_model_family, try_resolve_registry_model_name
    return get_registry_model_family(name) if try_resolve_registry_model_name(name) else None


def _load_pretrained(name, device):
    from aimnet.calculators import AIMNet2Calculator
    from aimnet.calculators.model_registry import load_model_registry, try_resolve_registry_model_name
    if try_resolve_registry_model_name(name) is None and "/" not in name:
        aliases = ", ".join(load_model_registry()["aliases"])
        raise ModelUsageError(f"model {MODEL!r}: unknown name {name!r}; aimnet knows {aliases}, "
                              "or give a Hugging Face repository id (owner/name)")
    hint = "pass a local .pt or .jpt file with --model-option checkpoint=PATH"
    with loading_weights(MODEL, name, hint):
        return AIMNet2Calculator(name, device=device)


def _load_checkpoint(path, device):
    from aimnet.calculators import AIMNet2Calculator
    checkpoint_file(MODEL, path, "an AIMNet2 .pt (v2 artifact) or .jpt (TorchScript) file")
    try:
        # An absolute path: aimnet reads a bare file name as a registry name first.
        return AIMNet2Calculator(str(path.resolve()), device=device)
    except Exception as error:  # whatever torch or aimnet raise, the user needs one line
        text = " ".join(str(error).split()) or "(no message)"
        raise ModelUsageError(f"model {MODEL!r}: checkpoint {path} is not a loadable AIMNet2 model "
                              f"({type(error).__name__}: {text[:240]})") from None
