"""The scanned systems: every potential-energy curve the suite evaluates, as data.

Each entry says what the system is (atoms, total charge, spin multiplicity, term), where it is
scanned (its bond-length grid), what it falls apart into (its fragments), the shape its exact
curve has (bound: exactly one well; repulsive: none; None: one well or none, for a well at the
noise floor of the laws), which reference curve and which measured Re and De it has, and what a
model must read to be asked (total charge, spin).  A diatomic's shape follows from its measured
well depth (bound_from_experiment).  The laws (conformance/test_curves.py) and the accuracy checks
(conformance/test_curve_accuracy.py) are written once and applied to every entry; adding a
curve is adding an entry here.
"""

from dataclasses import dataclass

import numpy as np
import pytest
from ase.data import atomic_numbers, covalent_radii

from mlip_conformance.conformance import systems
from mlip_conformance.conformance.applicability import Needs, needs_mark, why_not
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.curves import Curve
from mlip_conformance.references.atoms import GROUND_STATE_MULTIPLICITY
from mlip_conformance.references.constants import PROTIUM_MASS_U
from mlip_conformance.references.diatomics import GROUND_STATES, GroundState
from mlip_conformance.references.grids import COULOMB_GRID_ANGSTROM, DISSOCIATION_DISTANCE_ANGSTROM, H2_GRID_ANGSTROM

__all__ = ["Fragment", "CurveSystem", "CURVES", "BY_NAME", "Scan", "scan", "over_curves",
           "planned_structures", "cutoff_spans", "cutoff_probes", "scorecard_curves", "bound_from_experiment"]


@dataclass(frozen=True)
class Fragment:
    """One separated piece of a system at infinite separation: an atom or a bare nucleus."""

    symbol: str
    charge: int
    spin: int

    def atoms(self):
        return systems.atom(self.symbol, self.charge, self.spin)

    @property
    def name(self):
        if self.charge == atomic_numbers[self.symbol]:
            return f"{self.symbol}{_superscript(self.charge)} (bare)"
        ion = _superscript(self.charge) if self.charge else ""
        return f"{self.symbol}{ion}, multiplicity {self.spin}"


@dataclass(frozen=True)
class CurveSystem:
    name: str                    # test id and scorecard key: "H2", "H2+", "Li2", ...
    group: str                   # the system marker: rows of the report are grouped by it
    label: str                   # in a chemist's words, with the term symbol
    symbols: tuple
    charge: int
    spin: int
    grid: tuple                  # bond lengths, Å
    fragments: tuple             # the two Fragments the system dissociates into
    bound: bool | None           # True: exactly one well; False: no well; None: one well or none
    needs: tuple = ()            # capabilities the model must declare: "charge", "spin"
    dissociates: bool = True     # E(far) = Σ E(fragments); False for bare nuclei (Coulomb never ends)
    reference: str | None = None           # curve name in references.levels.CURVES
    reference_window: tuple | None = None  # where E(r) − E(far) is compared with the reference, Å
    reduced_mass_u: float | None = None    # for ωe; None: no spectroscopic accuracy checks
    exact_minimum: str = ""                # where the exact curve has its minimum, for messages
    experiment: GroundState | None = None  # measured Re and De of this state (references/diatomics.py)

    def structure(self, r):
        a, b = self.symbols
        return systems.structure([a, b], [(0, 0, 0), (0, 0, r)], self.charge, self.spin)

    @property
    def far(self):
        """The longest bond length of the grid: where the curve must have reached its fragments."""
        return float(self.grid[-1])

    @property
    def covalent_sum(self):
        return float(sum(covalent_radii[atomic_numbers[x]] for x in self.symbols))

    @property
    def electrons(self):
        return systems.electron_count(list(self.symbols), self.charge)

    @property
    def requirements(self):
        """What the curve asks of a model (applicability.Needs)."""
        return Needs(charge="charge" in self.needs, spin="spin" in self.needs,
                     elements=tuple(dict.fromkeys(self.symbols)), electrons=self.electrons)


