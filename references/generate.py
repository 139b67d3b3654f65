"""Regenerate the shipped reference data with pyscf.

    python -m mlip_conformance.references.generate                 # every set, writes references/data/
    python -m mlip_conformance.references.generate --set exact     # one set
    python -m mlip_conformance.references.generate --set exact --curve h2_triplet   # one curve, merged into the file
    python -m mlip_conformance.references.generate --points 5      # recompute 5 points and compare, write nothing

The ``exact`` set holds the H2 singlet and b³Σu⁺ triplet by FCI in aug-cc-pV5Z on the suite's
H2 grid (5–15 s a point each on an idle 2-core machine), the exact H2⁺ curve (references/h2plus.py,
no basis), and the H and He atoms in the FCI basis.  The DFT sets (``wb97m-v``, ``pbe``,
``wb97m-d3bj-tzvppd``, ``wb97m-d3bj-tzvpp``) are Kohn–Sham (references/dft.py): restricted and
broken-symmetry unrestricted H2 singlet curves and the UKS H atom; ``wb97m-v`` adds UKS H2⁺ and
triplet curves.  ``--curve`` recomputes one curve and merges it into the shipped file with its
own provenance, leaving the other curves as they are.
"""

import argparse
import datetime
import json
import platform
import sys
import time

import numpy as np

from mlip_conformance.references import data
from mlip_conformance.references.grids import H2_GRID_ANGSTROM

EXACT_BASIS = "aug-cc-pV5Z"


def compute_exact_set(points, progress):
    """Every curve of the exact set on points (Å), with the H and He atoms."""
    from mlip_conformance.references.fci2e import atom, one_electron_energy, two_electron_energy

    start = time.time()
    curves, curve_metadata = {}, {}
    for name in EXACT_CURVES:
        curves[name], curve_metadata[name] = compute_exact_curve(name, points, progress)
    helium = two_electron_energy(atom("He", EXACT_BASIS, spin=0))
    hydrogen = one_electron_energy(atom("H", EXACT_BASIS, spin=1))
    return {
        "name": "exact",
        "metadata": {
            "description": EXACT_DESCRIPTION,
            "method": "FCI (two-electron singlet, direct Davidson solver references/fci2e.py; "
                      "agrees with pyscf.fci to 1e-11 Eh)",
            "basis": EXACT_BASIS,
            "spin_treatment": "exact singlet (symmetric spatial wavefunction)",
            "linear_dependence_cutoff": 1e-6,
            "geometry_units": "bohr, converted from the Å grid with the CODATA 2018 bohr",
            "basis_error": SINGLET_BASIS_ERROR,
            "literature_use": LITERATURE_USE,
            "code": code_versions(),
            "machine": f"{platform.machine()}, {platform_cpus()} CPUs",
            "date": datetime.date.today().isoformat(),
            "wall_time_s": round(time.time() - start, 1),
            "command": "python -m mlip_conformance.references.generate --set exact",
            "curves": curve_metadata,
        },
        "units": {"r": "angstrom", "energy": "hartree"},
        "atoms": {
            "H": {"energy": hydrogen, "charge": 0, "multiplicity": 2},
            "He": {"energy": float(helium.energy), "charge": 0, "multiplicity": 1},
        },
        "curves": curves,
    }


EXACT_DESCRIPTION = (
    "Non-relativistic Born–Oppenheimer energies: H2 ground state X¹Σg⁺ (h2_singlet) and lowest "
    "triplet b³Σu⁺ (h2_triplet) by full CI in aug-cc-pV5Z, exact within the basis; H2⁺ 1sσg "
    "(h2_cation) exact, no basis. Each curve's method, timing and command: metadata.curves.")

SINGLET_BASIS_ERROR = (
    "vs the exact BO energies of Sims & Hagstrom (2006), binding energies placed on 2E(H) = -1 Eh: "
    "+0.21 mEh at 1.4 bohr, below +0.3 mEh from 1.0 bohr (0.53 Å) outwards, +2.8 mEh at 0.4 bohr "
    "(0.21 Å); E(10 Å) - 2E(H) in this basis is -1.5e-7 Eh (size-consistent)")

LITERATURE_USE = (
    "The curves are stored on the suite's Å grid only. Sims & Hagstrom's exact energies are "
    "tabulated at round bohr values (0.4–6.0 bohr) that never coincide with the Å grid points, so "
    "they are not spliced into h2_singlet (that would put a step of up to 0.2 mEh, the basis "
    "error, between neighbouring points); they are shipped verbatim in references/exact.py "
    "(SIMS_HAGSTROM_2006, Pachucki 2010 at 1.4 bohr) and used to state and test the basis error of "
    "the FCI curve. H2⁺ needs no basis: h2_cation is the exact clamped-nuclei solution itself.")


