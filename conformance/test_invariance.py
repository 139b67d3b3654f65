"""Symmetry: the energy of an isolated system does not change when it is rotated, reflected,
translated or its identical atoms are relabelled, and the forces turn with it.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest
from hypothesis import example, given

from mlip_conformance.conformance import strategies, systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close, assert_vectors_close

pytestmark = pytest.mark.law


def check_invariance(evaluator, atoms, rotation, translation, permutation):
    moved = strategies.transformed(atoms, rotation, translation, permutation)
    original, image = evaluator.predict_many([atoms, moved])
    operation = (f"{'improper ' if np.linalg.det(rotation) < 0 else ''}rotation "
                 f"[{'; '.join(' '.join(f'{x:+.3f}' for x in row) for row in rotation)}], "
                 f"translation {np.array2string(translation, precision=3, separator=', ')} Å, "
                 f"permutation {list(permutation)}")
    name = systems.describe(atoms)
    assert_close(image.energy, original.energy, tol.INVARIANCE_ENERGY_EV,
                 f"E of {name} after {operation}", "invariance (the energy before the operation)", key="energy")
    expected = original.forces[list(permutation)] @ rotation.T
    assert_vectors_close(image.forces, expected, tol.INVARIANCE_FORCE_EV_PER_A,
                         f"forces on {name} after {operation}",
                         "equivariance (the original forces rotated and permuted)", key="forces")


@pytest.mark.drawn
@pytest.mark.system("H2")
def test_h2_is_invariant_under_rotation_translation_and_permutation(evaluator):
    @given(molecule=strategies.with_permutation(strategies.h2_molecules()),
           rotation=strategies.rotations(), translation=strategies.translations)
    def check(molecule, rotation, translation):
        check_invariance(evaluator, molecule[0], rotation, translation, molecule[1])

    check()


@pytest.mark.drawn
@pytest.mark.system("bare-nucleus clusters")
def test_bare_clusters_are_invariant_under_rotation_translation_and_permutation(evaluator, nuclei):
    mirror_image = (strategies.chiral_cluster(), [0, 1, 2, 3])

    @given(cluster=strategies.with_permutation(strategies.bare_clusters(nuclei)),
           rotation=strategies.rotations(), translation=strategies.translations)
    @example(cluster=mirror_image, rotation=strategies.MIRROR_Z, translation=np.zeros(3))
    def check(cluster, rotation, translation):
        check_invariance(evaluator, cluster[0], rotation, translation, cluster[1])

    check()