def _superscript(charge):
    digits = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
    return (f"{abs(charge) if abs(charge) > 1 else ''}{'+' if charge > 0 else '-'}").translate(digits)


H, H_PLUS = Fragment("H", 0, 2), Fragment("H", 1, 1)


def _h2_family():
    grid = tuple(float(r) for r in H2_GRID_ANGSTROM)
    mass = PROTIUM_MASS_U / 2
    return [
        CurveSystem("H2", "H2", "H2 X¹Σg⁺ (neutral singlet)", ("H", "H"), 0, 1, grid, (H, H), bound=True,
                    reference="h2_singlet", reference_window=tol.CURVE_WINDOW_ANGSTROM, reduced_mass_u=mass,
                    exact_minimum="0.74144 Å", experiment=GROUND_STATES["H2"]),
        CurveSystem("H2+", "H2+", "H2⁺ X²Σg⁺ (one electron)", ("H", "H"), 1, 2, grid, (H, H_PLUS), bound=True,
                    needs=("charge", "spin"), reference="h2_cation", reference_window=tol.CURVE_WINDOW_ANGSTROM,
                    reduced_mass_u=mass, exact_minimum="2.00 bohr = 1.0569 Å"),
        CurveSystem("H2-triplet", "triplet H2", "H2 b³Σu⁺ (triplet)", ("H", "H"), 0, 3, grid, (H, H),
                    bound=False, needs=("spin",), reference="h2_triplet",
                    reference_window=tol.TRIPLET_WINDOW_ANGSTROM,
                    exact_minimum="none (a 0.55 meV van der Waals well at 4.16 Å, below the 1 meV wiggle)"),
        CurveSystem("bare-protons", "bare protons", "two bare protons (H2, charge +2: Coulomb's law k/r)",
                    ("H", "H"), 2, 1, tuple(float(r) for r in COULOMB_GRID_ANGSTROM), (H_PLUS, H_PLUS),
                    bound=False, needs=("charge",), dissociates=False, exact_minimum="none"),
    ]


def _diatomics():
    entries = []
    for pair, (a, b, spin, term) in systems.DIATOMICS.items():
        if pair == "H2":   # the H2 entry above, with its denser grid and its reference
            continue
        fragments = tuple(Fragment(x, 0, GROUND_STATE_MULTIPLICITY[x]) for x in (a, b))
        grid = tuple(float(r) for r in systems.diatomic_grid(pair))
        state = GROUND_STATES[pair]
        entries.append(CurveSystem(pair, "diatomics", f"{pair} {term} (multiplicity {spin})", (a, b), 0, spin,
                                   grid, fragments, bound=bound_from_experiment(state),
                                   exact_minimum=_measured_minimum(state), experiment=state))
    return entries


def bound_from_experiment(state):
    """True (exactly one well) where the measured well is deeper than the noise floor of the laws,
    None (one well or none) where it is not: tolerances.BOUND_WELL_DEPTH_EV."""
    return True if state.well_depth_ev > tol.BOUND_WELL_DEPTH_EV else None


def _measured_minimum(state):
    depth = (f"{state.well_depth_ev * 1e3:.2g} meV" if state.well_depth_ev < tol.BOUND_WELL_DEPTH_EV else
             f"{state.well_depth_ev:.3f} eV" if state.accurate else f"≈{state.well_depth_ev:.2g} eV")
    where = f" at Re = {state.re_angstrom:g} Å" if state.re_angstrom else ""
    return f"{depth} deep{where} ({state.short})"


CURVES = _h2_family() + _diatomics()
BY_NAME = {entry.name: entry for entry in CURVES}
assert DISSOCIATION_DISTANCE_ANGSTROM == BY_NAME["H2"].far


@dataclass(frozen=True)
class Scan:
    """A model's curve of one catalogue entry and its fragments."""

    entry: CurveSystem
    curve: Curve
    fragments: tuple   # Outcomes of the fragments

    @property
    def limit(self):
        """Σ E(fragments) in eV (raises PredictionError where the model gave none)."""
        return sum(outcome.energy for outcome in self.fragments)


