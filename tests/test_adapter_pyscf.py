"""The pyscf adapter: real quantum chemistry as a model, checked against what it must reproduce.

Small basis sets (cc-pVDZ, STO-3G) keep the file near 40 s on two cores; the end-to-end run
of the whole suite on FCI/cc-pVDZ is most of it (~20 s).
"""

import numpy as np
import pytest

from mlip_conformance.conformance import systems
from mlip_conformance.references.constants import COULOMB_EV_ANGSTROM, HARTREE_EV, KCAL_PER_MOL_EV

pytest.importorskip("pyscf")

from mlip_conformance.adapters import ModelUsageError, load_model  # noqa: E402
from mlip_conformance.adapters.pyscf_model import build_molecule, make_pyscf  # noqa: E402
from mlip_conformance.references import fci2e  # noqa: E402
from suite import REPO  # noqa: E402

SMALL_BASIS = "cc-pvdz"
EXACT_H_ATOM_EV = -0.5 * HARTREE_EV
H_ATOM_BASIS_ERROR_EV = 0.03
"""E(H)/cc-pVDZ lies 19.5 meV above −½ Eh (measured); 30 meV allows that and nothing coarser."""
STEP_ANGSTROM = 1e-3
"""Central differences of the model's own energy: truncation h²|E'''|/6 < 3e-4 eV/Å at 0.5 Å."""


@pytest.fixture(scope="module")
def fci():
    return make_pyscf(method="fci", basis=SMALL_BASIS, threads=1)


def bond_force(model, atoms):
    _, forces = model.evaluate([atoms])
    return forces[0][1, 2]


def central_difference_force(model, build, r, h=STEP_ANGSTROM):
    (shorter, longer), _ = model.evaluate([build(r - h), build(r + h)])
    return -(longer - shorter) / (2 * h)


@pytest.mark.parametrize("r", [0.2, 1.0, 10.0])
def test_bare_protons_repel_by_coulombs_law_with_analytic_forces(fci, r):
    (energy,), (forces,) = fci.evaluate([systems.bare_protons(r)])
    assert energy == pytest.approx(COULOMB_EV_ANGSTROM / r, rel=1e-12)
    assert forces[:, 2] == pytest.approx([-COULOMB_EV_ANGSTROM / r**2, COULOMB_EV_ANGSTROM / r**2], rel=1e-12)
    assert np.abs(forces[:, :2]).max() == 0


def test_bare_nuclei_cluster_and_lone_nucleus(fci):
    cluster = systems.bare_cluster(["He", "H", "H"], [(0, 0, 0), (1.0, 0, 0), (0, 2.0, 0)])
    (energy, lone), _ = fci.evaluate([cluster, systems.bare_nucleus("He")])
    expected = COULOMB_EV_ANGSTROM * (2 / 1.0 + 2 / 2.0 + 1 / np.sqrt(5.0))
    assert energy == pytest.approx(expected, rel=1e-12)
    assert lone == 0


@pytest.mark.parametrize("method", ["fci", "uhf", "ccsd"])
def test_hydrogen_atom_is_exact_within_the_basis(method):
    model = make_pyscf(method=method, basis=SMALL_BASIS)
    (energy,), (forces,) = model.evaluate([systems.hydrogen_atom()])
    within_basis = fci2e.one_electron_energy(build_molecule(systems.hydrogen_atom(), SMALL_BASIS))
    assert energy == pytest.approx(within_basis * HARTREE_EV, abs=1e-7)
    assert 0 < energy - EXACT_H_ATOM_EV < H_ATOM_BASIS_ERROR_EV
    assert np.abs(forces).max() < 1e-8


@pytest.mark.parametrize("r, spin", [(0.3, 1), (0.74, 1), (3.0, 1), (1.5, 3)])
def test_two_electron_fci_energy_is_the_direct_solver_energy(fci, r, spin):
    atoms = systems.h2(r, spin=spin)
    (energy,), _ = fci.evaluate([atoms])
    direct = fci2e.two_electron_energy(build_molecule(atoms, SMALL_BASIS), spin)
    assert energy == pytest.approx(direct.energy * HARTREE_EV, abs=1e-8)


@pytest.mark.parametrize("r", [0.5, 0.74, 1.6, 4.0])
def test_singlet_fci_forces_are_minus_the_energy_gradient(fci, r):
    expected = central_difference_force(fci, systems.h2, r)
    assert bond_force(fci, systems.h2(r)) == pytest.approx(expected, rel=1e-4, abs=1e-5)


