"""Self-tests of the molecule, species and calculator-contract checks.

The lawful many-body toy (tests/many_body_models.py) passes every check of the three modules, as
its charge- and spin-reading variant and the exact oracle do (the oracle answers two electrons at
most, so nearly everything is 'not applicable' to it); each broken variant fails exactly the
checks aimed at its defect.  The catalogue, the species tables, the pair covering and the contract
sequence are checked in-process.
"""

import itertools

import numpy as np
import pytest
from ase.data import atomic_numbers, covalent_radii
from ase.data.g2 import data as g2

import many_body_models as toys
import suite
from mlip_conformance.adapters import Capabilities, CalculatorAdapter
from mlip_conformance.adapters.exact import ExactPhysics
from mlip_conformance.conformance import contract, molecules, species, systems
from mlip_conformance.references.atoms import GROUND_STATE_MULTIPLICITY, GROUND_TERMS
from suite import assert_fails_exactly, assert_only_not_applicable_skips

MODULES = ["test_molecules.py", "test_species.py", "test_calculator_contract.py"]
TOYS = suite.REPO / "tests" / "many_body_models.py"


def toy_spec(name):
    return f"{TOYS}:{name}"


@pytest.fixture
def run_modules(pytester):
    return lambda model, *args: suite.run_suite(pytester, model, *args, modules=MODULES)


def _toy_molecules(condition):
    return [entry.name for entry in molecules.applicable(toys.Toy.capabilities) if condition(entry)]


def _mixed(entry):
    """Hydrogen and at least one heavier atom: a 5 % force scaling of the heavy atoms leaves a net force."""
    return "H" in entry.symbols and set(entry.symbols) != {"H"}


GRADIENT = "test_molecule_forces_are_the_energy_gradient"
JACOBIAN = "test_molecule_force_jacobian_is_symmetric"
NEWTON = "test_molecule_forces_have_no_net_force_or_torque"