def over_curves(where=lambda entry: True):
    """Parametrize a law (its `scan` fixture) over the catalogue entries it applies to; the
    system marker of each parameter groups the reports (H2, H2+, triplet H2, bare protons,
    diatomics)."""
    return pytest.mark.parametrize(
        "scan", [pytest.param(entry, id=entry.name, marks=[pytest.mark.system(entry.group), needs_mark(entry.requirements)])
                 for entry in CURVES if where(entry)], indirect=True)


def scan(evaluator, entry):
    """The model's curve of an entry and its fragments' energies, in one batch."""
    structures = [entry.structure(r) for r in entry.grid] + [f.atoms() for f in entry.fragments]
    outcomes = evaluator.predict_many(structures)
    n = len(entry.grid)
    return Scan(entry, Curve(entry.label, np.asarray(entry.grid), outcomes[:n]), tuple(outcomes[n:]))


def cutoff_spans():
    """The probe spans δ of the cutoff check, coarsest first: CUTOFF_PROBE_ANGSTROM shrunk by
    CUTOFF_PROBE_REFINEMENT_FACTOR per rung, at most REFINEMENT_MAX_RUNGS, none below
    REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM (1, 0.1 and 0.01 mÅ)."""
    spans, span = [], tol.CUTOFF_PROBE_ANGSTROM
    while len(spans) < tol.REFINEMENT_MAX_RUNGS and span >= tol.REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM:
        spans.append(span)
        span /= tol.CUTOFF_PROBE_REFINEMENT_FACTOR
    return tuple(spans)


def cutoff_probes(entry, cutoff, span=tol.CUTOFF_PROBE_ANGSTROM):
    """The two structures c ∓ span around a declared cutoff c, if c lies inside the grid."""
    if not cutoff or not entry.grid[0] < cutoff < entry.far:
        return []
    return [entry.structure(cutoff - span), entry.structure(cutoff + span)]


def planned_structures(capabilities, groups):
    """Every fixed geometry of every curve of the given groups this model is asked (for the
    plan: planning.py)."""
    planned = []
    for entry in CURVES:
        if entry.group in groups and why_not(entry.requirements, capabilities, "") is None:
            planned += [entry.structure(r) for r in entry.grid] + [f.atoms() for f in entry.fragments]
            # the two widest probe pairs are always read (the slope of the force on each side)
            planned += [p for span in cutoff_spans()[:2] for p in cutoff_probes(entry, capabilities.cutoff, span)]
    return planned


def scorecard_curves(evaluator, capabilities):
    """The model's curve of every applicable entry the run evaluated, for the scorecard: bond
    lengths, energies relative to the model's own fragments, bond forces.  Reads only what the
    run computed (evaluator.lookup); a curve the run did not evaluate is left out."""
    found = {}
    for entry in CURVES:
        if why_not(entry.requirements, capabilities, "") is not None:
            continue
        points = [evaluator.lookup(entry.structure(r)) for r in entry.grid]
        if not any(o is not None and o.ok for o in points):
            continue
        fragments = [evaluator.lookup(f.atoms()) for f in entry.fragments]
        if all(o is not None and o.ok for o in fragments):
            zero = sum(o.energy for o in fragments)
            described = "the model's " + " + ".join(f"E({f.name})" for f in entry.fragments)
        else:
            zero, described = 0.0, "absolute (the model gave no energy for a fragment)"
        found[entry.name] = {
            "label": entry.label,
            "r": list(entry.grid),
            "energy": [o.energy - zero if o is not None and o.ok else None for o in points],
            "bond_force": [float(o.forces[1, 2]) if o is not None and o.ok else None for o in points],
            "energy_zero": described,
            "units": {"r": "Å", "energy": "eV", "bond_force": "eV/Å"},
            "reference": entry.reference,
        }
    return found