def test_triplet_fci_forces_are_minus_the_energy_gradient(fci):
    def triplet(r):
        return systems.h2(r, spin=3)
    # 1.2 Å: beyond the short-range region where other triplet states cross (shared notes).
    expected = central_difference_force(fci, triplet, 1.2)
    assert expected > 0.1   # b³Σu⁺ is repulsive
    assert bond_force(fci, triplet(1.2)) == pytest.approx(expected, rel=1e-4)


def test_fci_needs_no_converged_scf(fci):
    """RHF does not converge for H + H 20 Å apart (σg and σu degenerate), and the He triplet has
    no usable UHF guess: the direct FCI energy needs neither, forces then come from its central
    differences (two atoms) or vanish (one atom)."""
    (far, he_triplet, atom), (forces, he_forces, _) = fci.evaluate(
        [systems.h2(20.0), systems.atom("He", spin=3), systems.hydrogen_atom()])
    assert far == pytest.approx(2 * atom, abs=1e-6)
    assert np.abs(forces).max() < 1e-6 and np.abs(he_forces).max() == 0
    (singlet,), _ = fci.evaluate([systems.atom("He")])
    assert he_triplet > singlet


def test_off_axis_forces_are_equivariant_and_balanced(fci):
    direction = np.array([1.0, 2.0, 3.0]) / np.sqrt(14.0)
    tilted = systems.structure("H2", [(0, 0, 0), 0.9 * direction])
    (_, along_z), (forces, reference) = fci.evaluate([tilted, systems.h2(0.9)])
    assert tilted and along_z
    assert forces.sum(axis=0) == pytest.approx(np.zeros(3), abs=1e-8)
    assert forces[1] == pytest.approx(reference[1, 2] * direction, abs=1e-6)


def test_ccsd_is_fci_for_two_electrons():
    ccsd = make_pyscf(method="ccsd", basis=SMALL_BASIS)
    fci = make_pyscf(method="fci", basis=SMALL_BASIS)
    (e_cc,), (f_cc,) = ccsd.evaluate([systems.h2(1.1)])
    (e_fci,), (f_fci,) = fci.evaluate([systems.h2(1.1)])
    assert e_cc == pytest.approx(e_fci, abs=1e-7)
    assert f_cc == pytest.approx(f_fci, abs=1e-5)
    assert ccsd.capabilities.level_of_theory == "exact"


def test_fci_beyond_two_electrons_matches_pyscf_fci_and_its_gradient():
    """H3 (doublet: finite differences) and H4 (singlet: analytic CASCI), STO-3G to stay cheap;
    energies and forces against pyscf's own FCI energy and its central differences."""
    model = make_pyscf(method="fci", basis="sto-3g")
    h3 = systems.structure("H3", [(0, 0, 0), (0, 0, 0.9), (0.3, 0, 1.9)], spin=2)
    h4 = systems.structure("H4", [(0, 0, 0), (0, 0, 0.9), (1.0, 0, 0.1), (1.1, 0, 1.0)], spin=1)
    for atoms in (h3, h4):
        (energy,), (forces,) = model.evaluate([atoms])
        assert energy == pytest.approx(pyscf_fci_energy_ev(atoms), abs=1e-6)
        moved, back = atoms.copy(), atoms.copy()
        moved.positions[2, 0] += STEP_ANGSTROM
        back.positions[2, 0] -= STEP_ANGSTROM
        slope = (pyscf_fci_energy_ev(moved) - pyscf_fci_energy_ev(back)) / (2 * STEP_ANGSTROM)
        assert forces[2, 0] == pytest.approx(-slope, rel=1e-4, abs=1e-5)
        assert forces.sum(axis=0) == pytest.approx(np.zeros(3), abs=1e-4)


def pyscf_fci_energy_ev(atoms):
    from pyscf import fci, scf
    mean_field = scf.ROHF(build_molecule(atoms, "sto-3g")).run()
    return fci.FCI(mean_field).kernel()[0] * HARTREE_EV


