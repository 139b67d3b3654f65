"""Accuracy of the scanned curves.

Against the reference set of the model's level of theory (references/levels.py): the equilibrium
bond length Re, the well depth E(far) − E(Re) and the harmonic wavenumber ωe of each bound state
with a reference, and the whole curve E(r) − E(far) inside its comparison window.  A level with no
reference set, or a set without that curve, is 'not applicable', never passed.

Against experiment (references/diatomics.py): Re and the well depth E(far) − E(min) of every bound
state with a measured value (H2 and the bound diatomics; De only where it is known to chemical
accuracy), the depth against the spin–orbit-free De.  These apply to every model whatever level of
theory it declares: experiment is the one reference that does not depend on the level, and a
model declares what it cannot be asked (elements, charge, spin, electrons), never which truth it
should be held to.  A model trained on PBE inherits PBE's errors (PBE overbinds O2 by about
1 eV), so it fails some of these checks without a fault of its own; the message names the
declared level so that a reader can tell the training data's error from the model's.  The laws
(test_curves.py) stay level-free; these are accuracy checks.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.conformance import catalogue, systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.metrics import fit_well, harmonic_wavenumber, measured_well
from mlip_conformance.conformance.applicability import not_applicable
from mlip_conformance.references import exact
from mlip_conformance.references.constants import BOHR_ANGSTROM, HARTREE_EV

pytestmark = pytest.mark.accuracy


def curves(where):
    """The curves with a reference curve that `where` selects."""
    return catalogue.over_curves(lambda entry: entry.reference is not None and where(entry))


def spectroscopic(entry):
    return entry.bound is True and entry.reduced_mass_u is not None


@pytest.fixture
def reference_curve(scan, reference):
    found = reference.curve(scan.entry.reference)
    if found is None:
        not_applicable(f"the {reference.name} reference set has no curve of this state")
    return found


def _wells(scan, reference_curve):
    """(Well, depth E(far) − E(Re)) of the model and of the reference, fitted the same way."""
    entry = scan.entry
    r, energy, _ = scan.curve.window(entry.reference_window[0])
    ref_energy = reference_curve.energy_at(r)
    return _well(r, energy, entry.far), _well(r, ref_energy, entry.far)


def _well(r, energy, far):
    well = fit_well(r, energy)
    return well, energy[int(np.argmin(np.abs(r - far)))] - well.energy


@curves(spectroscopic)
def test_equilibrium_bond_length(scan, reference_curve, reference):
    (model, _), (ref, _) = _wells(scan, reference_curve)
    assert_close(model.r_e, ref.r_e, tol.BOND_LENGTH_ANGSTROM, f"{scan.entry.name} equilibrium bond length Re",
                 f"the {reference.name} reference", units="Å", key="bond_length")


@curves(spectroscopic)
def test_well_depth(scan, reference_curve, reference):
    (_, depth), (_, ref_depth) = _wells(scan, reference_curve)
    assert_close(depth, ref_depth, tol.CHEMICAL_ACCURACY_EV,
                 f"{scan.entry.name} well depth E({scan.entry.far:g} Å) − E(Re)", f"the {reference.name} reference",
                 key="well_depth")


@curves(spectroscopic)
def test_harmonic_wavenumber(scan, reference_curve, reference):
    (model, _), (ref, _) = _wells(scan, reference_curve)
    # the same reduced mass for model and reference: the comparison is of curvatures
    omega, omega_ref = (harmonic_wavenumber(w.curvature, scan.entry.reduced_mass_u) for w in (model, ref))
    assert_close(omega, omega_ref, tol.HARMONIC_FREQUENCY_RELATIVE * omega_ref,
                 f"{scan.entry.name} harmonic wavenumber ωe", f"the {reference.name} reference", units="cm⁻¹",
                 key="harmonic_wavenumber")


@curves(lambda entry: entry.reference_window is not None)
def test_curve_matches_the_reference(scan, reference_curve, reference):
    entry = scan.entry
    r_min, r_max = entry.reference_window
    r, energy, _ = scan.curve.window(r_min, r_max)
    far = scan.curve.at(entry.far).energy
    error = (energy - far) - (reference_curve.energy_at(r) - reference_curve.energy_at([entry.far])[0])
    bad = np.abs(error) > tol.CHEMICAL_ACCURACY_EV
    worst = int(np.argmax(np.abs(error)))
    record("largest_error", f"largest error of {entry.name} E(r) − E({entry.far:g} Å) in {r_min}–{r_max} Å",
           error[worst], 0.0, tol.CHEMICAL_ACCURACY_EV, "eV")
    assert not bad.any(), (
        f"relative to its own E({entry.far:g} Å), the model's {entry.label} curve is off by {error[worst]:+.3f} eV "
        f"at r = {r[worst]:.2f} Å, and by more than 1 kcal/mol ({tol.CHEMICAL_ACCURACY_EV:.4f} eV) at {bad.sum()} "
        f"of {len(r)} points in {r_min}–{r_max} Å (first {r[bad][0]:.2f} Å, last {r[bad][-1]:.2f} Å); "
        f"reference: {reference.description}")


def against_experiment(where):
    """Parametrize over the bound states with a measured ground state that satisfies where."""
    return catalogue.over_curves(
        lambda entry: entry.experiment is not None and entry.bound is True and where(entry.experiment))


def _lowest(scan):
    """The model's minimum: fitted over the lowest grid point and its neighbours (metrics.measured_well)."""
    r, energy, _ = scan.curve.window()
    return measured_well(r, energy, scan.curve.at(scan.entry.far).energy)


def _declared_level(model):
    level = model.capabilities.level_of_theory
    if level is None:
        return (f"An accuracy check against experiment, not a law: {model.name} declares no reference level "
                "of theory")
    return (f"An accuracy check against experiment, not a law: {model.name} declares level of theory {level!r} "
            "and inherits that level's own error")


@against_experiment(lambda state: True)
def test_bond_length_against_experiment(scan, model):
    entry, state = scan.entry, scan.entry.experiment
    lowest = _lowest(scan)
    how = ("" if lowest.fitted else f" (no minimum to fit: the curve is lowest at {lowest.r_lowest:.4g} Å"
           + (", the far end of the scan" if lowest.r_lowest == entry.far else "") + ")")
    assert_close(lowest.r_e, state.re_angstrom, tol.BOND_LENGTH_ANGSTROM, f"{entry.label}: equilibrium bond length Re{how}",
                 f"experiment ({state.short})", units="Å", key="bond_length", note=_declared_level(model))


@against_experiment(lambda state: state.accurate)
def test_well_depth_against_experiment(scan, model):
    entry, state = scan.entry, scan.entry.experiment
    assert_close(_lowest(scan).depth, state.well_depth_ev, tol.CHEMICAL_ACCURACY_EV,
                 f"{entry.label}: well depth E({entry.far:g} Å) − E(minimum)",
                 f"experiment ({state.derivation})", key="well_depth", note=_declared_level(model))


@pytest.mark.system("H2+")
def test_h2_cation_energy_at_two_bohr(evaluator, model, reference, reads_charge, reads_spin, absolute_energies):
    if reference.name != "exact":
        not_applicable(f"no absolute H2⁺ energy for the {reference.name} level")
    energy = evaluator.predict(systems.h2_cation(2 * BOHR_ANGSTROM)).energy
    assert_close(energy, exact.H2_CATION_2BOHR_HARTREE * HARTREE_EV, tol.CHEMICAL_ACCURACY_EV,
                 "E(H2⁺, 2 bohr)", "the exact one-electron energy −0.6026342 Eh", key="energy")
