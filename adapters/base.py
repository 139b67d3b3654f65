"""The adapter protocol: what the suite needs from a model, and a wrapper for any ASE calculator.

An adapter has a ``name``, declared ``capabilities`` and one method,
``evaluate(structures) -> (energies, forces)``: energies in eV, one per structure,
and forces in eV/Å, one (n_atoms, 3) array per structure.  Adapters that can batch
receive a whole curve in one call.  Total charge and spin multiplicity (2S+1) travel
in ``atoms.info["charge"]`` and ``atoms.info["spin"]``.
"""

from dataclasses import dataclass, field, fields
from typing import Protocol, Sequence, runtime_checkable

import numpy as np
from ase import Atoms


class ModelUsageError(Exception):
    """A model cannot be loaded or configured; the message is one actionable line."""


@dataclass(frozen=True)
class Capabilities:
    """What a model declares about itself.  The defaults are the strictest reading.

    A model that declares nothing is held to exact physics: it must read charge and
    spin, cover every element, and return absolute (total electronic) energies.
    """

    reads_charge: bool = True
    reads_spin: bool = True
    elements: frozenset | None = None
    """Chemical symbols the model covers; None means every element."""
    absolute_energies: bool = True
    """True when energies are total electronic energies (E(H) = −13.6 eV exactly, E(H⁺) = 0)."""
    level_of_theory: str = "exact"
    """The reference set the model was trained to reproduce (see references/levels.py)."""
    cutoff: float | None = None
    """Interaction cutoff radius in Å, None for none."""
    max_electrons: int | None = None
    """The most electrons in one molecule the model can answer or afford (None: no limit).
    The exact oracle answers two (H2, H2⁺, H⁻); FCI's cost explodes with the electron count.
    Checks on larger molecules are 'not applicable' for it, never passed."""

    def covers(self, symbols):
        return self.elements is None or set(symbols) <= set(self.elements)

    def affords(self, electrons):
        """True if a molecule with this many electrons is within the model's declared reach."""
        return self.max_electrons is None or electrons <= self.max_electrons

    @classmethod
    def from_declaration(cls, declared):
        """Capabilities from a Capabilities, a dict of its fields, or None."""
        if declared is None or isinstance(declared, cls):
            return declared or cls()
        known = {f.name for f in fields(cls)}
        unknown = set(declared) - known
        if unknown:
            raise ModelUsageError(f"unknown capabilities {sorted(unknown)}; known: {sorted(known)}")
        if declared.get("elements") is not None:
            declared = dict(declared, elements=frozenset(declared["elements"]))
        return cls(**declared)


@runtime_checkable
class Adapter(Protocol):
    name: str
    capabilities: Capabilities

    def evaluate(self, structures: Sequence[Atoms]) -> tuple[np.ndarray, list[np.ndarray]]:
        ...


@dataclass
class CalculatorAdapter:
    """Wraps any ASE calculator.  It evaluates one structure at a time.

    Capabilities come from the argument, else from a ``capabilities`` attribute on
    the calculator (a Capabilities or a dict), else the strictest defaults.
    """

    calculator: object
    name: str = ""
    capabilities: Capabilities = field(default=None)

    def __post_init__(self):
        self.name = self.name or type(self.calculator).__name__
        declared = self.capabilities or getattr(self.calculator, "capabilities", None)
        self.capabilities = Capabilities.from_declaration(declared)

    def evaluate(self, structures):
        energies, forces = [], []
        for atoms in structures:
            atoms = atoms.copy()
            # ASE calculators cache by positions and numbers only, not atoms.info: without a
            # reset, H2 with charge +2 would get the cached answer for neutral H2.
            if hasattr(self.calculator, "reset"):
                self.calculator.reset()
            atoms.calc = self.calculator
            energies.append(atoms.get_potential_energy())
            forces.append(np.asarray(atoms.get_forces()))
        return np.asarray(energies, dtype=float), forces