def test_uhf_dissociates_h2_into_two_atoms_but_restricted_dft_does_not():
    """The restricted determinant cannot separate into two open-shell atoms.

    Restricted Kohn–Sham H2 at 10 Å is two spin-unpolarised H atoms; in PBE each lies about
    1.1 eV above the spin-polarised atom (measured: +2.26 eV for the pair in cc-pVDZ; the shared
    notes give +2.2 eV at 6 Å in def2-TZVPD).  1 eV is under half of that, so any basis passes,
    yet it is 23 times the 1 kcal/mol tolerance of the suite's dissociation law.
    """
    uhf = make_pyscf(method="uhf", basis=SMALL_BASIS)
    rks = make_pyscf(method="rks", basis=SMALL_BASIS, xc="pbe")
    uks = make_pyscf(method="uks", basis=SMALL_BASIS, xc="pbe")
    pair = [systems.h2(10.0), systems.hydrogen_atom()]
    (uhf_h2, uhf_h), _ = uhf.evaluate(pair)
    (rks_h2, rks_h), _ = rks.evaluate(pair)
    (uks_h2, uks_h), _ = uks.evaluate(pair)
    assert abs(uhf_h2 - 2 * uhf_h) < 1e-6
    assert abs(uks_h2 - 2 * uks_h) < 0.01 * KCAL_PER_MOL_EV
    assert rks_h == pytest.approx(uks_h, abs=1e-6)     # one electron: ROKS and UKS agree
    assert rks_h2 - 2 * rks_h > 1.0
    assert rks.capabilities.level_of_theory is None and rks.name == "pyscf pbe/cc-pvdz"
    assert uhf.capabilities.level_of_theory is None and uhf.name == "pyscf uhf/cc-pvdz"


@pytest.mark.parametrize("options, message", [
    ({"method": "mp2"}, "unknown method 'mp2'; choose one of fci, ccsd, uhf, rks, uks"),
    ({"method": "rks"}, "method=rks needs a functional"),
    ({"method": "uks"}, "method=uks needs a functional"),
    ({"method": "fci", "xc": "pbe"}, "xc=pbe applies only to rks or uks"),
    ({"basis": "no-such-basis"}, "pyscf knows no basis set 'no-such-basis'"),
    ({"methd": "fci"}, "does not accept option(s) methd"),
])
def test_bad_options_are_one_line_usage_errors(options, message):
    with pytest.raises(ModelUsageError) as error:
        load_model("pyscf", options)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_impossible_charge_or_spin_fails_that_geometry_with_a_clear_message(fci):
    with pytest.raises(ValueError, match="spin multiplicity 2 is impossible for 2 electrons"):
        fci.evaluate([systems.h2(0.74, spin=2)])
    with pytest.raises(ValueError, match="leaves -1 electrons"):
        fci.evaluate([systems.h2(0.74, charge=3)])


FCI_CC_PVDZ_LAW_FINDINGS = {
    # exact laws that FCI in cc-pVDZ, or this adapter, cannot meet (results/pyscf-fci-cc-pvdz.json):
    "test_hydride_anion_is_bound",   # no diffuse functions: H⁻ lies 0.80 eV above H (exact −0.755 eV)
}


def test_whole_suite_on_fci_passes_every_law(run_suite, pytester):
    """FCI is exact physics within its basis: every law holds but the listed findings; accuracy is the basis's."""
    options = ("--model-option", "method=fci", "--model-option", f"basis={SMALL_BASIS}",
               "--model-option", "threads=1")
    run = run_suite("pyscf", *options)
    assert run.exit_code in (0, 1), run.output[-3000:]
    assert run.with_outcome("error") == set(), run.messages
    laws = law_tests(pytester, options)
    assert len(laws) > 60 and laws <= set(run.outcomes)
    not_applicable = {t for t in laws if run.outcomes[t] == "skipped" and "not applicable" in run.messages[t]}
    assert {test for test in laws - not_applicable if run.outcomes[test] != "passed"} == FCI_CC_PVDZ_LAW_FINDINGS, \
        run.messages
    # cc-pVDZ misses Re and De by basis error (a finding, reported); its H atom is 20 meV high.
    assert run.outcomes["test_hydrogen_atom_energy"] == "passed"
    assert {"test_equilibrium_bond_length[H2]", "test_well_depth[H2]"} <= run.with_outcome("failed")


def law_tests(pytester, options):
    """Names (as in the JUnit report) of the suite's tests marked `law`, by collecting them."""
    collected = pytester.runpytest_subprocess(
        "-c", str(REPO / "pytest.ini"), "--rootdir", str(REPO), str(REPO / "conformance"),
        "--model", "pyscf", *options, "-p", "no:cacheprovider", "--collect-only", "-q", "-m", "law")
    return {line.split("::")[-1] for line in collected.outlines if "::" in line}
