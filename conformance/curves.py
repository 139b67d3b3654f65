"""A potential-energy curve of a model: one batch of evaluations, read by many tests."""

from dataclasses import dataclass

import numpy as np

from mlip_conformance.evaluation import PredictionError


@dataclass(frozen=True)
class Curve:
    """Outcomes of a model along a bond-length grid (Å) of a diatomic."""

    label: str
    r: np.ndarray
    outcomes: list

    def window(self, r_min=0.0, r_max=np.inf):
        """(r, energies in eV, bond forces in eV/Å) inside [r_min, r_max].

        The bond force is the force on the second atom projected on the bond direction:
        positive pushes the atoms apart (repulsion), negative pulls them together.
        Raises PredictionError, naming every failed geometry, if any point has no prediction.
        """
        __tracebackhide__ = True
        inside = (self.r >= r_min - 1e-9) & (self.r <= r_max + 1e-9)
        failed = [o.value for o, keep in zip(self.outcomes, inside) if keep and not o.ok]
        if failed:
            others = f" (and {len(failed) - 1} more points of the {self.label} curve)" if len(failed) > 1 else ""
            raise PredictionError(f"{failed[0]}{others}")
        chosen = [o.value for o, keep in zip(self.outcomes, inside) if keep]
        energies = np.array([p.energy for p in chosen])
        forces = np.array([p.forces[1, 2] for p in chosen])  # diatomics lie along z
        return self.r[inside], energies, forces


    def at(self, r):
        """The outcome at one grid point."""
        return self.outcomes[int(np.argmin(np.abs(self.r - r)))]
