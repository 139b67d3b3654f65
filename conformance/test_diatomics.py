"""Diatomic molecules over the elements a model declares: H–Ne, Na and Cl, homonuclear and
heteronuclear, each in its ground electronic state (systems.DIATOMICS, with its spin).

Laws that need no reference: the curve has one well or none (a bonded pair or a repulsive one),
its repulsive wall keeps rising as the atoms approach, it ends at the sum of the model's own
isolated-atom energies (each atom in its ground-state spin), and nothing jumps at the model's
cutoff.  The MLIP Arena smoothness metrics of each curve are recorded for the scorecard.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest
from ase.data import covalent_radii

from mlip_conformance.conformance import systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close
from mlip_conformance.conformance.curves import Curve
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.metrics import arena_metrics, minima, monotonicity_breaks, sign_changes

pytestmark = [pytest.mark.system("diatomics"), pytest.mark.law]

PAIRS = list(systems.DIATOMICS)


def _answerable(capabilities, pair):
    a, b, _, _ = systems.DIATOMICS[pair]
    return capabilities.covers([a, b]) and capabilities.affords(systems.electron_count([a, b]))


def _cutoff_probes(capabilities):
    c = capabilities.cutoff
    return [] if not c else [c - tol.CUTOFF_PROBE_ANGSTROM, c + tol.CUTOFF_PROBE_ANGSTROM]


@pytest.fixture(scope="module")
def diatomic_curves(evaluator, capabilities):
    """Every answerable pair's curve and its atoms, in one batch (pair -> (Curve, E_A, E_B))."""
    pairs = [p for p in PAIRS if _answerable(capabilities, p)]
    grids = {p: systems.diatomic_grid(p, _cutoff_probes(capabilities)) for p in pairs}
    symbols = sorted({x for p in pairs for x in systems.DIATOMICS[p][:2]})
    structures = [systems.diatomic(p, r) for p in pairs for r in grids[p]]
    structures += [systems.ground_state_atom(s) for s in symbols]
    outcomes = iter(evaluator.predict_many(structures))
    curves = {p: Curve(p, grids[p], [next(outcomes) for _ in grids[p]]) for p in pairs}
    atoms = {s: next(outcomes) for s in symbols}
    return {p: (curves[p], atoms[systems.DIATOMICS[p][0]], atoms[systems.DIATOMICS[p][1]]) for p in pairs}


@pytest.fixture
def pair_data(request, diatomic_curves, model):
    pair = request.param
    if pair not in diatomic_curves:
        a, b, _, _ = systems.DIATOMICS[pair]
        capabilities = model.capabilities
        # The reason leaves the pair out (the test id names it), so that pytest's -ra summary
        # folds the pairs a model cannot answer into one line per reason.
        why = (f"covers no {' or '.join(x for x in (a, b) if not capabilities.covers([x]))}"
               if not capabilities.covers([a, b]) else
               f"answers molecules of at most {capabilities.max_electrons} electrons")
        pytest.skip(f"not applicable: {model.name} declares that it {why}")
    return pair, *diatomic_curves[pair]


def _name(pair):
    a, b, spin, term = systems.DIATOMICS[pair]
    return f"{pair} ({term}, multiplicity {spin})"


def _atoms_energy(pair, atom_a, atom_b):
    return atom_a.energy + atom_b.energy


parametrize_pairs = pytest.mark.parametrize("pair_data", PAIRS, indirect=True, ids=PAIRS)


@parametrize_pairs
def test_diatomic_has_one_well_or_none(pair_data):
    pair, curve, _, _ = pair_data
    r, energy, _ = curve.window()
    i_min = int(np.argmin(energy))
    breaks = monotonicity_breaks(r, energy, i_min, tol.WIGGLE_EV)
    wells = minima(energy, tol.WIGGLE_EV)
    record("monotonicity_breaks", f"{pair} monotonicity breaks", len(breaks), 0, 0, "breaks")
    listed = "; ".join(f"from r = {x:.3g} Å it {'rises' if d > 0 else 'drops'} by {abs(d) * 1e3:.1f} meV"
                       for x, d in breaks[:4])
    where = ", ".join(f"{r[i]:.3g} Å" for i in wells) or "none inside the grid"
    assert not breaks, (
        f"the {_name(pair)} curve must fall to a single minimum (here {r[i_min]:.3g} Å) and rise on "
        f"both sides of it, or fall all the way if the pair is repulsive, but it turns the wrong way "
        f"{len(breaks)} times: {listed} (minima deeper than 1 meV at {where})")


