"""The ASE calculator contract: one calculator object, called as a user's script calls it.

A script keeps one calculator and asks it about structure after structure: atoms.calc = calc;
atoms.get_potential_energy().  ASE's Calculator caches its last answer and recomputes only when it
sees a change, and by default it looks at positions, atomic numbers, cell and pbc, not at
atoms.info: a calculator that reads the total charge or spin from atoms.info must also count a
change of either as a change, or it answers a new charge with the old result (AIMNet2#48,
torchmd-net#379, fairchem#1236).  The suite's own evaluator resets the calculator before every
structure (CalculatorAdapter.evaluate), so that every other check reads each structure's own
answer; this sequence calls it without any reset, each step changing exactly one thing, and every
answer must equal the fresh (reset) answer of the same structure.
"""

from dataclasses import dataclass, replace

import numpy as np
from ase.calculators.calculator import BaseCalculator

from mlip_conformance.adapters.base import CalculatorAdapter
from mlip_conformance.conformance import molecules, systems
from mlip_conformance.conformance.applicability import structure_needs, why_not
from mlip_conformance.conformance import tolerances as tol

__all__ = ["CHANGES", "Step", "calculator_path", "sequence", "run_without_reset", "planned_structures"]

CHANGES = ("positions", "numbers", "charge", "spin")
"""What a step of the sequence changes (its test id)."""

_ORDER = ("positions", "numbers", "charge", "spin", "charge", "spin", "positions")
"""The sequence after its first structure: every kind of change, and each charge and spin change
undone once with the others in a changed state."""

_START = ("H2O", "CH4", "NH3", "HF", "HCl", "H2S", "CO")
"""The first structure: the first of these molecules the model covers and affords (rattled by a
seed of its own, so that no check before has asked the calculator about that geometry), else H2."""

_SAME_GROUP = {"O": "S", "S": "O", "C": "Si", "Si": "C", "N": "P", "P": "N", "F": "Cl", "Cl": "Br", "Br": "Cl"}
"""Element substitutions that keep the number of electrons even or odd (ΔZ = 8 or 18), so that the
charge and spin of the structure stay valid."""

_DIRECTION = np.array([1.0, 2.0, 2.0]) / 3.0


@dataclass(frozen=True)
class Step:
    change: str    # one of CHANGES, or "start"
    what: str      # the change in a chemist's words
    atoms: object  # the structure (ase.Atoms)


def calculator_path(model):
    """The CalculatorAdapter through which a user's script reaches this model's ASE calculator, or
    None.  A CalculatorAdapter is one (SevenNet, CHGNet, ORB, any calculator given to --model); a
    family adapter that wraps an ASE calculator (MACE, fairchem) is called through that
    calculator; an adapter that calls the model directly (xTB's per-structure tblite calculator,
    AIMNet2's base calculator, pyscf) has no calculator a script would keep."""
    if isinstance(model, CalculatorAdapter):
        return model
    calculator = getattr(model, "calculator", None)
    if isinstance(calculator, BaseCalculator):
        return CalculatorAdapter(calculator, model.name, model.capabilities)
    return None


def _answerable(atoms, capabilities):
    symbols = atoms.get_chemical_symbols()
    charge, spin = atoms.info["charge"], atoms.info["spin"]
    electrons = systems.electron_count(symbols, charge)
    valid = electrons >= 0 and spin >= 1 and (spin - 1) % 2 == electrons % 2 and spin - 1 <= electrons
    # the calculator is compared with itself: a model that ignores the charge is asked all the same
    return valid and why_not(replace(structure_needs(atoms), charge=False), capabilities, "") is None


def _start(capabilities):
    for name in _START:
        entry = molecules.BY_NAME[name]
        if why_not(entry.requirements, capabilities, "") is None:
            atoms = entry.atoms()
            atoms.positions += _seeded_offsets(len(atoms))
            return atoms
    atoms = systems.h2(0.7391)
    atoms.positions = atoms.positions @ np.array([[0.6, 0.0, 0.8], [0.0, 1.0, 0.0], [-0.8, 0.0, 0.6]]).T
    return atoms


def _seeded_offsets(n):
    rng = np.random.default_rng(20240612)
    return rng.uniform(-1, 1, size=(n, 3)) * tol.MOLECULE_RATTLE_ANGSTROM / np.sqrt(3)


def _changed(atoms, change, capabilities, moved):
    """(new structure, description) for one change of the given kind, or None if none is valid."""
    new = atoms.copy()
    new.info = dict(atoms.info)
    if change == "positions":
        sign = -1.0 if moved else 1.0
        new.positions[0] += sign * tol.CONTRACT_DISPLACEMENT_ANGSTROM * _DIRECTION
        candidates = [(new, f"atom 0 moved by {sign * tol.CONTRACT_DISPLACEMENT_ANGSTROM:+g} Å along (1, 2, 2)/3")]
    elif change == "numbers":
        candidates = []
        for index, symbol in enumerate(atoms.get_chemical_symbols()):
            if symbol in _SAME_GROUP:
                swapped = new.copy()
                swapped.info = dict(new.info)
                swapped[index].symbol = _SAME_GROUP[symbol]
                candidates.append((swapped, f"atom {index} changed from {symbol} to {_SAME_GROUP[symbol]}"))
    elif change == "charge":
        charge = atoms.info["charge"]
        target = 2 if charge == 0 else 0
        new.info["charge"] = target
        candidates = [(new, f"total charge {charge:+d} → {target:+d}")]
    else:
        spin = atoms.info["spin"]
        candidates = []
        for target in (spin + 2, spin - 2):
            other = new.copy()
            other.info = dict(new.info, spin=target)
            candidates.append((other, f"spin multiplicity {spin} → {target}"))
    for candidate, what in candidates:
        if _answerable(candidate, capabilities):
            return candidate, what
    return None


def sequence(capabilities):
    """The structures, in order: a new geometry, then steps that each change exactly one thing
    (positions, atomic numbers, total charge or spin multiplicity), as far as the model declares
    it can answer the result."""
    current = _start(capabilities)
    steps = [Step("start", f"a new geometry, {systems.describe(current)}", current)]
    moved = False
    for change in _ORDER:
        found = _changed(current, change, capabilities, moved)
        if found is None:
            continue
        current, what = found
        moved = moved ^ (change == "positions")
        steps.append(Step(change, what, current))
    return steps


def run_without_reset(adapter, steps):
    """Each step's answer from the same calculator object, in order, never reset: a list of
    (energy, forces) or the text of what the calculator raised."""
    answers = []
    for step in steps:
        try:
            energy, forces, _ = adapter.calculate(step.atoms, reset=False)
            answers.append((float(energy), np.array(forces, dtype=float)))
        except KeyboardInterrupt:
            raise
        except BaseException as error:   # a crash is a finding for this step, not for the run
            answers.append(f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}")
    return answers


def planned_structures(capabilities):
    """The structures whose fresh answers the contract checks read."""
    return [step.atoms for step in sequence(capabilities)]
