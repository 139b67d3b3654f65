"""SevenNet (package sevenn): pretrained weights ship inside the wheel.

Models: 7net-0 (default), 7net-l3i5, 7net-mf-0 (multi-fidelity: modal PBE or R2SCAN).
SevenNet has no charge or spin input, so the bare-nucleus tests are not applicable to it.
It handles periodic cells and returns their stress (eV/Å³, ASE's sign).
"""

import inspect

from ase.data import chemical_symbols

from mlip_conformance.adapters.base import CalculatorAdapter, Capabilities, ModelUsageError
from mlip_conformance.adapters.support import loading_weights, require, set_torch_threads, torch_device

LEVELS = {"7net-0": "pbe", "7net-l3i5": "pbe", "7net-mf-0": {"PBE": "pbe", "R2SCAN": "r2scan"}}
"""Training level of theory: MPtrj (PBE/PBE+U, VASP) for 7net-0 and l3i5; the multi-fidelity
model's level is chosen by its modal."""


ACCELERATOR_FLAGS = ("enable_cueq", "enable_flash", "enable_oeq")
"""SevenNetCalculator's tensor-product accelerators (cuEquivariance, FlashTP, OpenEquivariance; sevenn
≥ 0.11 has some of them): off by default; --compare-option enable_cueq=true checks that one
changes nothing but round-off."""


def make_sevenn(name="7net-0", modal=None, checkpoint=None, device="auto", threads=1,
                enable_cueq=False, enable_flash=False, enable_oeq=False):
    spec = f"sevenn:{checkpoint or name}"
    require("sevenn.calculator", spec, "sevenn")
    from sevenn.calculator import SevenNetCalculator
    set_torch_threads(threads)
    flags = _accelerator_flags(spec, SevenNetCalculator, dict(enable_cueq=enable_cueq, enable_flash=enable_flash,
                                                               enable_oeq=enable_oeq))
    modal = modal.upper() if isinstance(modal, str) else modal  # sevenn matches modals case-sensitively
    with loading_weights(spec, checkpoint or name, "give a SevenNet checkpoint with --model-option checkpoint=PATH"):
        calc = SevenNetCalculator(model=checkpoint or name, modal=modal, device=torch_device(device), **flags)
    level = LEVELS.get(name)   # None: a checkpoint or weights of no stated level (no reference level)
    if isinstance(level, dict):
        level = level.get(modal)
    elements = frozenset(chemical_symbols[z] for z in calc.type_map)   # Z → SevenNet's type index
    # Trained on MPtrj's periodic crystals; its calculator builds the graph with every periodic
    # image and returns the stress by autograd, in eV/Å³ with ASE's sign.
    capabilities = Capabilities(reads_charge=False, reads_spin=False, elements=elements,
                                absolute_energies=False, level_of_theory=level,
                                cutoff=float(getattr(calc, "cutoff", 5.0)), periodic=True, stress=True)
    return CalculatorAdapter(calc, name=f"SevenNet {name}{f' ({modal})' if modal else ''}",
                             capabilities=capabilities)


def _accelerator_flags(spec, calculator_class, asked):
    """The accelerator flags turned on, as keyword arguments; one the installed sevenn does not
    have is a usage error (its calculator would swallow it in **kwargs and run without it)."""
    accepted = inspect.signature(calculator_class.__init__).parameters
    missing = [flag for flag, on in asked.items() if on and flag not in accepted]
    if missing:
        present = ", ".join(flag for flag in ACCELERATOR_FLAGS if flag in accepted) or "none"
        raise ModelUsageError(f"model {spec!r}: the installed sevenn has no {', '.join(missing)} "
                              f"(its SevenNetCalculator takes {present})")
    return {flag: True for flag, on in asked.items() if on}
