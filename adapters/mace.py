"""MACE (mace-torch): foundation models by name, or a local ``.model`` file.

Curves are evaluated in batches through the model's own forward pass, with MACE's own
data pipeline (config_from_atoms → AtomicData.from_config → torch_geometric DataLoader), so
a 133-point curve costs a few forward passes instead of 133.  ``batch=False`` evaluates one
geometry at a time through MACECalculator, the path ASE users take; the self-tests check
that both give the same numbers.

mace-torch pins e3nn 0.4.4, which must be imported after mace (mace sets
TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD before e3nn reads its constants with torch.load): this
module imports nothing from e3nn, and the factory imports mace before anything else.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from ase.data import chemical_symbols

from mlip_conformance.adapters.base import CalculatorAdapter, Capabilities, ModelUsageError
from mlip_conformance.adapters.support import checkpoint_file, loading_weights, require, set_torch_threads, torch_device

LOCAL_HINT = "pass a local checkpoint with --model-option checkpoint=PATH"


@dataclass(frozen=True)
class Foundation:
    loader: str                 # function in mace.calculators
    level_of_theory: str
    absolute_energies: bool
    # mace-mp-0 is fitted to VASP/PBE energies, whose zero is VASP's pseudo-atom reference,
    # not the total electronic energy: E(H) is not −13.6 eV, so its energies are shifted.
    # MACE-OFF23 and MACE-OMOL use isolated-atom DFT total energies as E0s (Gaussian basis,
    # all-electron for H), so their energies are total electronic energies at their level.
    single_size: bool = False   # only one size is published; 'size' then picks nothing
    periodic: bool = True       # trained on (or made for) periodic cells: mace-mp-0 on MPtrj's crystals,
    # MACE-OFF23 for molecular liquids and crystals in periodic boxes; MACE-OMOL learned OMol25's
    # molecules only.  MACE returns the stress of a periodic cell by autograd (eV/Å³, ASE's sign).


FOUNDATIONS = {
    "mace-mp-0": Foundation("mace_mp", "pbe", absolute_energies=False),
    "mace-off23": Foundation("mace_off", "wb97m-d3bj/def2-tzvppd", absolute_energies=True),
    "mace-omol": Foundation("mace_omol", "wb97m-v/def2-tzvpd", absolute_energies=True, single_size=True,
                            periodic=False),
}

BATCH_SIZE = 64
"""Geometries per forward pass: large enough that a curve takes a few passes, small enough
that a full-size model's graphs of small molecules stay well inside memory."""


def make_mace(name="mace-mp-0", size="medium", checkpoint=None, dtype="float64", device="auto",
              threads=1, level_of_theory=None, batch=True):
    """Factory for ``--model mace``: a foundation model by name, or ``checkpoint=PATH``."""
    calculators = require("mace.calculators", "mace", "mace")  # imports mace before e3nn
    set_torch_threads(threads)
    device = torch_device(device)
    if checkpoint is not None:
        calculator = _load_local(calculators, checkpoint, dtype, device)
        label = f"mace:{Path(checkpoint).name}"
        # undeclared: no reference level (None), and absolute energies (the strictest reading)
        level, absolute = level_of_theory, True
        periodic = True
    else:
        foundation = _foundation(name)
        calculator = _load_foundation(calculators, name, foundation, size, dtype, device)
        label = name if foundation.single_size else f"{name}-{size}"
        level, absolute = level_of_theory or foundation.level_of_theory, foundation.absolute_energies
        periodic = foundation.periodic
    capabilities = _capabilities(calculator.models[0], level, absolute, periodic)
    return MACEAdapter(calculator, label, capabilities, batch)


def _foundation(name):
    if name not in FOUNDATIONS:
        raise ModelUsageError(f"unknown MACE model {name!r}: known are {', '.join(FOUNDATIONS)}; "
                              "or pass a local file with --model-option checkpoint=PATH")
    return FOUNDATIONS[name]


def _load_local(calculators, checkpoint, dtype, device):
    checkpoint_file("mace", checkpoint, "an existing .model file")
    return calculators.MACECalculator(model_paths=str(checkpoint), device=device, default_dtype=dtype)