BROKEN = {
    # model: (test ids that must fail, a phrase one failure message must contain)
    "HeavyAtomForces": (
        [f"{GRADIENT}[*]",
         # scaling every force of an all-heavy molecule (SO2) by 1.05 keeps its Jacobian symmetric
         *[f"{JACOBIAN}[{name}]" for name in molecules.FINITE_DIFFERENCE_SET if name != "SO2"],
         # forces scaled on some atoms only no longer cancel
         *[f"{NEWTON}[{name}]" for name in _toy_molecules(_mixed)]],
        "energy conservation"),
    "CurlForces": ([f"{JACOBIAN}[*]"], "these forces have a curl"),
    "StaleInfo": (["test_calculator_answer_follows_a_change_of[charge]",
                   "test_calculator_answer_follows_a_change_of[spin]"], "previous structure's answer"),
    "RaisesOnIodine": (["test_declared_element_is_supported[I]", "test_every_pair_of_declared_elements_is_supported",
                        "test_random_clusters_of_declared_elements_are_supported"], "declares I, yet"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_toy_fails_exactly_the_intended_checks(run_modules, name):
    patterns, phrase = BROKEN[name]
    assert_fails_exactly(run_modules(toy_spec(name)), patterns, phrase)


@pytest.mark.parametrize("name", ["Toy", "ReadsChargeAndSpin"])
def test_lawful_toy_passes_every_check(run_modules, name):
    run = run_modules(toy_spec(name))
    assert run.exit_code == 0, run.output[-3000:]
    assert not run.with_outcome("failed") and not run.with_outcome("error")
    assert_only_not_applicable_skips(run)
    passed = run.with_outcome("passed")
    for test in ("test_molecules_are_invariant_under_rotations_reflections_translations_and_permutations",
                 "test_mirror_image_has_the_same_energy_and_mirrored_forces[alanine]", f"{GRADIENT}[CHFClBr]",
                 f"{JACOBIAN}[C6H6]", "test_molecule_is_unaffected_by_distant_atoms[CH4]",
                 "test_two_distant_copies_have_twice_the_energy_of_one[O2]", "test_declared_element_is_supported[Br]",
                 "test_every_pair_of_declared_elements_is_supported", *[
                     f"test_calculator_answer_follows_a_change_of[{change}]" for change in contract.CHANGES]):
        assert test in passed, (test, run.outcomes.get(test))
    if name == "ReadsChargeAndSpin":   # the ions apply to a model that reads charge
        assert {f"{NEWTON}[NH4+]", "test_molecule_is_unaffected_by_distant_atoms[acetate]"} <= passed


def test_exact_oracle_passes_and_is_not_applicable_beyond_two_electrons(run_modules):
    run = run_modules("exact")
    assert run.exit_code == 0, run.output[-3000:]
    assert not run.with_outcome("failed") and not run.with_outcome("error")
    assert_only_not_applicable_skips(run)
    # what it can answer is asked: H, He and Li⁺ alone, random H/He clusters, the calculator contract
    assert run.with_outcome("passed") == {
        "test_declared_element_is_supported[H]", "test_declared_element_is_supported[He]",
        "test_declared_element_is_supported[Li]", "test_random_clusters_of_declared_elements_are_supported",
        "test_calculator_answer_follows_a_change_of[positions]", "test_calculator_answer_follows_a_change_of[charge]",
        "test_calculator_answer_follows_a_change_of[spin]"}
    assert "answers molecules of at most 2 electrons" in run.messages["test_molecule_forces_are_the_energy_gradient[H2O]"]


# ---- the catalogue ------------------------------------------------------------------------------

def test_g2_molecules_have_the_multiplicity_of_their_ground_state_in_g2():
    for entry in molecules.CATALOGUE:
        if entry.source.startswith("g2:"):
            moments = g2[entry.source[3:]]["magmoms"]
            assert entry.spin == 1 + round(sum(moments or [0])), entry.name


def test_every_molecule_has_a_valid_charge_and_spin():
    for entry in molecules.CATALOGUE:
        assert entry.electrons >= 1 and (entry.spin - 1) % 2 == entry.electrons % 2, entry.name
        assert entry.spin - 1 <= entry.electrons, entry.name
    assert len({entry.name for entry in molecules.CATALOGUE}) == len(molecules.CATALOGUE)
    assert set(molecules.FINITE_DIFFERENCE_SET) <= set(molecules.BY_NAME)


def _bonds(atoms):
    d = atoms.get_all_distances()
    radii = covalent_radii[atoms.numbers]
    return d < 1.25 * (radii[:, None] + radii[None, :]), d / (radii[:, None] + radii[None, :])


@pytest.mark.parametrize("name", [e.name for e in molecules.CATALOGUE if e.source == "built here"])
def test_built_molecules_are_sound(name):
    """One bond per hydrogen, connected, no other pair closer than 1.3 × the sum of covalent radii."""
    atoms = molecules.BY_NAME[name].atoms()
    bonded, ratio = _bonds(atoms)
    np.fill_diagonal(bonded, False)
    for index in np.flatnonzero(atoms.numbers == 1):
        assert bonded[index].sum() == 1, (name, index)
    reached, frontier = {0}, [0]
    while frontier:
        frontier = [j for i in frontier for j in np.flatnonzero(bonded[i]) if j not in reached]
        reached.update(frontier)
    assert len(reached) == len(atoms), name
    nonbonded = ratio[~bonded & ~np.eye(len(atoms), dtype=bool)]
    assert nonbonded.size == 0 or nonbonded.min() > 1.3, (name, nonbonded.min())


def _handedness(centre, first, second, third):
    """+1 for (S), −1 for (R): substituent vectors in CIP priority order, lowest pointing away."""
    return np.sign(np.dot(first - centre, np.cross(second - centre, third - centre)))


def test_chiral_molecules_are_the_stated_enantiomers():
    p = molecules.BY_NAME["CHFClBr"].atoms().positions   # C, Br, Cl, F, H
    assert _handedness(p[0], p[1], p[2], p[3]) == 1
    p = molecules.BY_NAME["alanine"].atoms().positions   # N, Cα, C(OOH), …, Cβ at 6
    assert _handedness(p[1], p[0], p[2], p[6]) == 1      # N > COOH > CH3 > H: L-alanine is (S)


def test_rattles_are_seeded_and_small():
    for entry in molecules.CATALOGUE:
        first, second = molecules.rattled(entry), molecules.rattled(entry)
        assert np.array_equal(first.positions, second.positions)
        moved = np.linalg.norm(first.positions - entry.atoms().positions, axis=1)
        assert moved.max() <= 0.05 + 1e-12 and moved.min() > 0


# ---- species ------------------------------------------------------------------------------------

def test_ground_state_multiplicities_have_the_right_parity_and_agree_with_the_terms():
    assert len(GROUND_STATE_MULTIPLICITY) == 94 and species.DEFAULT_ELEMENTS == tuple(GROUND_STATE_MULTIPLICITY)
    for symbol, multiplicity in GROUND_STATE_MULTIPLICITY.items():
        assert (multiplicity - 1) % 2 == atomic_numbers[symbol] % 2, symbol
    superscripts = dict(zip("¹²³⁴⁵⁶⁷⁸⁹", range(1, 10)))
    for symbol, term in GROUND_TERMS.items():
        assert superscripts[term[0]] == GROUND_STATE_MULTIPLICITY[symbol], symbol


@pytest.mark.parametrize("count", [2, 5, 10, 89])
def test_pair_covering_covers_every_pair(count):
    elements = tuple(species.DEFAULT_ELEMENTS[:count])
    groups = species.pair_covering(elements)
    covered = {frozenset(pair) for group in groups for pair in itertools.combinations(group, 2)}
    assert covered == {frozenset(pair) for pair in itertools.combinations(elements, 2)}
    assert all(len(group) <= 4 for group in groups)
    assert species.pair_covering(elements) == groups
    if count == 89:
        assert len(groups) <= 725   # the lower bound is 668


def test_clusters_put_every_pair_at_or_just_beyond_the_sum_of_covalent_radii():
    rng = np.random.default_rng(0)
    for _ in range(500):
        symbols = list(rng.choice(species.DEFAULT_ELEMENTS, size=rng.integers(1, 5)))
        atoms = species.tetrahedron(symbols)
        assert sorted(atoms.get_chemical_symbols()) == sorted(symbols)
        if len(atoms) > 1:
            _, ratio = _bonds(atoms)
            off = ratio[np.triu_indices(len(atoms), 1)]
            assert off.min() > 0.999 and off.max() < 1.1, (symbols, off)


def test_species_structures_respect_the_declared_electrons():
    oracle = Capabilities(max_electrons=2)
    asked = {(a.get_chemical_formula(), a.info["charge"], a.info["spin"]) for a in species.planned_structures(oracle)}
    assert asked == {("H", 0, 2), ("H2", 0, 1), ("H", 1, 1), ("H", -1, 1), ("He", 0, 1), ("He", 1, 2), ("Li", 1, 1)}


def test_clusters_side_by_side_are_further_apart_than_the_cutoff():
    """Grouped clusters (a model that reads neither charge nor spin) never come within its cutoff."""
    capabilities = Capabilities(reads_charge=False, reads_spin=False, cutoff=5.0)
    clusters = species.covering_clusters(capabilities)
    groups = species.grouped(clusters, capabilities)
    assert sum(len(members) for _, members in groups) == len(clusters) and len(groups) < len(clusters) / 10
    for structure, members in groups[:5]:
        sizes = [len(clusters[index]) for index in members]
        owner = np.repeat(np.arange(len(members)), sizes)
        distances = structure.get_all_distances()
        assert distances[owner[:, None] != owner[None, :]].min() > 5.0
    assert species.grouped(clusters, toys.ReadsChargeAndSpin.capabilities)[0][0] is clusters[0]


# ---- the calculator contract --------------------------------------------------------------------

def _difference(before, after):
    changed = []
    if not np.array_equal(before.positions, after.positions):
        changed.append("positions")
    if not np.array_equal(before.numbers, after.numbers):
        changed.append("numbers")
    for key in ("charge", "spin"):
        if before.info[key] != after.info[key]:
            changed.append(key)
    return changed


@pytest.mark.parametrize("capabilities", [toys.Toy.capabilities, toys.ReadsChargeAndSpin.capabilities,
                                          ExactPhysics.capabilities], ids=["toy", "charged toy", "oracle"])
def test_contract_sequence_changes_exactly_one_thing_per_step(capabilities):
    steps = contract.sequence(capabilities)
    assert steps[0].change == "start"
    for before, after in zip(steps, steps[1:]):
        assert _difference(before.atoms, after.atoms) == [after.change], after.what
    kinds = {step.change for step in steps[1:]}
    assert kinds == (set(contract.CHANGES) - {"numbers"} if capabilities.max_electrons == 2 else set(contract.CHANGES))


def test_calculator_path_is_the_calculator_a_script_would_keep():
    adapter = CalculatorAdapter(toys.Toy())
    assert contract.calculator_path(adapter) is adapter

    class Wrapping:
        name, capabilities, calculator = "wrapping", toys.Toy.capabilities, toys.Toy()
    assert contract.calculator_path(Wrapping()).calculator is Wrapping.calculator

    class Direct:
        name, capabilities, calculator = "direct", toys.Toy.capabilities, object()
    assert contract.calculator_path(Direct()) is None


def test_the_exact_oracle_sees_a_change_of_charge_without_a_reset():
    adapter = CalculatorAdapter(ExactPhysics())
    neutral, bare = systems.h2(0.74), systems.bare_protons(0.74)
    assert adapter.calculate(neutral, reset=False)[0] != adapter.calculate(bare, reset=False)[0]


# ---- the toys -----------------------------------------------------------------------------------

def _numerical(function, positions, h=1e-5):
    n = positions.size
    columns = []
    for k in range(n):
        plus, minus = positions.copy(), positions.copy()
        plus.flat[k] += h
        minus.flat[k] -= h
        columns.append((np.asarray(function(plus)) - np.asarray(function(minus))).ravel() / (2 * h))
    return np.array(columns).T


@pytest.mark.parametrize("name", ["alanine", "CHFClBr", "SO2"])
def test_toy_forces_are_its_exact_gradient_and_the_curl_is_a_pure_curl(name):
    atoms = molecules.rattled(molecules.BY_NAME[name])
    toy = toys.Toy()

    def energy(positions):
        moved = atoms.copy()
        moved.positions = positions
        return toy.lawful(moved)[0]
    _, forces = toy.lawful(atoms)
    assert np.allclose(-_numerical(energy, atoms.positions).reshape(-1, 3), forces, atol=1e-6)
    curl = toys.curl_force(atoms.positions)
    assert np.abs(curl.sum(axis=0)).max() < 1e-12
    assert np.abs(np.cross(atoms.positions, curl).sum(axis=0)).max() < 1e-12
    jacobian = _numerical(toys.curl_force, atoms.positions)
    assert 0.025 < np.abs(jacobian - jacobian.T).max() / 2 and np.abs(curl).max() < 0.009
