"""Triplet H2 (b³Σu⁺): two parallel spins cannot share the bonding orbital, so the curve is
repulsive apart from a van der Waals well of 0.55 meV, dissociates into two H atoms and never
lies below the singlet ground state.

Needs a model that reads spin; for any other it is 'not applicable'.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.conformance import systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close
from mlip_conformance.conformance.curves import compute_curve
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.metrics import monotonicity_breaks
from mlip_conformance.references.grids import DISSOCIATION_DISTANCE_ANGSTROM as R_FAR
from mlip_conformance.references.grids import H2_GRID_ANGSTROM

pytestmark = [pytest.mark.system("triplet H2"), pytest.mark.usefixtures("reads_spin")]


@pytest.fixture(scope="module")
def triplet_curve(evaluator):
    return compute_curve(evaluator, "triplet H2", systems.h2_triplet, H2_GRID_ANGSTROM)


@pytest.mark.law
def test_h2_triplet_is_repulsive(triplet_curve):
    r, energy, _ = triplet_curve.window()
    breaks = monotonicity_breaks(r, energy, len(energy) - 1, tol.TRIPLET_WELL_MAX_EV)
    well = energy[-1] - energy.min()
    record("well_depth", "depth of the deepest triplet H2 well below E(10 Å)", well, 0.0, tol.TRIPLET_WELL_MAX_EV, "eV")
    listed = "; ".join(f"from r = {x:.2f} Å it rises by {abs(d) * 1e3:.1f} meV" for x, d in breaks[:5])
    assert not breaks, (
        f"triplet H2 must fall monotonically all the way out (apart from a 0.55 meV van der Waals "
        f"well), but it has a well {well * 1e3:.1f} meV deep at {r[int(np.argmin(energy))]:.2f} Å: "
        f"{listed}; two parallel spins cannot form a bond")


@pytest.mark.law
def test_h2_triplet_never_lies_below_the_singlet(triplet_curve, h2_curve):
    r, triplet, _ = triplet_curve.window()
    _, singlet, _ = h2_curve.window()
    gap = triplet - singlet
    worst = int(np.argmin(gap))
    record("smallest_gap", "smallest triplet − singlet gap of H2", gap[worst], None, None, "eV")
    assert gap[worst] >= -tol.TRIPLET_BELOW_SINGLET_EV, (
        f"E(triplet) − E(singlet) = {gap[worst]:.4f} eV at r = {r[worst]:.2f} Å (below the singlet at "
        f"{np.count_nonzero(gap < -tol.TRIPLET_BELOW_SINGLET_EV)} of {len(r)} points): the ground state "
        "of two electrons is always a singlet, so the triplet can never lie below it")


@pytest.mark.law
def test_h2_triplet_dissociates_into_two_hydrogen_atoms(triplet_curve, hydrogen_atom):
    assert_close(triplet_curve.at(R_FAR).energy - 2 * hydrogen_atom.energy, 0.0, tol.CHEMICAL_ACCURACY_EV,
                 f"E(triplet H2, {R_FAR:g} Å) − 2E(H, doublet)",
                 "size consistency (two H atoms with parallel spins 10 Å apart do not interact)", key="dissociation_energy")


@pytest.mark.accuracy
def test_h2_triplet_curve_matches_reference(triplet_curve, reference):
    ref_r = getattr(reference, "h2_triplet_r", None)
    if ref_r is None:
        pytest.skip(f"not applicable: the {reference.name} reference set has no triplet H2 curve yet")
    r_min, r_max = tol.TRIPLET_WINDOW_ANGSTROM
    r, energy, _ = triplet_curve.window(r_min, r_max)
    far = triplet_curve.at(R_FAR).energy
    ref = reference.h2_triplet_energy_at(r) - reference.h2_triplet_energy_at([R_FAR])[0]
    error = (energy - far) - ref
    worst = int(np.argmax(np.abs(error)))
    record("largest_error", "largest triplet H2 curve error", error[worst], 0.0, tol.CHEMICAL_ACCURACY_EV, "eV")
    bad = np.abs(error) > tol.CHEMICAL_ACCURACY_EV
    assert not bad.any(), (
        f"relative to its own E({R_FAR:g} Å), the model's triplet H2 curve is off by {error[worst]:+.3f} eV "
        f"at r = {r[worst]:.2f} Å, and by more than 1 kcal/mol at {bad.sum()} of {len(r)} points in "
        f"{r_min}–{r_max} Å; reference: {reference.name} b³Σu⁺")
