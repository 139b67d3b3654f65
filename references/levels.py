"""Reference data by level of theory: what a model's accuracy tests compare against.

A model declares the level of theory it was trained on (Capabilities.level_of_theory);
the accuracy tests fetch the matching set here.  Sets at DFT levels join as their data
are shipped; a level with no set makes the accuracy tests 'not applicable', never passed.
"""

from dataclasses import dataclass

import numpy as np

from references import exact
from references.constants import HARTREE_EV


@dataclass(frozen=True)
class ReferenceSet:
    name: str
    description: str
    h2_r: np.ndarray                 # Å
    h2_energy: np.ndarray            # eV, total energies
    hydrogen_atom_energy: float      # eV

    def h2_energy_at(self, r):
        """Reference E(r) on the suite's grid (exact grid points only: no interpolation)."""
        index = {round(float(x), 6): i for i, x in enumerate(self.h2_r)}
        return self.h2_energy[[index[round(float(x), 6)] for x in r]]


def _exact():
    r, energy = exact.h2_curve_ev()
    return ReferenceSet(
        name="exact",
        description="exact Born–Oppenheimer H2 (FCI/aug-cc-pV5Z binding energies on the exact "
                    "limit 2E(H) = −1 Eh)",
        h2_r=r, h2_energy=energy, hydrogen_atom_energy=exact.H_ATOM_HARTREE * HARTREE_EV)


LEVELS = {"exact": _exact}


def reference_set(level):
    """The reference set for a level of theory, or None when none is shipped yet."""
    build = LEVELS.get(level)
    return build() if build else None
