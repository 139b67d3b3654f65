"""Size consistency and long range: molecules far apart do not interact, bare nuclei always do.

Two H2 molecules 20 Å apart have twice the energy of one; two H atoms 20 Å apart (each a
doublet: together a triplet or an open-shell singlet) have twice the energy of one.  Bare
nuclei repel by Coulomb's law at any distance, far beyond any model's cutoff.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest

from mlip_conformance.conformance import systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close, tolerance
from mlip_conformance.conformance.measurements import record
from mlip_conformance.references.constants import COULOMB_EV_ANGSTROM
from mlip_conformance.references.grids import COULOMB_GRID_ANGSTROM

pytestmark = pytest.mark.law

R_SEP = tol.SIZE_CONSISTENCY_DISTANCE_ANGSTROM
H2_BOND_ANGSTROM = 0.74   # a point of the suite's H2 grid: E(H2) is already evaluated there


@pytest.mark.system("size consistency")
def test_two_distant_h2_molecules_have_twice_the_energy_of_one(evaluator):
    one = evaluator.predict(systems.h2(H2_BOND_ANGSTROM)).energy
    two = evaluator.predict(systems.separated(systems.h2(H2_BOND_ANGSTROM), systems.h2(H2_BOND_ANGSTROM),
                                              R_SEP, spin=1)).energy
    assert_close(two - 2 * one, 0.0, tol.SIZE_CONSISTENCY_EV, f"E(2 H2, {R_SEP:g} Å apart) − 2E(H2)",
                 "size consistency (molecules this far apart do not interact)", key="interaction_energy")


@pytest.mark.system("size consistency")
@pytest.mark.parametrize("spin", [3, 1], ids=["triplet", "open-shell singlet"])
def test_two_distant_hydrogen_atoms_have_twice_the_energy_of_one(evaluator, hydrogen_atom, spin):
    two = evaluator.predict(systems.separated(systems.hydrogen_atom(), systems.hydrogen_atom(),
                                              R_SEP, spin=spin)).energy
    assert_close(two - 2 * hydrogen_atom.energy, 0.0, tol.SIZE_CONSISTENCY_EV,
                 f"E(H + H, {R_SEP:g} Å apart, multiplicity {spin}) − 2E(H, doublet)",
                 "size consistency (two H atoms this far apart do not interact, whatever their spins)", key="interaction_energy")


def _repulsion_reach(distances, energies):
    """The largest distance up to which two bare protons repel with at least half of k/r."""
    strong = energies >= 0.5 * COULOMB_EV_ANGSTROM / distances
    return float(distances[-1]) if strong.all() else float(distances[strong.argmin() - 1]) if strong[0] else 0.0


@pytest.mark.system("bare protons")
def test_bare_protons_repel_at_any_distance(evaluator, model, reads_charge):
    distances = np.concatenate([COULOMB_GRID_ANGSTROM, tol.BARE_NUCLEI_FAR_ANGSTROM])
    proton = evaluator.predict(systems.bare_nucleus("H")).energy
    outcomes = evaluator.predict_many([systems.bare_protons(r) for r in distances])
    energies = np.array([o.energy for o in outcomes]) - 2 * proton
    reach = _repulsion_reach(distances, energies)
    record("repulsion_reach", "reach of the bare-proton repulsion (≥ k/2r)", reach, None, None, "Å")
    far = distances > COULOMB_GRID_ANGSTROM[-1]
    expected = COULOMB_EV_ANGSTROM / distances[far]
    allowed = np.array([tolerance(e, tol.COULOMB_RELATIVE, tol.COULOMB_ABSOLUTE_EV) for e in expected])
    error = energies[far] - expected
    worst = int(np.argmax(np.abs(error) / allowed))
    record("largest_far_error", "largest far bare-proton Coulomb error", error[worst], 0.0, allowed[worst], "eV")
    cutoff = model.capabilities.cutoff
    beyond = f" (the model's cutoff is {cutoff:g} Å)" if cutoff else ""
    assert np.all(np.abs(error) <= allowed), (
        f"two bare protons {distances[far][worst]:g} Å apart: E − 2E(H⁺) = {energies[far][worst]:.4g} eV, "
        f"Coulomb's law k/r requires {expected[worst]:.4g} eV (tolerance ±{allowed[worst]:.2g} eV); the model's "
        f"repulsion reaches {reach:g} Å{beyond}, but Coulomb's law has no cutoff")
