"""Laws that only H2 has: its repulsive wall can never fall below the united atom's, and its
lowest triplet never lies below its singlet ground state.  (The laws every curve obeys are in
test_curves.py.)

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.conformance import catalogue
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.measurements import record
from mlip_conformance.references import exact
from mlip_conformance.references.constants import COULOMB_EV_ANGSTROM, HARTREE_EV
from mlip_conformance.references.grids import H2_GRID_ANGSTROM

pytestmark = pytest.mark.law

WALL_POINTS = [r for r in H2_GRID_ANGSTROM if r <= tol.UNITED_ATOM_MAX_R_ANGSTROM + 1e-9]


@pytest.fixture(scope="module")
def singlet(evaluator):
    return catalogue.scan(evaluator, catalogue.BY_NAME["H2"])


@pytest.mark.system("H2")
@pytest.mark.parametrize("r", WALL_POINTS, ids=lambda r: f"r={r:.2f}")
def test_h2_wall_stays_above_united_atom_bound(singlet, r):
    energy = singlet.curve.at(r).energy - singlet.limit
    united_atom = (exact.HE_ATOM_HARTREE - 2 * exact.H_ATOM_HARTREE) * HARTREE_EV
    bound = COULOMB_EV_ANGSTROM / r + united_atom - tol.UNITED_ATOM_SLACK_EV
    record("margin_above_bound", f"E({r:.2f} Å) − 2E(H) above the united-atom bound", energy - bound, units="eV")
    assert energy >= bound, (
        f"E({r:.2f} Å) − 2E(H) = {energy:.3f} eV lies below the united-atom bound {bound:.3f} eV "
        f"(k/r + E(He) − 2E(H) − {tol.UNITED_ATOM_SLACK_EV} eV): the electrons of H2 can never bind "
        f"more strongly than those of He, so the repulsive wall is too soft by {bound - energy:.3f} eV")


@pytest.mark.system("triplet H2")
@pytest.mark.needs(catalogue.BY_NAME["H2-triplet"].requirements)
def test_h2_triplet_never_lies_below_the_singlet(evaluator, singlet, model):
    entry = catalogue.BY_NAME["H2-triplet"]
    r, triplet, _ = catalogue.scan(evaluator, entry).curve.window()
    _, ground, _ = singlet.curve.window()
    gap = triplet - ground
    worst = int(np.argmin(gap))
    record("smallest_gap", "smallest triplet − singlet gap of H2", gap[worst], units="eV")
    assert gap[worst] >= -tol.TRIPLET_BELOW_SINGLET_EV, (
        f"E(triplet) − E(singlet) = {gap[worst]:.4f} eV at r = {r[worst]:.2f} Å (below the singlet at "
        f"{np.count_nonzero(gap < -tol.TRIPLET_BELOW_SINGLET_EV)} of {len(r)} points): the ground state "
        "of two electrons is always a singlet, so the triplet can never lie below it")
