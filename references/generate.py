"""Regenerate the shipped reference data with pyscf.

    python -m references.generate                 # every set, writes references/data/
    python -m references.generate --set exact     # one set
    python -m references.generate --points 5      # recompute 5 points and compare, write nothing

The ``exact`` set is FCI in aug-cc-pV5Z on the suite's H2 grid (5–15 s a point, 24 minutes
for the 133 points on a 2-core machine), plus the H and He atoms in the same basis.
The ``wb97m-v`` and ``pbe`` sets are Kohn–Sham DFT in def2-TZVPD (references/dft.py):
restricted and broken-symmetry unrestricted H2 singlet curves and the UKS H atom.
"""

import argparse
import datetime
import platform
import sys
import time

import numpy as np

from references import data
from references.grids import H2_GRID_ANGSTROM

EXACT_BASIS = "aug-cc-pV5Z"


def compute_exact_set(points, progress):
    import pyscf
    from references.fci2e import atom, h2_molecule, one_electron_energy, two_electron_energy

    start = time.time()
    energies, residuals = [], []
    for i, r in enumerate(points):
        result = two_electron_energy(h2_molecule(r, EXACT_BASIS))
        energies.append(float(result.energy))
        residuals.append(float(result.residual))
        progress(i + 1, len(points), f"r = {r:.2f} Å  E = {result.energy:.10f} Eh")
    helium = two_electron_energy(atom("He", EXACT_BASIS, spin=0))
    hydrogen = one_electron_energy(atom("H", EXACT_BASIS, spin=1))
    return {
        "name": "exact",
        "metadata": {
            "description": "Non-relativistic Born–Oppenheimer H2 ground state (X¹Σg⁺), "
                           "full CI: exact within the basis.",
            "method": "FCI (two-electron singlet, direct Davidson solver references/fci2e.py; "
                      "agrees with pyscf.fci to 1e-11 Eh)",
            "basis": EXACT_BASIS,
            "spin_treatment": "exact singlet (symmetric spatial wavefunction)",
            "linear_dependence_cutoff": 1e-6,
            "geometry_units": "bohr, converted from the Å grid with the CODATA 2018 bohr",
            "basis_error": "vs the exact BO energies of Sims & Hagstrom (2006), binding energies placed on 2E(H) = -1 Eh: +0.21 mEh at 1.4 bohr, below +0.3 mEh from 1.0 bohr (0.53 Å) outwards, +2.8 mEh at 0.4 bohr (0.21 Å); E(10 Å) - 2E(H) in this basis is -1.5e-7 Eh (size-consistent)",
            "code": f"pyscf {pyscf.__version__}, numpy {np.__version__}, python {platform.python_version()}",
            "machine": f"{platform.machine()}, {platform_cpus()} CPUs",
            "date": datetime.date.today().isoformat(),
            "wall_time_s": round(time.time() - start, 1),
            "command": "python -m references.generate --set exact",
        },
        "units": {"r": "angstrom", "energy": "hartree"},
        "atoms": {
            "H": {"energy": hydrogen, "charge": 0, "multiplicity": 2},
            "He": {"energy": float(helium.energy), "charge": 0, "multiplicity": 1},
        },
        "curves": {
            "h2_singlet": {"charge": 0, "multiplicity": 1, "r": [float(r) for r in points],
                           "energy": energies, "davidson_residual": residuals},
        },
    }


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
}


def compute_dft_set(name, points, progress):
    import pyscf
    from references import dft

    settings = DFT_SETTINGS[name]
    start = time.time()
    hydrogen, restricted, unrestricted = dft.curves(settings, points, progress)
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
            "command": f"python -m references.generate --set {name}",
        },
        "units": {"r": "angstrom", "energy": "hartree"},
        "atoms": {"H": {"energy": hydrogen, "charge": 0, "multiplicity": 2, "spin_treatment": "UKS"}},
        "curves": {
            "h2_singlet_rks": _curve_record(r, restricted),
            "h2_singlet_uks": dict(_curve_record(r, unrestricted),
                                   spin_squared=[p.spin_squared for p in unrestricted]),
        },
    }


def _curve_record(r, points):
    return {"charge": 0, "multiplicity": 1, "r": r, "energy": [p.energy for p in points],
            "status": [p.status for p in points], "start": [p.start for p in points]}


def fragment_limit_evidence(r, unrestricted, hydrogen):
    """max |E_UKS(R) − 2E(H)| over converged points from 8 Å: what a fragment-limit point relies on."""
    from references import dft
    far = [(x, p.energy - 2 * hydrogen) for x, p in zip(r, unrestricted)
           if x >= dft.FRAGMENT_LIMIT_FROM_ANGSTROM - 1e-9 and p.status == "converged"]
    if not far:
        return None
    return {"converged_points_from_angstrom": dft.FRAGMENT_LIMIT_FROM_ANGSTROM,
            "count": len(far), "max_abs_e_minus_2eh_hartree": max(abs(d) for _, d in far)}


def _dft_settings():
    from references import dft
    return {"wb97m-v": dft.WB97M_V, "pbe": dft.PBE}


DFT_SETTINGS = _dft_settings()
GENERATORS = {"exact": compute_exact_set,
              "wb97m-v": lambda points, progress: compute_dft_set("wb97m-v", points, progress),
              "pbe": lambda points, progress: compute_dft_set("pbe", points, progress)}


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
    parser = argparse.ArgumentParser(prog="python -m references.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(GENERATORS), action="append",
                        help="reference set to regenerate (repeatable; default: all)")
    parser.add_argument("--points", type=int,
                        help="recompute only this many points and compare with the shipped data")
    args = parser.parse_args(argv)
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
