"""The H2 ground-state curve: shape laws that hold for the exact solution, and accuracy
against the reference for the model's level of theory.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close, assert_falls_then_rises, assert_one_minimum
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.metrics import fit_well, harmonic_wavenumber, sign_changes
from mlip_conformance.references import exact
from mlip_conformance.references.constants import COULOMB_EV_ANGSTROM, HARTREE_EV, PROTIUM_MASS_U
from mlip_conformance.references.grids import DISSOCIATION_DISTANCE_ANGSTROM, H2_GRID_ANGSTROM

WALL_POINTS = [r for r in H2_GRID_ANGSTROM if r <= tol.UNITED_ATOM_MAX_R_ANGSTROM + 1e-9]
H2_REDUCED_MASS_U = PROTIUM_MASS_U / 2


def _r_ids(r):
    return f"r={r:.2f}"


pytestmark = pytest.mark.system("H2")


@pytest.mark.law
def test_h2_has_exactly_one_minimum(h2_curve):
    assert_one_minimum(h2_curve, "H2", f"{exact.H2_RE_ANGSTROM} Å")


@pytest.mark.law
def test_h2_energy_falls_to_the_minimum_then_rises(h2_curve):
    assert_falls_then_rises(h2_curve, "H2")


@pytest.mark.law
def test_h2_force_changes_sign_once(h2_curve):
    r, _, force = h2_curve.window()
    flips = sign_changes(force, tol.FORCE_SIGN_NOISE_EV_PER_A)
    significant = force[np.abs(force) >= tol.FORCE_SIGN_NOISE_EV_PER_A]
    record("force_sign_changes", "sign changes of the H2 bond force", flips, reference=1, tolerance=0)
    assert flips == 1 and significant[0] > 0, (
        f"the H2 bond force changes sign {flips} times (forces under "
        f"{tol.FORCE_SIGN_NOISE_EV_PER_A * 1e3:.0f} meV/Å ignored; starts "
        f"{'repulsive' if len(significant) and significant[0] > 0 else 'attractive'}); the exact force "
        "is repulsive inside the bond length and attractive outside: exactly one sign change")


@pytest.mark.law
@pytest.mark.parametrize("r", WALL_POINTS, ids=_r_ids)
def test_h2_wall_stays_above_united_atom_bound(h2_curve, hydrogen_atom, r):
    energy = h2_curve.at(r).energy - 2 * hydrogen_atom.energy
    united_atom = (exact.HE_ATOM_HARTREE - 2 * exact.H_ATOM_HARTREE) * HARTREE_EV
    bound = COULOMB_EV_ANGSTROM / r + united_atom - tol.UNITED_ATOM_SLACK_EV
    record("margin_above_bound", f"E({r:.2f} Å) − 2E(H) above the united-atom bound", energy - bound, units="eV")
    assert energy >= bound, (
        f"E({r:.2f} Å) − 2E(H) = {energy:.3f} eV lies below the united-atom bound {bound:.3f} eV "
        f"(k/r + E(He) − 2E(H) − {tol.UNITED_ATOM_SLACK_EV} eV): the electrons of H2 can never bind "
        f"more strongly than those of He, so the repulsive wall is too soft by {bound - energy:.3f} eV")


def _wells(h2_curve, reference):
    """(Well, depth) of the model and of the reference; the depth is E(10 Å) − E(Re)."""
    r, energy, _ = h2_curve.window(tol.CURVE_WINDOW_ANGSTROM[0])
    return _well(r, energy), _well(reference.h2_r, reference.h2_energy)


def _well(r, energy):
    well = fit_well(r, energy)
    return well, energy[np.argmin(np.abs(r - DISSOCIATION_DISTANCE_ANGSTROM))] - well.energy


@pytest.mark.accuracy
def test_h2_bond_length(h2_curve, reference):
    (model, _), (ref, _) = _wells(h2_curve, reference)
    assert_close(model.r_e, ref.r_e, tol.BOND_LENGTH_ANGSTROM, "H2 equilibrium bond length Re",
                 f"the {reference.name} reference", units="Å", key="bond_length")


@pytest.mark.accuracy
def test_h2_well_depth(h2_curve, reference):
    (_, model_depth), (_, ref_depth) = _wells(h2_curve, reference)
    assert_close(model_depth, ref_depth, tol.CHEMICAL_ACCURACY_EV,
                 f"H2 well depth E({DISSOCIATION_DISTANCE_ANGSTROM:g} Å) − E(Re)",
                 f"the {reference.name} reference", key="well_depth")


@pytest.mark.accuracy
def test_h2_harmonic_frequency(h2_curve, reference):
    (model, _), (ref, _) = _wells(h2_curve, reference)
    omega, omega_ref = (harmonic_wavenumber(w.curvature, H2_REDUCED_MASS_U) for w in (model, ref))
    assert_close(omega, omega_ref, tol.HARMONIC_FREQUENCY_RELATIVE * omega_ref,
                 "H2 harmonic wavenumber ωe", f"the {reference.name} reference", units="cm⁻¹", key="harmonic_wavenumber")


@pytest.mark.accuracy
def test_h2_curve_matches_reference(h2_curve, reference):
    r_min, r_max = tol.CURVE_WINDOW_ANGSTROM
    r, energy, _ = h2_curve.window(r_min, r_max)
    _, far, _ = h2_curve.window(DISSOCIATION_DISTANCE_ANGSTROM, DISSOCIATION_DISTANCE_ANGSTROM)
    far_ref = reference.h2_energy_at([DISSOCIATION_DISTANCE_ANGSTROM])
    error = (energy - far) - (reference.h2_energy_at(r) - far_ref)
    bad = np.abs(error) > tol.CHEMICAL_ACCURACY_EV
    worst = int(np.argmax(np.abs(error)))
    record("largest_error", f"largest error of E(r) − E({DISSOCIATION_DISTANCE_ANGSTROM:g} Å) in {r_min}–{r_max} Å",
           error[worst], reference=0.0, tolerance=tol.CHEMICAL_ACCURACY_EV, units="eV")
    assert not bad.any(), (
        f"relative to its own E({DISSOCIATION_DISTANCE_ANGSTROM:g} Å), the model's H2 curve is off by "
        f"{error[worst]:+.3f} eV at r = {r[worst]:.2f} Å, and by more than 1 kcal/mol "
        f"({tol.CHEMICAL_ACCURACY_EV:.4f} eV) at {bad.sum()} of {len(r)} points in {r_min}–{r_max} Å "
        f"(first {r[bad][0]:.2f} Å, last {r[bad][-1]:.2f} Å); reference: {reference.description}")