def code_versions():
    import pyscf
    import scipy
    return (f"pyscf {pyscf.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
            f"python {platform.python_version()}")


def _fci_curve(points, progress, multiplicity, **solver_options):
    """FCI/aug-cc-pV5Z energies of neutral H2 in one spin state on the given points."""
    from mlip_conformance.references.fci2e import h2_molecule, two_electron_energy
    energies, residuals = [], []
    for i, r in enumerate(points):
        result = two_electron_energy(h2_molecule(r, EXACT_BASIS), spin_multiplicity=multiplicity,
                                     **solver_options)
        energies.append(float(result.energy))
        residuals.append(float(result.residual))
        progress(i + 1, len(points), f"r = {r:.2f} Å  E = {result.energy:.10f} Eh")
    return {"charge": 0, "multiplicity": multiplicity, "r": [float(r) for r in points],
            "energy": energies, "davidson_residual": residuals}


def _singlet_curve(points, progress):
    curve = _fci_curve(points, progress, multiplicity=1)
    return curve, {
        "state": "X¹Σg⁺ (ground state)",
        "method": "FCI, two-electron singlet (symmetric spatial coefficients), references/fci2e.py",
        "basis": EXACT_BASIS, "spin_treatment": "exact singlet",
        "basis_error": SINGLET_BASIS_ERROR}


def _triplet_curve(points, progress):
    curve = _fci_curve(points, progress, multiplicity=3, sigma_parity="u")
    return curve, {
        "state": "b³Σu⁺ (lowest triplet of H2, σg¹σu¹; repulsive apart from a van der Waals well)",
        "method": "FCI, two-electron triplet (antisymmetric spatial coefficients) restricted to "
                  "functions odd under inversion and even under C2 about the bond "
                  "(references/fci2e.py sigma_parity='u'); checked against pyscf.fci with D2h "
                  "symmetry, irrep B1u, to 3e-11 Eh (aug-cc-pVDZ). Without the constraint the "
                  "lowest triplet at short R is ³Σg⁺ (σg σg'), not b³Σu⁺.",
        "basis": EXACT_BASIS, "spin_treatment": "exact triplet (S = 1)",
        "basis_error": "the binding energy E(R) − 2E(H) is taken in one basis (the atoms' basis "
                       "error cancels at long range) and placed on 2E(H) = −1 Eh by "
                       "mlip_conformance.references.exact.h2_triplet_curve_ev; no counterpoise correction"}


CATION_CHECK_POINTS_ANGSTROM = (0.2, 0.5, 1.05, 2.0, 5.0, 10.0)


def _cation_curve(points, progress):
    from mlip_conformance.references import h2plus
    from mlip_conformance.references.constants import angstrom_to_bohr
    energies = []
    for i, r in enumerate(points):
        energies.append(h2plus.total_energy(angstrom_to_bohr(float(r))))
        progress(i + 1, len(points), f"r = {r:.2f} Å  E = {energies[-1]:.12f} Eh")
    curve = {"charge": 1, "multiplicity": 2, "r": [float(r) for r in points], "energy": energies}
    re_bohr, e_min = h2plus.minimum()
    return curve, {
        "state": "X²Σg⁺ (1sσg), clamped nuclei",
        "method": "exact: separation of the one-electron Schrödinger equation in prolate spheroidal "
                  "coordinates (references/h2plus.py: Legendre expansion in η, Jaffé's recurrence "
                  "and continued fraction in ξ); no basis set",
        "basis": "none (exact)", "spin_treatment": "one electron (doublet): no correlation, no spin "
                                                   "contamination",
        "basis_error": "none; numerical error < 1e-13 Eh (E(2 bohr) reproduces Madsen & Peek's "
                       "−0.6026342144949 Eh to 5e-14)",
        "check_against_literature": {
            "E(2 bohr) hartree": h2plus.total_energy(2.0),
            "Madsen & Peek (1971) E(2 bohr) hartree": -0.6026342144949,
            "Re bohr": re_bohr, "E(Re) hartree": e_min,
            "literature Re bohr, E(Re) hartree": [1.9971933, -0.6026346191]},
        "uhf_aug_cc_pv5z_vs_exact": _uhf_comparison(CATION_CHECK_POINTS_ANGSTROM)}


