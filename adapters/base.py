"""The adapter protocol: what the suite needs from a model, and a wrapper for any ASE calculator.

An adapter has a ``name``, declared ``capabilities`` and one method,
``evaluate(structures) -> (energies, forces)`` or ``(energies, forces, stresses)``: energies in
eV, one per structure; forces in eV/Å, one (n_atoms, 3) array per structure; stresses (for
periodic structures; None for the others) in eV/Å³ as ASE defines them (Voigt order xx, yy, zz,
yz, xz, xy, or a 3×3 tensor).  An adapter that can batch says ``batched = True`` (the default
for adapters) and receives several structures per call; an ASE calculator is called with one
structure at a time.  Total charge and spin multiplicity (2S+1) travel in
``atoms.info["charge"]`` and ``atoms.info["spin"]``.
"""

from dataclasses import dataclass, field, fields
from typing import Protocol, Sequence, runtime_checkable

import numpy as np
from ase import Atoms
from ase.data import chemical_symbols

KNOWN_ELEMENTS = tuple(chemical_symbols[1:])
"""The chemical symbols a model may declare, H to Og in order (ASE's table without its 'X')."""


class ModelUsageError(Exception):
    """A model cannot be loaded or configured; the message is one actionable line."""


class DeclarationError(ModelUsageError):
    """A declared capability the suite cannot read: a level of theory or an element symbol it
    does not know.  Accepted, either would silently make checks 'not applicable' (a typo such as
    "PBE" for "pbe" would turn every accuracy check off), so it is a usage error instead."""


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
    level_of_theory: str | None = "exact"
    """The level of theory the model was trained to reproduce: a name of references/levels.py
    LEVELS (those with reference data, and known ones without), or None to declare explicitly
    that there is no reference level (a toy, an empirical fit).  Any other name is a usage error."""
    cutoff: float | None = None
    """Interaction cutoff radius in Å, None for none."""
    max_electrons: int | None = None
    """The most electrons in one molecule the model can answer or afford (None: no limit).
    The exact oracle answers two (H2, H2⁺, H⁻); FCI's cost explodes with the electron count.
    Checks on larger molecules are 'not applicable' for it, never passed."""
    periodic: bool = True
    """True when the model handles periodic cells (any combination of periodic directions).
    The strictest reading is the default: a model that declares nothing is held to it."""
    stress: bool = True
    """True when the model returns the stress of a periodic cell (eV/Å³, ASE's convention)."""

    def __post_init__(self):
        _check_level(self.level_of_theory)
        _check_elements(self.elements)

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
        if declared.get("elements") is not None and not isinstance(declared["elements"], str):
            declared = dict(declared, elements=frozenset(declared["elements"]))
        return cls(**declared)


def _check_level(level):
    from mlip_conformance.references.levels import LEVELS   # the references never import adapters
    if level is not None and level not in LEVELS:
        raise DeclarationError(f"unknown level_of_theory {level!r}; known levels: {', '.join(sorted(LEVELS))}, "
                               "or None to declare that the model has no reference level")


def _check_elements(elements):
    if elements is None:
        return
    if isinstance(elements, str):   # frozenset("HCl") would be the letters H, C and l
        raise DeclarationError(f"elements={elements!r} is a string; declare a set of chemical symbols, "
                               "e.g. frozenset({'H', 'C', 'O'}), or None for every element")
    unknown = sorted(str(e) for e in elements if e not in KNOWN_ELEMENTS)
    if unknown:
        raise DeclarationError(f"unknown element symbol(s) {', '.join(map(repr, unknown))} in the declared "
                               f"elements; known symbols: {', '.join(KNOWN_ELEMENTS)}")


@runtime_checkable
class Adapter(Protocol):
    name: str
    capabilities: Capabilities

    def evaluate(self, structures: Sequence[Atoms]) -> tuple[Sequence[float], list[np.ndarray]]:
        """(energies, forces) or (energies, forces, stresses), one entry per structure, as the
        model gave them: the suite validates and converts them (evaluation.py), so that a wrong
        type is reported as the model's output, not as an error of the adapter."""


@dataclass
class CalculatorAdapter:
    """Wraps any ASE calculator.  It evaluates one structure at a time.

    Capabilities come from the argument, else from a ``capabilities`` attribute on
    the calculator (a Capabilities or a dict), else the strictest defaults.
    """

    calculator: object
    name: str = ""
    capabilities: Capabilities = field(default=None)
    batched = False

    def __post_init__(self):
        self.name = self.name or type(self.calculator).__name__
        declared = self.capabilities or getattr(self.calculator, "capabilities", None)
        self.capabilities = Capabilities.from_declaration(declared)

    def prepare(self, atoms):
        """The structure as this calculator is given it (a copy; subclasses box molecules etc.)."""
        return atoms.copy()

    def evaluate(self, structures):
        """Every structure with a freshly reset calculator: each answer depends on its own
        structure only.  ASE calculators cache by positions, numbers and cell, not atoms.info,
        so without the reset H2 with charge +2 would get the cached answer for neutral H2; the
        calculator-contract checks (conformance/test_calculator_contract.py) call the model
        without it, as a user's script does, and expose a calculator that caches that way."""
        results = [self.calculate(atoms, reset=True) for atoms in structures]
        return tuple(list(column) for column in zip(*results)) if results else ([], [], [])

    def calculate(self, atoms, reset):
        """(energy, forces, stress or None) of one structure, as a user's script would get them:
        atoms.calc = calculator; atoms.get_potential_energy() ...; reset first if asked."""
        atoms = self.prepare(atoms)
        if reset and hasattr(self.calculator, "reset"):
            self.calculator.reset()
        atoms.calc = self.calculator
        energy = atoms.get_potential_energy()
        forces = atoms.get_forces()
        stress = None
        if atoms.pbc.any() and self.capabilities.stress:
            stress = atoms.get_stress(voigt=True)
        return energy, forces, stress
