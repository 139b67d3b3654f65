"""H2⁺: one electron, two protons.  Its Born–Oppenheimer curve is known exactly (one well,
Re = 2.00 bohr, De = 2.79 eV) and it dissociates into an H atom and a bare proton.

Needs a model that reads total charge and spin; for any other it is 'not applicable'.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.conformance import systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close, assert_falls_then_rises, assert_one_minimum
from mlip_conformance.conformance.curves import compute_curve
from mlip_conformance.conformance.metrics import fit_well, harmonic_wavenumber
from mlip_conformance.references import exact
from mlip_conformance.references.constants import BOHR_ANGSTROM, HARTREE_EV, PROTIUM_MASS_U
from mlip_conformance.references.grids import DISSOCIATION_DISTANCE_ANGSTROM as R_FAR
from mlip_conformance.references.grids import H2_GRID_ANGSTROM

pytestmark = [pytest.mark.system("H2+"), pytest.mark.usefixtures("reads_charge", "reads_spin")]


@pytest.fixture(scope="module")
def cation_curve(evaluator):
    return compute_curve(evaluator, "H2⁺", systems.h2_cation, H2_GRID_ANGSTROM)


@pytest.fixture(scope="module")
def cation_reference(reference):
    r = getattr(reference, "h2_cation_r", None)
    if r is None:
        pytest.skip(f"not applicable: the {reference.name} reference set has no H2⁺ curve yet")
    return np.asarray(r), np.asarray(reference.h2_cation_energy)


@pytest.mark.law
def test_h2_cation_has_exactly_one_minimum(cation_curve):
    assert_one_minimum(cation_curve, "H2⁺", f"2.00 bohr = {2 * BOHR_ANGSTROM:.4f} Å")


@pytest.mark.law
def test_h2_cation_energy_falls_to_the_minimum_then_rises(cation_curve):
    assert_falls_then_rises(cation_curve, "H2⁺")


@pytest.mark.law
def test_h2_cation_dissociates_into_hydrogen_atom_and_proton(cation_curve, hydrogen_atom, evaluator):
    proton = evaluator.predict(systems.bare_nucleus("H")).energy
    far = cation_curve.at(R_FAR).energy
    assert_close(far - hydrogen_atom.energy - proton, 0.0, tol.CHEMICAL_ACCURACY_EV,
                 f"E(H2⁺, {R_FAR:g} Å) − E(H) − E(H⁺)",
                 "dissociation into an H atom and a proton (polarization −α/2r⁴ = −0.5 meV at 10 Å)", key="dissociation_energy")


def _well(r, energy):
    """(Well fitted near the minimum, depth E(10 Å) − E(Re))."""
    well = fit_well(r, energy)
    return well, energy[np.argmin(np.abs(r - R_FAR))] - well.energy


@pytest.mark.accuracy
def test_h2_cation_bond_length(cation_curve, cation_reference, reference):
    r, energy, _ = cation_curve.window(0.5)
    model, _ = _well(r, energy)
    ref, _ = _well(*cation_reference)
    assert_close(model.r_e, ref.r_e, tol.BOND_LENGTH_ANGSTROM, "H2⁺ equilibrium bond length Re",
                 f"the {reference.name} reference", units="Å", key="bond_length")


@pytest.mark.accuracy
def test_h2_cation_well_depth(cation_curve, cation_reference, reference):
    r, energy, _ = cation_curve.window(0.5)
    _, depth = _well(r, energy)
    _, ref_depth = _well(*cation_reference)
    assert_close(depth, ref_depth, tol.CHEMICAL_ACCURACY_EV, f"H2⁺ well depth E({R_FAR:g} Å) − E(Re)",
                 f"the {reference.name} reference", key="well_depth")


@pytest.mark.accuracy
def test_h2_cation_harmonic_frequency(cation_curve, cation_reference, reference):
    r, energy, _ = cation_curve.window(0.5)
    (model, _), (ref, _) = _well(r, energy), _well(*cation_reference)
    # the same reduced mass for model and reference: the comparison is of curvatures
    omega, omega_ref = (harmonic_wavenumber(w.curvature, PROTIUM_MASS_U / 2) for w in (model, ref))
    assert_close(omega, omega_ref, tol.HARMONIC_FREQUENCY_RELATIVE * omega_ref, "H2⁺ harmonic wavenumber ωe",
                 f"the {reference.name} reference", units="cm⁻¹", key="harmonic_wavenumber")


@pytest.mark.accuracy
def test_h2_cation_energy_at_two_bohr(evaluator, reference, absolute_energies):
    if reference.name != "exact" or not hasattr(exact, "H2_CATION_2BOHR_HARTREE"):
        pytest.skip(f"not applicable: no absolute H2⁺ energy for the {reference.name} level")
    energy = evaluator.predict(systems.h2_cation(2 * BOHR_ANGSTROM)).energy
    assert_close(energy, exact.H2_CATION_2BOHR_HARTREE * HARTREE_EV, tol.CHEMICAL_ACCURACY_EV,
                 "E(H2⁺, 2 bohr)", "the exact one-electron energy −0.6026342 Eh", key="energy")
