"""Which checks apply to a model: declared as data, decided once, reported as an outcome of its own.

A check (or the catalogue entry it is parametrized over) declares what it needs of a model as a
`Needs`: reading a total charge or a spin multiplicity, absolute energies, periodic cells, a
stress, a declared cutoff, reference data for the model's level of theory, elements, a number of
electrons.  It declares them with the `needs` marker (on the test, or on a parameter through
`needs_mark`), or by asking for one of the fixtures of FIXTURE_NEEDS.  The plugin evaluates every
check's needs against the model's Capabilities once, at collection (`why_not`), and ends the
checks whose needs the model does not meet before they run, with a uniform reason; the plan of
geometries (planning.py) reads the same predicate, so plan and verdicts cannot drift apart.

A check may still find, while it runs, that nothing it would ask lies within what the model
declared (e.g. no change of a structure stays within its declared elements): it then ends with
`not_applicable(reason)`.  Either way the exception is a pytest skip, so pytest reports it as
skipped with the reason; the plugin's reporter recognises the exception's type (never the text)
and records the status "not applicable".  Any other skip stays "skipped".
"""

from dataclasses import dataclass, fields

import pytest

from mlip_conformance.references.levels import reference_set

__all__ = ["Needs", "NotApplicable", "not_applicable", "why_not", "structure_needs", "needs_mark", "needs_of", "FIXTURE_NEEDS",
           "PREFIX"]

PREFIX = "not applicable: "
"""How a reason starts where people read it (the scorecard's message)."""


@dataclass(frozen=True)
class Needs:
    """What a check asks of a model; every field False/empty asks nothing."""

    charge: bool = False              # reads atoms.info["charge"]
    spin: bool = False                # reads atoms.info["spin"]
    absolute_energies: bool = False   # total electronic energies (E(H) = −13.6 eV)
    periodic: bool = False            # periodic cells
    stress: bool = False              # the stress of a periodic cell
    cutoff: bool = False              # a declared interaction cutoff
    reference: bool = False           # reference data for the declared level of theory
    elements: tuple = ()              # chemical symbols the structures contain
    electrons: int | None = None      # the most electrons in one structure

    def __or__(self, other):
        """Both sets of needs at once."""
        flags = {f.name: getattr(self, f.name) or getattr(other, f.name)
                 for f in fields(self) if isinstance(getattr(self, f.name), bool)}
        counts = [n for n in (self.electrons, other.electrons) if n is not None]
        return Needs(**flags, elements=tuple(dict.fromkeys(self.elements + other.elements)),
                     electrons=max(counts) if counts else None)


def why_not(needs, capabilities, model_name):
    """None when a model with these capabilities meets the needs, else the reason (what the model
    declared; the test id names the system)."""
    c = capabilities
    if needs.charge and not c.reads_charge:
        return f"{model_name} declares that it reads no total charge"
    if needs.spin and not c.reads_spin:
        return f"{model_name} declares that it reads no spin multiplicity"
    if needs.absolute_energies and not c.absolute_energies:
        return f"{model_name} declares shifted (not absolute) energies"
    if (needs.periodic or needs.stress) and not c.periodic:
        return f"{model_name} declares that it does not handle periodic cells"
    if needs.stress and not c.stress:
        return f"{model_name} declares that it returns no stress"
    if needs.cutoff and not c.cutoff:
        return f"{model_name} declares no cutoff"
    missing = [s for s in needs.elements if not c.covers([s])]
    if missing:
        return f"{model_name} declares that it covers no {' or '.join(missing)}"
    if needs.electrons is not None and not c.affords(needs.electrons):
        return f"{model_name} declares that it answers molecules of at most {c.max_electrons} electrons"
    if needs.reference and c.level_of_theory is None:
        return f"{model_name} declares no reference level of theory"
    if needs.reference and reference_set(c.level_of_theory) is None:
        return f"no reference data for level of theory {c.level_of_theory!r} yet"
    return None


def structure_needs(atoms):
    """What evaluating one structure asks of a model: a charge read where it carries one, its
    elements, its electrons."""
    symbols = atoms.get_chemical_symbols()
    charge = int(atoms.info.get("charge", 0))
    return Needs(charge=charge != 0, elements=tuple(dict.fromkeys(symbols)),
                 electrons=int(atoms.numbers.sum()) - charge)


def needs_mark(needs):
    """The marker that declares `needs` on a test or a parameter."""
    return pytest.mark.needs(needs)


FIXTURE_NEEDS = {
    "reads_charge": Needs(charge=True),
    "reads_spin": Needs(spin=True),
    "absolute_energies": Needs(absolute_energies=True),
    "reference": Needs(reference=True),
    "periodic": Needs(periodic=True),
    "stress": Needs(periodic=True, stress=True),
}
"""Fixtures whose request declares a need: a check that asks for `reads_charge` needs a model
that reads the total charge."""


def needs_of(item):
    """Everything a collected check declares it needs: its needs markers (the test's, its
    module's, its parameters') and the fixtures of FIXTURE_NEEDS it asks for."""
    found = Needs()
    for mark in item.iter_markers("needs"):
        found = found | mark.args[0]
    for name in getattr(item, "fixturenames", ()):
        if name in FIXTURE_NEEDS:
            found = found | FIXTURE_NEEDS[name]
    return found


class NotApplicable(pytest.skip.Exception):
    """The model declared that it cannot be asked what this check asks (`reason` says what).

    Shown as pytest shows any skip ("Skipped: not applicable: ..."; JUnit's message "not
    applicable: ..."), so that terminals, JUnit consumers and -rs summaries read as before; what
    makes it 'not applicable' for the suite is its type."""

    __module__ = "builtins"
    __qualname__ = "Skipped"

    def __init__(self, reason, at_the_check=False):
        # at_the_check: reported at the check's own location (decided before it ran), not where raised
        super().__init__(PREFIX + reason, _use_item_location=at_the_check)
        self.reason = reason

    @property
    def message(self):
        """The reason as the reports write it."""
        return self.msg


def not_applicable(reason):
    """End the running check as not applicable, because of what the model declared (`reason`)."""
    __tracebackhide__ = True
    raise NotApplicable(reason)