def _uhf_comparison(points):
    """UHF/aug-cc-pV5Z (exact within the basis for one electron) minus the exact energy, Eh."""
    from mlip_conformance.references import h2plus
    from mlip_conformance.references.constants import angstrom_to_bohr
    from mlip_conformance.references.fci2e import h2_molecule, one_electron_energy
    rows = []
    for r in points:
        in_basis = one_electron_energy(h2_molecule(r, EXACT_BASIS, charge=1, spin=1))
        exact_e = h2plus.total_energy(angstrom_to_bohr(r))
        rows.append({"r_angstrom": r, "uhf_hartree": in_basis, "exact_hartree": exact_e,
                     "uhf_minus_exact_hartree": in_basis - exact_e})
    return rows


EXACT_CURVES = {"h2_singlet": _singlet_curve, "h2_triplet": _triplet_curve, "h2_cation": _cation_curve}


def compute_exact_curve(name, points, progress):
    """(curve record, curve metadata) for one curve of the exact set, with its wall time."""
    start = time.time()
    curve, metadata = EXACT_CURVES[name](points, progress)
    wall = time.time() - start
    metadata.update({
        "code": code_versions(), "machine": f"{platform.machine()}, {platform_cpus()} CPUs",
        "date": datetime.date.today().isoformat(), "wall_time_s": round(wall, 1),
        "wall_time_per_point_s": round(wall / max(len(points), 1), 3),
        "command": f"python -m mlip_conformance.references.generate --set exact --curve {name}"})
    return curve, metadata


def merge_curve(set_name, curve_name, points, progress):
    """Compute one curve and write it into the shipped file, leaving the other curves as they are."""
    if set_name == "exact":
        curve, metadata = compute_exact_curve(curve_name, points, progress)
    else:
        curve, metadata = compute_dft_curve(set_name, curve_name, points, progress)
    record = json.loads((data.DATA_DIR / f"{set_name}.json").read_text())   # read now, not at start
    record.pop("sha256", None)
    record["curves"][curve_name] = curve
    described = record["metadata"].setdefault("curves", {})
    described[curve_name] = metadata
    if set_name == "exact":
        _describe_existing_singlet(record["metadata"], described)
        record["metadata"]["description"] = EXACT_DESCRIPTION
        record["metadata"]["literature_use"] = LITERATURE_USE
    return data.save(set_name, record)


def _describe_existing_singlet(metadata, described):
    """Per-curve metadata for a singlet computed before curves carried their own."""
    if "h2_singlet" in described:
        return
    singlet = {key: metadata[key] for key in ("code", "machine", "date", "wall_time_s") if key in metadata}
    described["h2_singlet"] = dict(_singlet_curve([], lambda *a: None)[1], **singlet,
                                   command="python -m mlip_conformance.references.generate --set exact --curve h2_singlet")


