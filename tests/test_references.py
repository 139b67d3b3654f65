"""The shipped references: constants, the FCI solver, and the exact H2 data against the literature."""

import numpy as np
import pytest
from scipy.interpolate import CubicSpline

from references import constants, data, exact
from references.grids import H2_GRID_ANGSTROM

REQUIRED_METADATA = {"description", "method", "basis", "spin_treatment", "code", "machine", "date",
                     "wall_time_s", "command", "basis_error", "geometry_units"}


def test_codata_2018_constants():
    assert constants.COULOMB_EV_ANGSTROM == pytest.approx(14.399645478, abs=1e-9)
    assert constants.HARTREE_EV * constants.BOHR_ANGSTROM == constants.COULOMB_EV_ANGSTROM
    assert constants.KCAL_PER_MOL_EV == pytest.approx(0.0433641, rel=1e-6)


def test_exact_set_is_complete_and_on_the_suite_grid():
    record = data.load("exact")   # raises if the numbers do not match their checksum
    assert REQUIRED_METADATA <= set(record["metadata"])
    assert record["units"] == {"r": "angstrom", "energy": "hartree"}
    curve = record["curves"]["h2_singlet"]
    np.testing.assert_array_equal(curve["r"], H2_GRID_ANGSTROM)
    assert max(curve["davidson_residual"]) < 1e-6
    assert record["metadata"]["basis"] == "aug-cc-pV5Z"


def test_tampered_data_is_detected(tmp_path, monkeypatch):
    record = data.load("exact")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    data.save("tampered", record)
    text = (tmp_path / "tampered.json").read_text().replace(str(record["atoms"]["H"]["energy"]), "-0.4")
    (tmp_path / "tampered.json").write_text(text)
    with pytest.raises(ValueError, match="do not match their SHA-256"):
        data.load.__wrapped__("tampered")


def test_exact_curve_agrees_with_sims_and_hagstrom():
    """FCI/aug-cc-pV5Z binding energies vs the exact values: the stated basis-set error."""
    r, energy = exact.h2_curve_ev()
    spline = CubicSpline(r, energy)
    r_lit, e_lit = exact.literature_curve_ev()
    error_mhartree = (spline(r_lit) - e_lit) / constants.HARTREE_EV * 1e3
    near_equilibrium = r_lit >= constants.bohr_to_angstrom(1.0)
    assert np.all(np.abs(error_mhartree[near_equilibrium]) < 0.3), error_mhartree
    assert np.all(np.abs(error_mhartree) < 3.0), error_mhartree


def test_exact_curve_reproduces_pachucki_at_1_4_bohr():
    r, energy = exact.h2_curve_ev()
    at_1_4 = CubicSpline(r, energy)(constants.bohr_to_angstrom(exact.H2_PACHUCKI_R_BOHR))
    assert at_1_4 / constants.HARTREE_EV == pytest.approx(exact.H2_PACHUCKI_HARTREE, abs=3e-4)


def test_exact_curve_has_the_literature_spectroscopic_constants():
    from conformance.metrics import fit_well, harmonic_wavenumber
    r, energy = exact.h2_curve_ev()
    well = fit_well(r, energy)
    assert well.r_e == pytest.approx(exact.H2_RE_ANGSTROM, abs=1e-3)
    assert energy[-1] - well.energy == pytest.approx(exact.H2_DE_EV, abs=0.01)
    omega = harmonic_wavenumber(well.curvature, constants.PROTIUM_MASS_U / 2)
    assert omega == pytest.approx(exact.H2_OMEGA_E_CM, rel=0.01)


pyscf = pytest.importorskip("pyscf", reason="pyscf is needed to check the FCI solver")


def test_direct_two_electron_fci_matches_pyscf_fci():
    from pyscf import fci, scf

    from references.fci2e import h2_molecule, two_electron_energy
    for r in (0.3, 0.74, 3.0):
        mol = h2_molecule(r, "cc-pvdz")
        expected = fci.FCI(scf.RHF(mol).run()).kernel()[0]
        assert two_electron_energy(mol).energy == pytest.approx(expected, abs=1e-10)


def test_shipped_point_is_reproduced_by_the_generator():
    """Recompute the 10 Å point with the shipped settings (aug-cc-pV5Z, ~15 s)."""
    from references.generate import compute_exact_set
    fresh = compute_exact_set(np.array([10.0]), lambda *args: None)
    shipped = data.load("exact")
    assert fresh["curves"]["h2_singlet"]["energy"][0] == pytest.approx(
        shipped["curves"]["h2_singlet"]["energy"][-1], abs=1e-6)
    for element in ("H", "He"):
        assert fresh["atoms"][element]["energy"] == pytest.approx(shipped["atoms"][element]["energy"], abs=1e-6)
