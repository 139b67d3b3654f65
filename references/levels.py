"""Reference data by level of theory: what a model's accuracy tests compare against.

A model declares the level of theory it was trained on (Capabilities.level_of_theory);
the accuracy tests fetch the matching set here.  A DFT level maps to the curve the model
was TRAINED on, spin treatment included: OMol25 (ωB97M-V/def2-TZVPD) is restricted for
closed-shell singlets, MPtrj (PBE) is spin-polarised.  A level with no set makes the
accuracy tests 'not applicable', never passed.
"""

from dataclasses import dataclass

import numpy as np

from mlip_conformance.references import data, exact
from mlip_conformance.references.constants import HARTREE_EV


@dataclass(frozen=True)
class ReferenceSet:
    name: str
    description: str
    h2_r: np.ndarray                 # Å
    h2_energy: np.ndarray            # eV, total energies
    hydrogen_atom_energy: float      # eV
    spin_treatment: str = "exact"    # which curve of the set: "exact", "restricted (RKS)", ...
    source: str = "references/data/exact.json"
    h2_cation_r: np.ndarray | None = None        # Å; H2⁺ (charge +1, doublet); None: not in the set
    h2_cation_energy: np.ndarray | None = None   # eV, total energies
    h2_triplet_r: np.ndarray | None = None       # Å; triplet H2 (charge 0, multiplicity 3)
    h2_triplet_energy: np.ndarray | None = None  # eV, total energies

    def h2_energy_at(self, r):
        """Reference E(r) on the suite's grid (exact grid points only: no interpolation)."""
        return _at_grid_points(self.h2_r, self.h2_energy, r, "H2")

    def h2_cation_energy_at(self, r):
        """Reference H2⁺ E(r) on the suite's grid (grid points only)."""
        return _at_grid_points(self.h2_cation_r, self.h2_cation_energy, r, "H2+")

    def h2_triplet_energy_at(self, r):
        """Reference triplet-H2 E(r) on the suite's grid (grid points only)."""
        return _at_grid_points(self.h2_triplet_r, self.h2_triplet_energy, r, "triplet H2")


def _at_grid_points(grid, energy, r, what):
    if grid is None:
        raise LookupError(f"this reference set has no {what} curve")
    index = {round(float(x), 6): i for i, x in enumerate(grid)}
    return energy[[index[round(float(x), 6)] for x in r]]


def _exact():
    r, energy = exact.h2_curve_ev()
    cation_r, cation_energy = exact.h2_cation_curve_ev()
    triplet = exact.h2_triplet_curve_ev() if "h2_triplet" in data.load("exact")["curves"] else (None, None)
    return ReferenceSet(
        name="exact",
        description="exact Born–Oppenheimer H2 (FCI/aug-cc-pV5Z binding energies on the exact "
                    "limit 2E(H) = −1 Eh); H2⁺ exact; triplet b³Σu⁺ by FCI on the same limit",
        h2_r=r, h2_energy=energy, hydrogen_atom_energy=exact.H_ATOM_HARTREE * HARTREE_EV,
        h2_cation_r=cation_r, h2_cation_energy=cation_energy,
        h2_triplet_r=triplet[0], h2_triplet_energy=triplet[1])


def _curve_ev(set_name, record, curve):
    """(r in Å, E in eV) of one curve.  Every point must carry a number (converged or the stated
    fragment limit): a set with a not-converged point is not fit to judge a model."""
    points = record["curves"][curve]
    if any(e is None for e in points["energy"]):
        raise ValueError(f"references/data/{set_name}.json: {curve} has points without an energy")
    return np.asarray(points["r"], dtype=float), np.asarray(points["energy"], dtype=float) * HARTREE_EV


def _dft(set_name, curve, spin_treatment, description):
    """A DFT set: its singlet curve of the given spin treatment, the UKS H atom, and the UKS
    H2⁺ and triplet curves where the set has them."""
    record = data.load(set_name)
    r, energy = _curve_ev(set_name, record, curve)
    cation = _curve_ev(set_name, record, "h2_cation_uks") if "h2_cation_uks" in record["curves"] else (None, None)
    triplet = _curve_ev(set_name, record, "h2_triplet_uks") if "h2_triplet_uks" in record["curves"] else (None, None)
    return ReferenceSet(
        name=set_name, description=description, h2_r=r, h2_energy=energy,
        hydrogen_atom_energy=record["atoms"]["H"]["energy"] * HARTREE_EV,
        spin_treatment=spin_treatment, source=f"references/data/{set_name}.json",
        h2_cation_r=cation[0], h2_cation_energy=cation[1],
        h2_triplet_r=triplet[0], h2_triplet_energy=triplet[1])


def _wb97m_v():
    return _dft("wb97m-v", "h2_singlet_rks", "restricted (RKS)",
                "ωB97M-V/def2-TZVPD, restricted (RKS) singlet as in OMol25 (H atom, H2⁺ and "
                "triplet by UKS); its restricted limit lies ~4.8 eV above 2E(H)")


def _wb97m_d3bj_tzvppd():
    return _dft("wb97m-d3bj-tzvppd", "h2_singlet_rks", "restricted (RKS)",
                "ωB97M-D3(BJ)/def2-TZVPPD, restricted (RKS) singlet as in SPICE (MACE-OFF; H atom "
                "by UKS); its restricted limit lies ~4.8 eV above 2E(H)")


def _wb97m_d3bj_tzvpp():
    return _dft("wb97m-d3bj-tzvpp", "h2_singlet_rks", "restricted (RKS)",
                "ωB97M-D3(BJ)/def2-TZVPP, restricted (RKS) closed-shell singlet as in AIMNet2's "
                "training data (H atom by UKS); its restricted limit lies ~4.8 eV above 2E(H)")


def _pbe():
    return _dft("pbe", "h2_singlet_uks", "unrestricted broken-symmetry (UKS)",
                "PBE/def2-TZVPD, unrestricted broken-symmetry (UKS) singlet as in spin-polarised "
                "MPtrj (VASP ISPIN=2; H atom by UKS); Gaussian basis: compare shapes, not "
                "absolute energies")


LEVELS = {"exact": _exact, "wb97m-v/def2-tzvpd": _wb97m_v, "pbe": _pbe,
          "wb97m-d3bj/def2-tzvppd": _wb97m_d3bj_tzvppd, "wb97m-d3bj/def2-tzvpp": _wb97m_d3bj_tzvpp}


def reference_set(level):
    """The reference set for a level of theory, or None when none is shipped yet."""
    build = LEVELS.get(level)
    if build is None:
        return None
    try:
        return build()
    except FileNotFoundError:   # a level whose data file is not shipped has no set
        return None
