"""The numbers the README's reference table shows, computed from the shipped data.

    python -m mlip_conformance.references.table

For every set and spin treatment: Re, E(10 Å) − E(Re), De against the set's own 2E(H), ωe, the
dissociation-limit error E(10 Å) − 2E(H) and the Coulson–Fischer point; then the H2⁺ and
triplet curves where a set has them.  The well is fitted by the suite's own metrics
(conformance.metrics), so the README and the accuracy tests measure the same way.
"""

import numpy as np

from mlip_conformance.references import data, exact
from mlip_conformance.references.constants import HARTREE_EV, PROTIUM_MASS_U

SETS = ("exact", "wb97m-v", "pbe", "wb97m-d3bj-tzvppd", "wb97m-d3bj-tzvpp")
SINGLET_CURVES = {"exact": {"exact": "h2_singlet"},
                  "dft": {"RKS": "h2_singlet_rks", "UKS": "h2_singlet_uks"}}


def well_row(r, energy_ev, two_atoms_ev):
    from mlip_conformance.conformance.metrics import fit_well, harmonic_wavenumber
    well = fit_well(r, energy_ev)
    return {"re_angstrom": well.r_e,
            "depth_to_10A_ev": energy_ev[-1] - well.energy,
            "de_vs_atoms_ev": two_atoms_ev - well.energy,
            "omega_e_cm": harmonic_wavenumber(well.curvature, PROTIUM_MASS_U / 2),
            "limit_error_ev": energy_ev[-1] - two_atoms_ev}


def singlet_rows(name):
    """{spin treatment: well_row} for one set (exact: FCI binding energies on −1 Eh)."""
    record = data.load(name)
    if name == "exact":
        r, energy = exact.h2_curve_ev()
        return {"exact": well_row(r, energy, 2 * exact.H_ATOM_HARTREE * HARTREE_EV)}
    two_atoms = 2 * record["atoms"]["H"]["energy"] * HARTREE_EV
    rows = {}
    for spin, curve in SINGLET_CURVES["dft"].items():
        points = record["curves"][curve]
        rows[spin] = well_row(np.asarray(points["r"]), np.array(points["energy"], dtype=float) * HARTREE_EV,
                              two_atoms)
    cf = record["metadata"]["coulson_fischer_angstrom"]["refined_sqrt_gap_linear"]
    rows["UKS"]["coulson_fischer_angstrom"] = cf
    return rows


def open_shell_rows(name):
    """H2⁺: De against H + H⁺ and Re; triplet: deepest point of E − 2E(H) and where it lies."""
    record = data.load(name)
    curves = record["curves"]
    h_atom = exact.H_ATOM_HARTREE if name == "exact" else record["atoms"]["H"]["energy"]
    rows = {}
    cation = "h2_cation" if name == "exact" else "h2_cation_uks"
    if cation in curves:
        r = np.asarray(curves[cation]["r"])
        energy = np.array(curves[cation]["energy"], dtype=float) * HARTREE_EV
        row = well_row(r, energy, h_atom * HARTREE_EV)
        rows["h2_cation"] = {"re_angstrom": row["re_angstrom"], "de_vs_h_ev": row["de_vs_atoms_ev"],
                             "e10_minus_eh_ev": row["limit_error_ev"]}
    triplet = "h2_triplet" if name == "exact" else "h2_triplet_uks"
    if triplet in curves:
        r = np.asarray(curves[triplet]["r"])
        if name == "exact":
            _, energy = exact.h2_triplet_curve_ev()
            two_atoms = 2 * exact.H_ATOM_HARTREE * HARTREE_EV
        else:
            energy = np.array(curves[triplet]["energy"], dtype=float) * HARTREE_EV
            two_atoms = 2 * h_atom * HARTREE_EV
        binding = energy - two_atoms
        i = int(np.argmin(binding))
        rows["h2_triplet"] = {"well_ev": float(binding[i]), "well_at_angstrom": float(r[i]),
                              "e_at_0.74A_minus_2eh_ev": float(binding[np.argmin(np.abs(r - 0.74))]),
                              "e10_minus_2eh_ev": float(binding[-1])}
    return rows


def main():
    for name in SETS:
        try:
            record = data.load(name)
        except FileNotFoundError:
            print(f"{name}: not shipped")
            continue
        wall = record["metadata"].get("wall_time_s")
        print(f"{name} (wall time {wall} s)")
        for spin, row in singlet_rows(name).items():
            print(f"  {spin:5s} " + "  ".join(f"{k} {v:.5g}" if v is not None else f"{k} -"
                                             for k, v in row.items()))
        for curve, row in open_shell_rows(name).items():
            print(f"  {curve} " + "  ".join(f"{k} {v:.5g}" for k, v in row.items()))
        for curve, described in record["metadata"].get("curves", {}).items():
            print(f"    {curve}: wall time {described.get('wall_time_s')} s")


if __name__ == "__main__":
    main()
