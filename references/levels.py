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


CURVES = ("h2_singlet", "h2_cation", "h2_triplet")
"""The reference curves the suite knows: neutral singlet H2 (X¹Σg⁺), H2⁺ (X²Σg⁺) and triplet H2
(b³Σu⁺).  A set holds those its level of theory was computed for (every set has h2_singlet)."""


@dataclass(frozen=True)
class ReferenceCurve:
    r: np.ndarray        # Å, the suite's grid
    energy: np.ndarray   # eV, total energies

    def energy_at(self, r):
        """Reference E(r) at grid points only: no interpolation stands between a model and it."""
        index = {round(float(x), 6): i for i, x in enumerate(self.r)}
        missing = [float(x) for x in r if round(float(x), 6) not in index]
        if missing:
            raise LookupError(f"{missing} Å are not points of the reference grid")
        return self.energy[[index[round(float(x), 6)] for x in r]]


@dataclass(frozen=True)
class ReferenceSet:
    name: str
    description: str
    hydrogen_atom_energy: float                  # eV
    curves: dict                                 # curve name (CURVES) -> ReferenceCurve
    spin_treatment: str = "exact"                # which singlet curve of the set: "exact", "restricted (RKS)", ...
    source: str = "references/data/exact.json"

    def curve(self, name):
        """The set's curve of that name, or None when the set has none (it was not computed at
        this level); a name the suite does not know is an error, never a silent None."""
        if name not in CURVES:
            raise KeyError(f"{name!r} is not a reference curve of the suite ({', '.join(CURVES)})")
        return self.curves.get(name)


def _exact():
    curves = {"h2_singlet": exact.h2_curve_ev(), "h2_cation": exact.h2_cation_curve_ev(),
              "h2_triplet": exact.h2_triplet_curve_ev()}
    return ReferenceSet(
        name="exact",
        description="exact Born–Oppenheimer H2 (FCI/aug-cc-pV5Z binding energies on the exact "
                    "limit 2E(H) = −1 Eh); H2⁺ exact; triplet b³Σu⁺ by FCI on the same limit",
        hydrogen_atom_energy=exact.H_ATOM_HARTREE * HARTREE_EV,
        curves={name: ReferenceCurve(*curve) for name, curve in curves.items()})


def _curve_ev(set_name, record, curve):
    """(r in Å, E in eV) of one curve.  Every point must carry a number (converged or the stated
    fragment limit): a set with a not-converged point is not fit to judge a model."""
    points = record["curves"][curve]
    if any(e is None for e in points["energy"]):
        raise ValueError(f"references/data/{set_name}.json: {curve} has points without an energy")
    return np.asarray(points["r"], dtype=float), np.asarray(points["energy"], dtype=float) * HARTREE_EV


DFT_CURVES = {"h2_cation": "h2_cation_uks", "h2_triplet": "h2_triplet_uks"}
"""The suite's curve name -> the curve of a DFT data file that serves as it (open shells: UKS)."""


def _dft(set_name, singlet, spin_treatment, description):
    """A DFT set: its singlet curve of the given spin treatment, the UKS H atom, and the UKS
    H2⁺ and triplet curves where the data file has them (which it states: its list of curves)."""
    record = data.load(set_name)
    stored = {"h2_singlet": singlet, **DFT_CURVES}
    curves = {name: ReferenceCurve(*_curve_ev(set_name, record, key)) for name, key in stored.items()
              if key in record["curves"]}
    return ReferenceSet(
        name=set_name, description=description, hydrogen_atom_energy=record["atoms"]["H"]["energy"] * HARTREE_EV,
        curves=curves, spin_treatment=spin_treatment, source=f"references/data/{set_name}.json")


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


WITHOUT_REFERENCE = ("r2scan", "pbe-d3", "pbe-d4", "rpbe", "b97-3c", "gfn1-xtb", "gfn2-xtb", "ipea1-xtb")
"""Levels the shipped models declare for which the suite has no reference curves yet: MP r²SCAN
(CHGNet r2scan, SevenNet-MF), PBE with D3 or D4 dispersion (UMA's OMC task, Orb's -d3 models), RPBE
(UMA's OC20 and ODAC tasks), B97-3c (AIMNet2's B97-3c family) and the xTB Hamiltonians.  Knowing
them lets a model declare them; their accuracy checks are 'not applicable' until data is added."""

LEVELS = {"exact": _exact, "wb97m-v/def2-tzvpd": _wb97m_v, "pbe": _pbe,
          "wb97m-d3bj/def2-tzvppd": _wb97m_d3bj_tzvppd, "wb97m-d3bj/def2-tzvpp": _wb97m_d3bj_tzvpp,
          **dict.fromkeys(WITHOUT_REFERENCE)}
"""Every level of theory a model may declare (Capabilities.level_of_theory; any other name is a
usage error): its name -> the builder of its reference set, or None where there is no set yet."""


def reference_set(level):
    """The reference set for a level of theory, or None when the suite has none for that level
    (its accuracy checks are then 'not applicable') or the level is None (declared: no reference
    level).  A name the suite does not know is an error (Capabilities rejects it first), and so is
    a known level whose data file is missing or damaged, never a silent None."""
    if level is None:
        return None
    if level not in LEVELS:
        raise KeyError(f"{level!r} is not a level of theory the suite knows ({', '.join(sorted(LEVELS))})")
    build = LEVELS[level]
    return None if build is None else build()