DFT_DESCRIPTIONS = {
    "wb97m-v": dict(
        description="H2 singlet curves at the OMol25 level of theory, ωB97M-V/def2-TZVPD: restricted "
                    "(RKS, as OMol25 computed closed-shell singlets) and broken-symmetry unrestricted "
                    "(UKS); H atom by UKS.",
        functional="ωB97M-V (pyscf xc='wb97m-v': range-separated hybrid meta-GGA, libxc)",
        dispersion="VV10 non-local correlation, switched on by pyscf for xc='wb97m-v' (b = 6.0, "
                   "C = 0.01); no D3/D4",
        basis_error="def2-TZVPD is the basis OMol25 used, so the reference is the training level "
                    "itself, not the complete-basis limit; its basis error is not measured here.",
        notes="XC grid level 5; VV10 grid level 1 (pyscf's default is 3), measured to change RKS "
              "energies by 3e-9 Eh at 0.74 Å and 1e-7 Eh at 3.0 Å. OMol25 itself was computed with "
              "ORCA (DEFGRID3); grid differences are far below the suite's 1 kcal/mol tolerances. "
              "The UKS curve of this functional is not monotonic beyond its well (a few meV hump "
              "near 3 Å, a shallow well near 4.3 Å): the functional, not exact physics."),
    "pbe": dict(
        description="H2 singlet curves in PBE/def2-TZVPD (the functional of MPtrj), broken-symmetry "
                    "unrestricted (UKS, like spin-polarised VASP, ISPIN=2) and restricted (RKS); H atom "
                    "by UKS.",
        functional="PBE (pyscf xc='pbe', libxc GGA_X_PBE + GGA_C_PBE)",
        dispersion="none (MPtrj PBE has no dispersion correction)",
        basis_error="def2-TZVPD Gaussian basis, all-electron. MPtrj is plane-wave PAW PBE (VASP, "
                    "520 eV): the absolute energies differ (PAW pseudo-atom energies, MP2020 "
                    "corrections) and are never compared, and models trained on MPtrj declare "
                    "absolute_energies=False; the curve shape E(r) − E(10 Å) of H2 agrees with a "
                    "converged plane-wave PBE curve to within a few meV in the well.",
        notes="XC grid level 5. Compare shapes relative to the model's own dissociation limit."),
    "wb97m-d3bj-tzvppd": dict(
        description="H2 singlet curves at the SPICE level of theory that MACE-OFF was trained on, "
                    "ωB97M-D3(BJ)/def2-TZVPPD: restricted (RKS, as SPICE computed closed-shell "
                    "molecules) and broken-symmetry unrestricted (UKS); H atom by UKS.",
        functional="ωB97M-V exchange–correlation without its VV10 term (pyscf xc='wb97m-d3bj', "
                   "libxc), plus D3(BJ)",
        dispersion="D3(BJ), two-body, s6 = 1, a1 = 0.5660, s8 = 0.3908, a2 = 3.1280 (Najibi & "
                   "Goerigk 2018), through pyscf-dispersion (simple-dftd3); no VV10",
        basis_error="def2-TZVPPD is the basis SPICE used (Psi4), so the reference is the training "
                    "level itself, not the complete-basis limit.",
        notes="XC grid level 5. SPICE was computed with Psi4; grid differences are far below the "
              "suite's 1 kcal/mol tolerances. The D3(BJ) energy of H2 is −0.21 mEh at 0.74 Å."),
    "wb97m-d3bj-tzvpp": dict(
        description="H2 singlet curves at the AIMNet2 level of theory, ωB97M-D3(BJ)/def2-TZVPP: "
                    "restricted (RKS) and broken-symmetry unrestricted (UKS); H atom by UKS.",
        functional="ωB97M-V exchange–correlation without its VV10 term (pyscf xc='wb97m-d3bj', "
                   "libxc), plus D3(BJ)",
        dispersion="D3(BJ), two-body, s6 = 1, a1 = 0.5660, s8 = 0.3908, a2 = 3.1280 (Najibi & "
                   "Goerigk 2018; the same numbers aimnet's model registry adds post hoc to the "
                   "wb97m-d3 family), through pyscf-dispersion (simple-dftd3); no VV10",
        basis_error="def2-TZVPP is the basis of AIMNet2's training data (Anstine, Zubatyuk and "
                    "Isayev, Chem. Sci. 2025), so the reference is the training level itself.",
        notes="XC grid level 5. AIMNet2's wb97m-d3 models learn the closed-shell (restricted) "
              "energy; the level string 'wb97m-d3' in aimnet's names means D3 with BJ damping."),
}

OPEN_SHELL_CURVES = {"h2_cation_uks": (1, 2), "h2_triplet_uks": (0, 3)}
"""Curve name → (charge, multiplicity) of the UKS curves a set carries for models that read
charge and spin: only the ωB97M-V set (OMol25 has cations and triplets; the MPtrj and SPICE
models read neither)."""
DFT_OPEN_SHELL = {"wb97m-v": ("h2_cation_uks", "h2_triplet_uks")}