@parametrize_pairs
def test_diatomic_wall_rises_as_the_atoms_approach(pair_data):
    pair, curve, atom_a, atom_b = pair_data
    a, b, _, _ = systems.DIATOMICS[pair]
    s = sum(covalent_radii[systems.atom(x).numbers[0]] for x in (a, b))
    r, energy, force = curve.window(0.0, tol.WALL_FRACTION_OF_COVALENT_SUM * s)
    above = energy - _atoms_energy(pair, atom_a, atom_b)
    record("wall_energy", f"E({r[0]:.3g} Å) − E(atoms) of {pair}", above[0], None, None, "eV")
    weak = np.flatnonzero(force <= tol.FORCE_SIGN_NOISE_EV_PER_A)
    assert above.min() > 0 and not len(weak) and np.all(np.diff(energy) < 0), (
        f"{_name(pair)} at r ≤ {r[-1]:.3g} Å (0.6 × the covalent radii sum): E − E(atoms) = "
        f"{', '.join(f'{e:+.3g}' for e in above[:4])} eV at r = {', '.join(f'{x:.3g}' for x in r[:4])} Å, "
        f"bond forces {', '.join(f'{f:+.3g}' for f in force[:4])} eV/Å: as the atoms approach, the "
        "nuclear repulsion must win — the energy rises above the separated atoms and keeps rising, "
        "and the force pushes the atoms apart")


@parametrize_pairs
def test_diatomic_dissociates_into_its_atoms(pair_data):
    pair, curve, atom_a, atom_b = pair_data
    a, b, _, _ = systems.DIATOMICS[pair]
    far = curve.at(systems.DIATOMIC_FAR_ANGSTROM).energy
    spins = [systems.GROUND_STATE_MULTIPLICITY[x][1] for x in (a, b)]
    assert_close(far - _atoms_energy(pair, atom_a, atom_b), 0.0, tol.CHEMICAL_ACCURACY_EV,
                 f"E({pair}, {systems.DIATOMIC_FAR_ANGSTROM:g} Å) − E({a}, {spins[0]}) − E({b}, {spins[1]})",
                 "size consistency (two ground-state atoms this far apart do not interact)", key="dissociation_energy")


@parametrize_pairs
def test_diatomic_force_changes_sign_at_most_once(pair_data):
    pair, curve, _, _ = pair_data
    r, energy, force = curve.window()
    for quantity, value in arena_metrics(r, energy, force).items():
        if np.isfinite(value):   # a Spearman coefficient of a branch with fewer than two points is NaN
            record("arena_" + quantity.lower().replace(" ", "_").replace("-", "_"), f"MLIP Arena {quantity}",
                   value, None, None, _ARENA_UNITS.get(quantity, ""))
    flips = sign_changes(force, tol.FORCE_SIGN_NOISE_EV_PER_A)
    record("force_flips", f"{pair} force flips", flips, 1, 0, "flips")
    assert flips <= 1 and force[0] > 0, (
        f"the {_name(pair)} bond force changes sign {flips} times (forces under 10 meV/Å ignored) and is "
        f"{force[0]:+.3g} eV/Å at {r[0]:.3g} Å: a curve with one well is repulsive inside it and "
        "attractive outside (one sign change), a repulsive curve never changes sign")


_ARENA_UNITS = {"energy jump": "eV", "conservation deviation": "eV/Å"}


@parametrize_pairs
def test_diatomic_is_smooth_at_the_cutoff(pair_data, capabilities, model):
    pair, curve, _, _ = pair_data
    c = capabilities.cutoff
    if not c:
        pytest.skip(f"not applicable: {model.name} declares no cutoff")
    inside, outside = (curve.at(x) for x in _cutoff_probes(capabilities))
    energy_jump = outside.energy - inside.energy
    force_jump = outside.forces[1, 2] - inside.forces[1, 2]
    record("force_jump", f"{pair} force jump at the cutoff", force_jump, 0.0, tol.CUTOFF_FORCE_JUMP_EV_PER_A, "eV/Å")
    assert_close(energy_jump, 0.0, tol.CUTOFF_ENERGY_JUMP_EV,
                 f"E({pair}, {c:g} Å + 1 mÅ) − E({pair}, {c:g} Å − 1 mÅ)", "a continuous energy across the cutoff", key="energy_jump")
    assert abs(force_jump) <= tol.CUTOFF_FORCE_JUMP_EV_PER_A, (
        f"the {pair} bond force jumps by {force_jump:+.4g} eV/Å across the model's {c:g} Å cutoff "
        f"(tolerance ±{tol.CUTOFF_FORCE_JUMP_EV_PER_A:g} eV/Å): forces must be continuous, or "
        "molecular dynamics does not conserve energy")
