"""Size consistency: H2 pulled apart becomes two free hydrogen atoms.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import pytest

from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close
from mlip_conformance.references.grids import DISSOCIATION_DISTANCE_ANGSTROM as R_FAR


pytestmark = pytest.mark.system("H2")


@pytest.mark.law
def test_h2_dissociates_into_two_hydrogen_atoms(h2_curve, hydrogen_atom):
    far = h2_curve.at(R_FAR).energy
    assert_close(far - 2 * hydrogen_atom.energy, 0.0, tol.CHEMICAL_ACCURACY_EV,
                 f"E(H2, {R_FAR:g} Å) − 2E(H, doublet)",
                 "size consistency (two H atoms 10 Å apart do not interact)", key="dissociation_energy")


@pytest.mark.accuracy
def test_hydrogen_atom_energy(hydrogen_atom, reference, absolute_energies):
    assert_close(hydrogen_atom.energy, reference.hydrogen_atom_energy, tol.CHEMICAL_ACCURACY_EV,
                 "E(H atom)", f"the {reference.name} reference", key="energy")
