"""Forces are the negative gradient of the model's own energy, and obey Newton's third law.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.conformance import systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import tolerance
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.refinement import assert_refined, refine

pytestmark = [pytest.mark.law, pytest.mark.system("H2")]

CHECK_POINTS_ANGSTROM = (0.5, 0.6, 0.74, 0.9, 1.2, 1.6, 2.5)
"""Bond lengths on the repulsive wall, at the minimum, and along the attractive branch."""


@pytest.mark.parametrize("r", CHECK_POINTS_ANGSTROM, ids=lambda r: f"r={r:.2f}")
def test_h2_forces_are_energy_gradient(evaluator, r):
    h = tol.FINITE_DIFFERENCE_STEP_ANGSTROM
    centre = evaluator.predict(systems.h2(r))
    bond_force = centre.forces[1, 2]

    def slope(step):
        shorter, longer = evaluator.predict_many([systems.h2(r - step), systems.h2(r + step)])
        return (longer.energy - shorter.energy) / (2 * step)

    def mismatch(step):   # F − (−dE/dr) at this step, and its tolerance
        derivative = slope(step)
        allowed = tolerance(derivative, tol.CONSERVATION_RELATIVE, tol.CONSERVATION_ABSOLUTE_EV_PER_A)
        return bond_force + derivative, allowed

    found = refine(mismatch, h, finest=tol.REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM, step_name="h", units="eV/Å")
    # the numbers of the finest step measured: where an artefact passed, or what persisted
    record("bond_force", f"bond force on H2 at r = {r:.2f} Å against −dE/dr (h = {found.last.step:.3g} Å)", bond_force,
           -slope(found.last.step), found.last.allowance, "eV/Å")
    derivative = -slope(h)
    assert_refined(found, f"bond force on H2 at r = {r:.2f} Å = {bond_force:.6g} eV/Å, energy conservation "
                          f"requires −dE/dr = {derivative:.6g} eV/Å by central differences (h = {h} Å; tolerance "
                          f"±{found.rungs[0].allowance:.3g} eV/Å)")


@pytest.mark.parametrize("r", CHECK_POINTS_ANGSTROM, ids=lambda r: f"r={r:.2f}")
def test_h2_forces_obey_newtons_third_law(evaluator, r):
    direction = np.array([1.0, 2.0, 3.0]) / np.sqrt(14.0)   # off-axis, so no component is trivially 0
    atoms = systems.structure("H2", [(0.1, -0.2, 0.3), np.array([0.1, -0.2, 0.3]) + r * direction])
    forces = evaluator.predict(atoms).forces
    net = np.linalg.norm(forces.sum(axis=0))
    sideways = np.linalg.norm(forces[1] - np.dot(forces[1], direction) * direction)
    record("net_force", f"net force on H2 at r = {r:.2f} Å", net, reference=0.0,
           tolerance=tol.NEWTON_THIRD_LAW_EV_PER_A, units="eV/Å")
    record("transverse_force", f"force across the bond of H2 at r = {r:.2f} Å", sideways, reference=0.0,
           tolerance=tol.NEWTON_THIRD_LAW_EV_PER_A, units="eV/Å")
    assert net <= tol.NEWTON_THIRD_LAW_EV_PER_A and sideways <= tol.NEWTON_THIRD_LAW_EV_PER_A, (
        f"forces on H2 at r = {r:.2f} Å: net force {net:.3g} eV/Å and component perpendicular to the "
        f"bond {sideways:.3g} eV/Å; both must vanish (≤ {tol.NEWTON_THIRD_LAW_EV_PER_A} eV/Å) for an "
        f"isolated molecule\n{np.array2string(forces, precision=5)}")