def compute_dft_set(name, points, progress):
    import pyscf
    from mlip_conformance.references import dft

    settings = DFT_SETTINGS[name]
    start = time.time()
    hydrogen, restricted, unrestricted = dft.curves(settings, points, progress)
    open_shell, open_shell_metadata = {}, {}
    for curve in DFT_OPEN_SHELL.get(name, ()):
        open_shell[curve], open_shell_metadata[curve] = compute_dft_curve(name, curve, points, progress)
    wall = time.time() - start
    r = [float(x) for x in points]
    cf_grid, cf_refined = dft.coulson_fischer_point(
        r, [p.energy for p in restricted], [p.energy for p in unrestricted])
    text = DFT_DESCRIPTIONS[name]
    return {
        "name": name,
        "metadata": {
            "description": text["description"],
            "method": f"Kohn–Sham DFT, {settings.xc}; SCF to {dft.CONVERGENCE_HARTREE:g} Eh, accepted "
                      "only if stationary (unshifted orbital gradient < "
                      f"{dft.STATIONARY_GRADIENT:g}) and aufbau; lowest of the starts kept",
            "basis": settings.basis,
            "spin_treatment": "two curves: h2_singlet_rks (restricted, one spatial orbital) and "
                              "h2_singlet_uks (unrestricted broken-symmetry: lowest of an α-on-one-"
                              "atom/β-on-the-other atomic-density start and continuation from the "
                              "previous distance, each with DIIS then a 1 Eh level shift without "
                              "DIIS); the H atom is UKS",
            "functional": text["functional"],
            "dispersion": text["dispersion"],
            "grid_level": settings.grid_level,
            "nlc_grid_level": settings.nlc_grid_level,
            "settings": settings.describe(),
            "geometry_units": "bohr, converted from the Å grid with the CODATA 2018 bohr",
            "basis_error": text["basis_error"],
            "notes": text["notes"],
            "statuses": {"converged": "a stationary aufbau SCF solution",
                         "fragment-limit": f"UKS did not converge at r ≥ {dft.FRAGMENT_LIMIT_FROM_ANGSTROM:g} Å; "
                                           "the energy is 2E(H, UKS), justified by fragment_limit_evidence",
                         "not-converged": "no accepted solution; energy null"},
            "fragment_limit_evidence": fragment_limit_evidence(r, unrestricted, hydrogen),
            "coulson_fischer_angstrom": {"first_grid_point_split_over_1e-6_hartree": cf_grid,
                                         "refined_sqrt_gap_linear": cf_refined},
            "code": f"pyscf {pyscf.__version__}, numpy {np.__version__}, python {platform.python_version()}",
            "machine": f"{platform.machine()}, {platform_cpus()} CPUs, 1 thread",
            "date": datetime.date.today().isoformat(),
            "wall_time_s": round(wall, 1),
            "wall_time_per_point_s": round(wall / max(len(r), 1), 2),
            "command": f"python -m mlip_conformance.references.generate --set {name}",
            "curves": open_shell_metadata,
        },
        "units": {"r": "angstrom", "energy": "hartree"},
        "atoms": {"H": {"energy": hydrogen, "charge": 0, "multiplicity": 2, "spin_treatment": "UKS"}},
        "curves": dict({
            "h2_singlet_rks": _curve_record(r, restricted),
            "h2_singlet_uks": dict(_curve_record(r, unrestricted),
                                   spin_squared=[p.spin_squared for p in unrestricted]),
        }, **open_shell),
    }


def _curve_record(r, points, charge=0, multiplicity=1):
    return {"charge": charge, "multiplicity": multiplicity, "r": r, "energy": [p.energy for p in points],
            "status": [p.status for p in points], "start": [p.start for p in points]}


def compute_dft_curve(name, curve_name, points, progress):
    """(curve record, curve metadata) for one open-shell UKS curve of a DFT set."""
    from mlip_conformance.references import dft
    charge, multiplicity = OPEN_SHELL_CURVES[curve_name]
    settings = DFT_SETTINGS[name]
    start = time.time()
    curve = dft.open_shell_curve(settings, points, charge, multiplicity, progress)
    wall = time.time() - start
    record = dict(_curve_record([float(x) for x in points], curve, charge, multiplicity),
                  spin_squared=[p.spin_squared for p in curve])
    state = {"h2_cation_uks": "H2⁺ (one electron, doublet)", "h2_triplet_uks": "triplet H2 (S = 1)"}
    return record, {
        "state": state[curve_name],
        "method": f"UKS {settings.xc}, aufbau, lowest of pyscf's default start and continuation "
                  "from the previous distance; accepted only if stationary and aufbau",
        "basis": settings.basis,
        "spin_treatment": f"unrestricted (UKS), charge {charge}, multiplicity {multiplicity}",
        "notes": {"h2_cation_uks": "one electron: exact theory has no self-interaction, but the "
                                   "functional does; its delocalization error makes stretched H2⁺ "
                                   "fall far below E(H) (a property of the level of theory)",
                  "h2_triplet_uks": "the lowest aufbau UKS triplet (σg¹σu¹ near and beyond the "
                                    "well); at the UKS level no spatial symmetry is imposed"}[curve_name],
        "settings": settings.describe(),
        "code": code_versions(), "machine": f"{platform.machine()}, {platform_cpus()} CPUs, 1 thread",
        "date": datetime.date.today().isoformat(), "wall_time_s": round(wall, 1),
        "wall_time_per_point_s": round(wall / max(len(points), 1), 2),
        "command": f"python -m mlip_conformance.references.generate --set {name} --curve {curve_name}"}


