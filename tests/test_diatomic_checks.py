"""Self-tests of the diatomic ground states (references/diatomics.py), their classification as bound
or at the noise floor (conformance/catalogue.py), and the checks against experiment
(conformance/test_curve_accuracy.py).

In-process: every catalogue pair has a cited, plausible ground state; the classification follows
from the data and one tolerance; the spin–orbit corrections are G3's; the well measurement
recovers Re and De from a Morse curve on each pair's own grid.  In subprocesses: the lawful
many-body toy passes every curve law and its variant with unbound N2, CO and HF fails exactly
their shape laws; a Morse model built from experiment passes every curve check, laws and
accuracy, and its misfit variant fails exactly the check aimed at each planted error.
"""

import numpy as np
import pytest

import suite
from mlip_conformance.conformance import catalogue, systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.metrics import measured_well
from mlip_conformance.references import exact
from mlip_conformance.references.constants import KCAL_PER_MOL_EV
from mlip_conformance.references.diatomics import GROUND_STATES, spin_orbit_lowering_ev
from suite import assert_fails_exactly, assert_only_not_applicable_skips

TOYS = suite.REPO / "tests" / "many_body_models.py"
MORSE = suite.REPO / "tests" / "diatomic_models.py"
NOISE_FLOOR_PAIRS = {"He2", "Ne2", "HeH"}
DIATOMICS = [entry for entry in catalogue.CURVES if entry.group == "diatomics"]


# ---- the data ---------------------------------------------------------------------------------

def test_every_catalogue_pair_has_a_cited_ground_state():
    assert set(GROUND_STATES) == set(systems.DIATOMICS)
    for pair, state in GROUND_STATES.items():
        assert state.pair == pair and state.short and state.source, pair
        assert sorted(state.atoms) == sorted(systems.DIATOMICS[pair][:2]), pair
        assert state.accurate or state.note, f"{pair}: a rough De must say why"
        # every value rests on a named source: HH, or authors with a year
        assert "Huber" in state.source or any(str(year) in state.source for year in range(1960, 2030)), pair


def test_ground_states_are_physically_plausible():
    for pair, state in GROUND_STATES.items():
        depth = state.well_depth_ev
        if pair in NOISE_FLOOR_PAIRS:
            assert 0 < depth < 5e-3, pair
            continue
        assert 0.1 < depth < 12.0, (pair, depth)
        # Re between 0.6 and 1.3 times the sum of covalent radii (Cordero et al. 2008)
        ratio = state.re_angstrom / catalogue.BY_NAME.get(pair, catalogue.BY_NAME["H2"]).covalent_sum
        assert 0.6 < ratio < 1.3, (pair, ratio)
        if state.d0_ev is not None:   # De = D0 + G(0): the zero-point energy of a stiff bond is tenths of an eV
            assert 0.01 < state.zero_point_ev < 0.3 and state.d0_ev < state.measured_de_ev, pair


def test_de_from_d0_and_spectroscopic_constants_matches_the_exact_h2_curve():
    """HH's D0 plus G(0) gives the Born–Oppenheimer well of H2 within 1 meV (4.7472 vs 4.7477 eV)."""
    assert GROUND_STATES["H2"].well_depth_ev == pytest.approx(exact.H2_DE_EV, abs=1e-3)
    assert GROUND_STATES["H2"].re_angstrom == exact.H2_RE_ANGSTROM


def test_spin_orbit_lowerings_are_those_of_g3_theory():
    """Curtiss et al., J. Chem. Phys. 109, 7764 (1998), Table II, in kcal/mol: B 0.03, C 0.08, O 0.22,
    F 0.39, Cl 0.84; atoms without fine structure in their ground term 0."""
    g3 = {"B": 0.03, "C": 0.08, "O": 0.22, "F": 0.39, "Cl": 0.84, "H": 0.0, "N": 0.0, "Na": 0.0, "Li": 0.0}
    for symbol, kcal in g3.items():
        assert spin_orbit_lowering_ev(symbol) / KCAL_PER_MOL_EV == pytest.approx(kcal, abs=0.006), symbol
    # Cl2 is corrected beyond chemical accuracy; closed-shell molecules keep their atoms' whole correction
    assert GROUND_STATES["Cl2"].spin_orbit_correction_ev > tol.CHEMICAL_ACCURACY_EV
    assert GROUND_STATES["HCl"].spin_orbit_correction_ev == pytest.approx(spin_orbit_lowering_ev("Cl"))
    # a ²Π molecule gives back |A|/2 of its atoms' lowering: OH keeps 1 meV of O's 9.7 meV
    assert 0 < GROUND_STATES["OH"].spin_orbit_correction_ev < 2e-3


def test_classification_follows_from_the_measured_well_depth():
    shapes = {entry.name: entry.bound for entry in DIATOMICS}
    assert {name for name, bound in shapes.items() if bound is None} == NOISE_FLOOR_PAIRS
    assert all(bound is True for name, bound in shapes.items() if name not in NOISE_FLOOR_PAIRS)
    assert catalogue.bound_from_experiment(GROUND_STATES["H2"]) is catalogue.BY_NAME["H2"].bound is True
    # no pair in the band where neither "one well or none" nor "exactly one well" would follow from
    # chemical accuracy: between the threshold and twice chemical accuracy plus the wiggle
    ambiguous = (tol.BOUND_WELL_DEPTH_EV, 2 * tol.CHEMICAL_ACCURACY_EV + tol.WIGGLE_EV)
    assert not [p for p, s in GROUND_STATES.items() if ambiguous[0] <= s.well_depth_ev <= ambiguous[1]]


