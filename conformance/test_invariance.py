"""Symmetry: the energy of an isolated system does not change when it is rotated, reflected,
translated or its identical atoms are relabelled, and the forces turn with it.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest
from hypothesis import example, given

from mlip_conformance.conformance import strategies
from mlip_conformance.conformance.symmetry import check_invariance

pytestmark = pytest.mark.law


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