def _load_foundation(calculators, name, foundation, size, dtype, device):
    load = getattr(calculators, foundation.loader)
    # mace_omol takes model=None for its one published size; the others take the size name.
    model = None if foundation.single_size else size
    with loading_weights("mace", name if foundation.single_size else f"{name} ({size})", LOCAL_HINT):
        return load(model=model, device=device, default_dtype=dtype)


def _capabilities(model, level, absolute, periodic=True):
    # A MACE model reads total charge and spin only through a joint embedding built from
    # embedding_specs; without one, atoms.info['charge'] cannot change its output.
    embedded = set(getattr(model, "embedding_specs", None) or {})
    return Capabilities(
        reads_charge="total_charge" in embedded,
        reads_spin="total_spin" in embedded,
        elements=frozenset(chemical_symbols[int(z)] for z in model.atomic_numbers),
        absolute_energies=absolute,
        level_of_theory=level,
        cutoff=float(model.r_max),
        periodic=periodic, stress=periodic)


@dataclass
class MACEAdapter:
    calculator: object          # mace.calculators.MACECalculator: the loaded models and settings
    name: str
    capabilities: Capabilities
    batch: bool = True

    def evaluate(self, structures):
        """(energies, forces, stresses): a stress (3×3, eV/Å³) for each periodic structure, None
        for the others; MACE's data pipeline carries each structure's cell and pbc into its graph."""
        if not self.batch:
            return CalculatorAdapter(self.calculator, self.name, self.capabilities).evaluate(structures)
        energies, forces, stresses = [], [], []
        periodic = [bool(atoms.pbc.any()) and self.capabilities.stress for atoms in structures]
        start = 0
        for batch in self._loader(structures):
            count = batch.num_graphs
            batch_energies, batch_forces, batch_stresses = self._forward(batch, any(periodic[start:start + count]))
            energies.extend(batch_energies)
            forces.extend(batch_forces)
            stresses.extend(s if p else None for s, p in zip(batch_stresses, periodic[start:start + count]))
            start += count
        return np.asarray(energies, dtype=float), forces, stresses

    def _loader(self, structures):
        from mace import data
        from mace.tools import torch_geometric, torch_tools

        calc = self.calculator
        # The same keys MACECalculator reads: atoms.info['charge'] → total_charge, ['spin'] → total_spin.
        keys = data.KeySpecification(info_keys=dict(calc.info_keys),
                                     arrays_keys={**calc.arrays_keys, calc.charges_key: "charges"})
        with torch_tools.default_dtype(calc.default_dtype):
            graphs = [data.AtomicData.from_config(
                data.config_from_atoms(atoms, key_specification=keys, head_name=calc.head),
                z_table=calc.z_table, cutoff=calc.r_max, heads=calc.available_heads)
                for atoms in structures]
        return torch_geometric.dataloader.DataLoader(graphs, batch_size=BATCH_SIZE, shuffle=False,
                                                     drop_last=False)

    def _forward(self, batch, stress):
        """Energies, per-structure forces and (if asked) per-structure stresses of one batch,
        averaged over a committee; without stress the stresses are all None."""
        batch = batch.to(self.calculator.device)
        outputs = [model(batch.to_dict(), compute_force=True, compute_stress=stress, training=False)
                   for model in self.calculator.models]
        energy = sum(out["energy"].detach() for out in outputs) / len(outputs)
        force = sum(out["forces"].detach() for out in outputs) / len(outputs)
        bounds = batch.ptr.cpu().numpy()
        force = force.cpu().numpy().astype(float)
        stresses = [None] * (len(bounds) - 1)
        if stress:   # MACE's stress: (1/V) ∂E/∂ε per graph, the same number MACECalculator returns
            stresses = list((sum(out["stress"].detach() for out in outputs) / len(outputs)).cpu().numpy().astype(float))
        return (energy.cpu().numpy().astype(float), [force[a:b] for a, b in zip(bounds[:-1], bounds[1:])],
                stresses)