def test_experimental_checks_cover_the_bound_states_with_accurate_data():
    re_checked = {e.name for e in catalogue.CURVES if e.experiment and e.bound is True}
    assert re_checked == set(GROUND_STATES) - NOISE_FLOOR_PAIRS
    de_checked = {name for name in re_checked if GROUND_STATES[name].accurate}
    assert de_checked >= {"H2", "N2", "O2", "F2", "Cl2", "CO", "NO", "HF", "HCl", "C2", "Be2", "Li2", "Na2"}
    assert {"B2", "BeH", "BH", "NH", "LiF", "NaCl"}.isdisjoint(de_checked)


@pytest.mark.parametrize("entry", [e for e in DIATOMICS if e.bound], ids=lambda e: e.name)
def test_the_grid_resolves_the_measured_well(entry):
    """The measured Re lies in the part of the grid spaced by 0.05 or 0.025 × the covalent radii sum
    (0.4–1.6 of it; triple bonds, N2 and CO, sit at 0.77–0.8), and the well measurement recovers Re
    and De of a Morse curve there (width 1–3 Å⁻¹, shifted off the grid points) to a tenth of the
    tolerances."""
    state = entry.experiment
    assert 0.6 * entry.covalent_sum < state.re_angstrom < 1.6 * entry.covalent_sum
    r = np.asarray(entry.grid)
    for width in (1.0, 2.0, 3.0):
        for shift in (-0.013, 0.0071):
            r_e = state.re_angstrom + shift
            energy = state.well_depth_ev * ((1 - np.exp(-width * (r - r_e))) ** 2 - 1)
            found = measured_well(r, energy, energy[-1])
            assert found.fitted and abs(found.r_e - r_e) < tol.BOND_LENGTH_ANGSTROM / 10
            assert abs(found.depth - (energy[-1] + state.well_depth_ev)) < tol.CHEMICAL_ACCURACY_EV / 10


def test_a_curve_without_a_well_is_lowest_at_its_far_end():
    r = np.linspace(0.5, 12.0, 40)
    found = measured_well(r, np.exp(-r), np.exp(-12.0))
    assert not found.fitted and found.r_e == found.r_lowest == 12.0 and found.depth == 0.0


# ---- the suite on toy models ------------------------------------------------------------------

def _run(pytester, spec, *modules):
    return suite.run_suite(pytester, spec, modules=list(modules))


SHAPE = ["test_curve_has_the_wells_of_its_state", "test_bond_force_changes_sign_as_the_shape_requires"]


def test_lawful_toy_passes_every_curve_law(pytester):
    run = _run(pytester, f"{TOYS}:Toy", "test_curves.py")
    assert run.exit_code == 0, run.output[-3000:]
    assert_only_not_applicable_skips(run)
    # its elements make twelve bound diatomics of the catalogue, each with its one well
    bound = {e.name for e in DIATOMICS if e.bound and set(e.symbols) <= {"H", "C", "N", "O", "F", "Cl"}}
    assert len(bound) == 12
    assert {f"{law}[{name}]" for law in SHAPE for name in bound} <= run.with_outcome("passed")


def test_toy_with_unbound_n2_co_and_hf_fails_exactly_their_shape_laws(pytester):
    """No well where the state is bound: the well count and the single sign change of the force fail.
    Nothing else can: the curve still falls monotonically (to the cutoff, then stays flat), the wall
    still repels, the curve still ends at its atoms and the energy is still the integral of the force."""
    run = _run(pytester, f"{TOYS}:UnboundPairs", "test_curves.py")
    assert_fails_exactly(run, [f"{law}[{name}]" for law in SHAPE for name in ("N2", "CO", "HF")],
                         "CO X¹Σ⁺ (multiplicity 1): a bound state: exactly one well, but the model's curve has 0 minima")


def test_morse_curves_of_experiment_pass_every_curve_check(pytester):
    run = _run(pytester, f"{MORSE}:ExperimentalMorse", "test_curves.py", "test_curve_accuracy.py")
    assert run.exit_code == 0, run.output[-3000:]
    assert_only_not_applicable_skips(run)
    checked = {e.name for e in catalogue.CURVES if e.experiment and e.bound is True}
    passed = run.with_outcome("passed")
    assert {f"test_bond_length_against_experiment[{name}]" for name in checked} <= passed
    assert {f"test_well_depth_against_experiment[{name}]" for name in checked
            if GROUND_STATES[name].accurate} <= passed
    assert {f"test_curve_has_the_wells_of_its_state[{name}]" for name in NOISE_FLOOR_PAIRS} <= passed


def test_misfit_morse_fails_exactly_the_check_aimed_at_each_error(pytester):
    """N2 0.02 Å long fails Re only; CO 0.1 eV shallow fails De only; unbound HF fails its shape laws
    and both checks against experiment."""
    run = _run(pytester, f"{MORSE}:MisfitMorse", "test_curves.py", "test_curve_accuracy.py")
    assert_fails_exactly(run, ["test_bond_length_against_experiment[N2]", "test_well_depth_against_experiment[CO]",
                               *[f"{law}[HF]" for law in SHAPE + ["test_bond_length_against_experiment",
                                                                    "test_well_depth_against_experiment"]]],
                         "declares no reference level of theory")