def fragment_limit_evidence(r, unrestricted, hydrogen):
    """max |E_UKS(R) − 2E(H)| over converged points from 8 Å: what a fragment-limit point relies on."""
    from mlip_conformance.references import dft
    far = [(x, p.energy - 2 * hydrogen) for x, p in zip(r, unrestricted)
           if x >= dft.FRAGMENT_LIMIT_FROM_ANGSTROM - 1e-9 and p.status == "converged"]
    if not far:
        return None
    return {"converged_points_from_angstrom": dft.FRAGMENT_LIMIT_FROM_ANGSTROM,
            "count": len(far), "max_abs_e_minus_2eh_hartree": max(abs(d) for _, d in far)}


def _dft_settings():
    from mlip_conformance.references import dft
    return {"wb97m-v": dft.WB97M_V, "pbe": dft.PBE, "wb97m-d3bj-tzvppd": dft.WB97M_D3BJ_TZVPPD,
            "wb97m-d3bj-tzvpp": dft.WB97M_D3BJ_TZVPP}


def _dft_generator(name):
    return lambda points, progress: compute_dft_set(name, points, progress)


DFT_SETTINGS = _dft_settings()
GENERATORS = dict({"exact": compute_exact_set}, **{name: _dft_generator(name) for name in DFT_SETTINGS})


def platform_cpus():
    import os
    return os.cpu_count()


def print_progress(done, total, text):
    width = 30
    filled = int(width * done / total)
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {text}", end="",
          file=sys.stderr, flush=True)
    if done == total:
        print(file=sys.stderr)


def spread(grid, n):
    """n points spread evenly over the grid, ends included."""
    return grid[np.unique(np.linspace(0, len(grid) - 1, n).round().astype(int))]


def check_against_shipped(name, n_points):
    """Recompute n points of every curve of a set and return the largest difference (Eh).

    A point whose status differs from the shipped one (e.g. converged vs fragment-limit)
    counts as an infinite difference: the data would not be what the generator produces.
    """
    shipped = data.load(name)
    points = spread(np.asarray(next(iter(shipped["curves"].values()))["r"]), n_points)
    fresh = GENERATORS[name](points, print_progress)
    worst = 0.0
    for curve_name, curve in shipped["curves"].items():
        shipped_at = {round(float(r), 6): i for i, r in enumerate(curve["r"])}
        new = fresh["curves"][curve_name]
        for j, r in enumerate(points):
            i = shipped_at[round(float(r), 6)]
            old_status = curve.get("status", ["converged"] * len(curve["r"]))[i]
            new_status = new.get("status", ["converged"] * len(points))[j]
            diff = _difference(new["energy"][j], curve["energy"][i], new_status, old_status)
            worst = max(worst, abs(diff))
            print(f"{curve_name} r = {r:6.2f} Å  recomputed {new['energy'][j]} ({new_status})  "
                  f"shipped {curve['energy'][i]} ({old_status})  diff {diff:+.1e} Eh")
    return worst


def _difference(new, old, new_status, old_status):
    if new_status != old_status:
        return float("inf")
    if new is None and old is None:
        return 0.0
    return new - old


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mlip_conformance.references.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(GENERATORS), action="append",
                        help="reference set to regenerate (repeatable; default: all)")
    parser.add_argument("--curve", choices=sorted(EXACT_CURVES) + sorted(OPEN_SHELL_CURVES),
                        help="compute only this curve of the set and merge it into the shipped file "
                             "(exact: h2_singlet, h2_triplet, h2_cation; wb97m-v: h2_cation_uks, "
                             "h2_triplet_uks)")
    parser.add_argument("--points", type=int,
                        help="recompute only this many points and compare with the shipped data")
    args = parser.parse_args(argv)
    if args.curve:
        allowed = EXACT_CURVES if args.set == ["exact"] else (
            DFT_OPEN_SHELL.get(args.set[0], ()) if args.set and len(args.set) == 1 else ())
        if args.curve not in allowed:
            parser.error(f"--curve {args.curve} needs one --set that has it")
        print(f"wrote {merge_curve(args.set[0], args.curve, H2_GRID_ANGSTROM, print_progress)}")
        return 0
    for name in args.set or sorted(GENERATORS):
        if args.points:
            worst = check_against_shipped(name, args.points)
            print(f"{name}: largest difference from shipped data {worst:.1e} Eh")
            if worst > 1e-6:
                return 1
            continue
        result = GENERATORS[name](H2_GRID_ANGSTROM, print_progress)
        path = data.save(name, result)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
