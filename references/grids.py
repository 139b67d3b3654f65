"""The bond-length grids on which models are evaluated and references are computed.

One grid, used by both sides: the reference data are computed on exactly these
points, so no interpolation stands between a model and its reference.
"""

import numpy as np


def _span(start, stop, step):
    """Points from start to stop inclusive, rounded to 1e-6 Å so they are exact keys."""
    n = int(round((stop - start) / step))
    return np.round(start + step * np.arange(n + 1), 6)


H2_GRID_ANGSTROM = np.unique(np.concatenate([
    _span(0.20, 0.50, 0.05),   # united-atom region: the repulsive wall
    _span(0.50, 1.20, 0.01),   # the well: dense enough to fit Re and the curvature
    _span(1.20, 3.00, 0.05),   # bond breaking
    _span(3.00, 6.00, 0.25),   # approach to the dissociation limit
    _span(6.00, 10.0, 0.50),   # the limit itself
]))
"""Neutral H2 bond lengths in Å, 0.2–10 Å, 0.01 Å steps over 0.5–1.2 Å."""

COULOMB_GRID_ANGSTROM = np.unique(np.concatenate([
    _span(0.20, 1.00, 0.10),
    _span(1.00, 3.00, 0.25),
    _span(3.00, 10.0, 1.00),
]))
"""Separations of two bare nuclei in Å, 0.2–10 Å."""

DISSOCIATION_DISTANCE_ANGSTROM = 10.0
"""The long end of the H2 curve, where E(H2) must equal 2 E(H)."""
