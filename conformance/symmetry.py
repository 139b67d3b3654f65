"""The invariance check shared by H2, bare clusters and molecules: the energy of an isolated
system is unchanged by a rotation (proper or improper), a translation and a relabelling of
identical atoms, and its forces turn and are relabelled with it."""

import numpy as np

from mlip_conformance.conformance import strategies, systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close, assert_vectors_close, tolerance

__all__ = ["check_invariance", "describe_operation"]


def describe_operation(rotation, translation, permutation):
    return (f"{'improper ' if np.linalg.det(rotation) < 0 else ''}rotation "
            f"[{'; '.join(' '.join(f'{x:+.3f}' for x in row) for row in rotation)}], "
            f"translation {np.array2string(translation, precision=3, separator=', ')} Å, "
            f"permutation {list(permutation)}")


def check_invariance(evaluator, atoms, rotation, translation, permutation, round_off=0.0):
    """round_off: the relative float32 round-off a large total energy (and large forces) carry
    beyond the absolute invariance tolerances (tol.SAME_PREDICTION_RELATIVE for molecules)."""
    moved = strategies.transformed(atoms, rotation, translation, permutation)
    original, image = evaluator.predict_many([atoms, moved])
    operation = describe_operation(rotation, translation, permutation)
    name = systems.describe(atoms)
    assert_close(image.energy, original.energy, tolerance(original.energy, round_off, tol.INVARIANCE_ENERGY_EV),
                 f"E of {name} after {operation}", "invariance (the energy before the operation)", key="energy")
    expected = original.forces[list(permutation)] @ rotation.T
    allowed = tolerance(expected, round_off, tol.INVARIANCE_FORCE_EV_PER_A)
    assert_vectors_close(image.forces, expected, allowed, f"forces on {name} after {operation}",
                         "equivariance (the original forces rotated and permuted)", key="forces")
