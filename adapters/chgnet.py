"""CHGNet (package chgnet): pretrained weights 0.3.0 (default), 0.2.0 and r2scan ship in the wheel.

CHGNet converts structures through pymatgen and needs a lattice even for a molecule, so
the adapter puts each molecule that has no cell in a large non-periodic box: with pbc=False no
periodic image enters, and the box only has to be non-singular.  A structure that carries a cell
is passed on as it is, whatever its pbc, as a user's script passes it: what CHGNet makes of a cell
with pbc off is the model's answer, not the adapter's (test_molecule_ignores_a_cell_when_no_direction_is_periodic).
"""

import numpy as np
from ase.data import chemical_symbols

from mlip_conformance.adapters.base import CalculatorAdapter, Capabilities
from mlip_conformance.adapters.support import loading_weights, require, set_torch_threads, torch_device

LEVELS = {"0.3.0": "pbe", "0.2.0": "pbe", "r2scan": "r2scan"}
"""MPtrj (PBE/PBE+U) for 0.2.0 and 0.3.0; the r2scan model is fine-tuned on MP r²SCAN data."""

BOX_MARGIN_ANGSTROM = 30.0


class BoxedCalculatorAdapter(CalculatorAdapter):
    """Evaluates a molecule without a cell inside a large non-periodic box; anything with a cell as it is."""

    def prepare(self, atoms):
        atoms = atoms.copy()
        if not atoms.pbc.any() and atoms.cell.rank == 0:
            extent = np.ptp(atoms.positions, axis=0)
            atoms.set_cell(extent + BOX_MARGIN_ANGSTROM)
            atoms.center()
        return atoms


def make_chgnet(name="0.3.0", checkpoint=None, device="auto", threads=1):
    spec = f"chgnet:{checkpoint or name}"
    require("chgnet.model", spec, "chgnet")
    from chgnet.model import CHGNet
    from chgnet.model.dynamics import CHGNetCalculator
    set_torch_threads(threads)
    device = torch_device(device)
    with loading_weights(spec, checkpoint or name, "give a CHGNet checkpoint with --model-option checkpoint=PATH"):
        model = (CHGNet.from_file(checkpoint) if checkpoint
                 else CHGNet.load(model_name=name, use_device=device, verbose=False))
    # One isolated atom (the H atom, a bare proton) has no neighbours: CHGNet still returns its
    # composition energy, which is what the suite asks for, so the warning is silenced.
    calc = CHGNetCalculator(model=model, use_device=device, on_isolated_atoms="ignore")
    # CHGNet embeds atomic numbers 1–94 (its MPtrj training set spans 89 of them).
    # Trained on MPtrj's periodic crystals; CHGNetCalculator converts CHGNet's stress (GPa) to
    # eV/Å³ with ASE's sign.
    capabilities = Capabilities(reads_charge=False, reads_spin=False,
                                elements=frozenset(chemical_symbols[1:95]),
                                absolute_energies=False, level_of_theory=LEVELS.get(name),
                                cutoff=float(model.graph_converter.atom_graph_cutoff), periodic=True, stress=True)
    return BoxedCalculatorAdapter(calc, name=f"CHGNet {checkpoint or name}", capabilities=capabilities)
