"""GFN-xTB through tblite: a semiempirical physics baseline.

tblite's ASE calculator ignores atoms.info, so the adapter maps the suite's total charge and
spin multiplicity onto the calculator's own ``charge`` and ``multiplicity`` for each structure.

tblite handles periodic cells (any combination of periodic directions is passed on as its
``periodic`` flags; Ewald sums for the electrostatics) and returns the stress of a periodic
structure from its virial, in eV/Å³ with ASE's sign.  The Hamiltonian is sampled at the Γ point
only: a cell is treated as its own Born–von Kármán supercell.
"""

import numpy as np
from ase.data import chemical_symbols

from mlip_conformance.adapters.base import Capabilities, ModelUsageError
from mlip_conformance.adapters.support import require

METHODS = {"gfn2": "GFN2-xTB", "gfn1": "GFN1-xTB", "ipea1": "IPEA1-xTB"}


class XTBAdapter:
    batched = False   # one SCF per geometry
    def __init__(self, method):
        from tblite.ase import TBLite
        self._calculator_class = TBLite
        self.method = method
        self.name = method
        # xTB energies are not total electronic energies (minimal valence basis, fitted
        # reference): E(H) = -10.7 eV for GFN2, not -13.6 eV.
        # GFN1/GFN2 are parametrized for H–Rn (Z = 1–86).
        self.capabilities = Capabilities(reads_charge=True, reads_spin=True,
                                         elements=frozenset(chemical_symbols[1:87]),
                                         absolute_energies=False, level_of_theory=method.lower(),
                                         cutoff=None, periodic=True, stress=True)

    def evaluate(self, structures):
        energies, forces, stresses = [], [], []
        for atoms in structures:
            atoms = atoms.copy()
            atoms.calc = self._calculator_class(
                method=self.method, charge=atoms.info.get("charge", 0),
                multiplicity=atoms.info.get("spin", 1), verbosity=0)
            energies.append(atoms.get_potential_energy())
            forces.append(atoms.get_forces())
            stresses.append(atoms.get_stress(voigt=True) if atoms.pbc.any() else None)
        return np.array(energies), forces, stresses


def make_xtb(method="gfn2"):
    key = method.lower().replace("-xtb", "")
    if key not in METHODS:
        raise ModelUsageError(f"xtb: unknown method {method!r}; choose one of {', '.join(METHODS)}")
    require("tblite.ase", f"xtb:{key}", "xtb")
    return XTBAdapter(METHODS[key])
