"""The periodic laws (conformance/test_periodic.py) on toy models: the lawful pair + three-body
model passes every check, each broken variant fails exactly the checks aimed at its defect with a
message that names it, and the exact oracle (molecules only) gets every check as not applicable but the
molecule carrying a cell with no periodic direction.

Pair potentials with sharp features at their 6 Å cutoff test refinement (conformance/refinement.py)
across the periodic, curve and molecule laws: a force going linearly to zero at the cutoff and a
steep smooth switch are lawful and pass every check; a force that jumps at the cutoff fails exactly
the cutoff check of each curve and the stress of the cell whose image pairs sit at the cutoff."""

import numpy as np
import pytest

import suite
from periodic_models import KINK_SLOPE_EV_PER_A2, LawfulPeriodic
from suite import assert_fails_exactly, assert_no_skips, assert_only_not_applicable_skips, expand

MODULE = ["test_periodic.py"]
PERIODIC_MODELS = suite.REPO / "tests" / "periodic_models.py"

HYPOTHESIS_CELL_LAWS = {
    "extensive": "test_supercell_of_a_cell_is_extensive",
    "open": "test_cell_open_directions_do_not_matter",
    "equivalent": "test_equivalent_cell_describes_the_same_crystal",
    "wrapping": "test_atoms_moved_by_lattice_vectors_change_nothing",
    "rotation": "test_rotated_or_reflected_cell_is_the_same_crystal",
    "stress": "test_cell_stress_is_the_strain_derivative_of_the_energy",
    "forces": "test_cell_forces_are_the_energy_gradient",
}

CELL_WITHOUT_PERIODIC_DIRECTION = "test_molecule_ignores_a_cell_when_no_direction_is_periodic"

BROKEN = {
    # model: (test ids that must fail, a phrase one failure message must contain)
    "MinimumImagePeriodic": (
        # one image per pair: a supercell gains the images its cell lost (every crystal of the
        # catalogue has cells shorter than twice the 4 Å cutoff), and the image nearest in
        # fractional coordinates depends on the cell chosen.  The catalogue's equivalent cells of
        # diamond, rock salt, the slab and graphene happen to round to the same images; those of
        # fcc Cu and hcp Mg do not.
        # Its energy also has a cusp where the nearest image changes (an atom half a lattice vector
        # away), where its forces take one side: in the 4 × 2 × 2 Å cell at the cutoff the second
        # atom sits exactly there, and F · d misses −dE/dt by 13 eV/Å at every step.  A strain
        # that crosses such a point nearby (as ±0.5 % did on a drawn cell) is refined away: at
        # the geometry itself the stress is the derivative.
        [HYPOTHESIS_CELL_LAWS["extensive"], "test_crystal_supercell_is_extensive[*]",
         HYPOTHESIS_CELL_LAWS["equivalent"], "test_crystal_in_an_equivalent_cell_is_the_same[fcc-Cu]",
         "test_crystal_in_an_equivalent_cell_is_the_same[hcp-Mg]", HYPOTHESIS_CELL_LAWS["forces"]],
        "extensivity"),
    "FlippedStressSign": (
        [HYPOTHESIS_CELL_LAWS["stress"], "test_crystal_stress_is_the_strain_derivative_of_the_energy[*]",
         # −σ is positive under compression: the pressure −tr σ/3 comes out negative
         "test_crystal_compression_raises_energy_and_pressure[*]"],
        "opposite sign"),
    "StressInGPa": (
        [HYPOTHESIS_CELL_LAWS["stress"], "test_crystal_stress_is_the_strain_derivative_of_the_energy[*]"],
        "it is in GPa, not eV/Å³"),
    "WrapDependentPeriodic": (
        [HYPOTHESIS_CELL_LAWS["wrapping"], "test_crystal_with_atoms_moved_by_lattice_vectors_is_the_same[*]"],
        "translation by lattice vectors"),
    "IgnoresPbcOnZ": (
        # a molecule carrying a cell shorter than the cutoff sees its images along z as well
        [HYPOTHESIS_CELL_LAWS["open"], f"{CELL_WITHOUT_PERIODIC_DIRECTION}[*]"],
        "periodicity only along the periodic directions"),
    "PeriodicWheneverThereIsACell": ([f"{CELL_WITHOUT_PERIODIC_DIRECTION}[*]"], "a 2 Å cube, smaller than any cutoff"),
    "WrapsIntoTheCell": ([f"{CELL_WITHOUT_PERIODIC_DIRECTION}[*]"], "the molecule without a cell"),
}


def run(pytester, name, *args):
    return suite.run_suite(pytester, f"{PERIODIC_MODELS}:{name}", *args, modules=MODULE)


def test_lawful_periodic_model_passes_every_periodic_check(pytester):
    result = run(pytester, "LawfulPeriodic")
    assert result.exit_code == 0, result.output[-4000:]
    assert not result.crashes("LawfulPeriodic"), result.output[-3000:]
    assert result.with_outcome("failed") == set() and result.with_outcome("skipped") == set()
    assert len(result.outcomes) == 64, sorted(result.outcomes)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_periodic_model_fails_exactly_its_checks(pytester, name):
    patterns, phrase = BROKEN[name]
    assert_fails_exactly(run(pytester, name), patterns, phrase, skips=assert_no_skips)


def test_exact_oracle_gets_every_periodic_check_as_not_applicable(pytester):
    """... but the molecule carrying a cell with no periodic direction, which concerns no periodic
    cell: the oracle passes it on H2, and the other molecules have too many electrons for it."""
    result = suite.run_suite(pytester, "exact", modules=MODULE)
    assert result.exit_code == 0, result.output[-3000:]
    periodic = {test for test in result.outcomes if not test.startswith(CELL_WITHOUT_PERIODIC_DIRECTION)}
    assert periodic and result.with_outcome("skipped") == periodic | expand(
        [f"{CELL_WITHOUT_PERIODIC_DIRECTION}[{name}]" for name in ("H2O", "CH4", "C6H6", "NaCl")], result.outcomes)
    assert result.with_outcome("passed") == {f"{CELL_WITHOUT_PERIODIC_DIRECTION}[H2]"}
    assert all(result.messages[test].startswith("not applicable: exact declares that it does not handle periodic cells")
               for test in periodic), result.messages


def test_model_without_stress_gets_the_stress_checks_as_not_applicable(pytester):
    result = run(pytester, "DeclaresNoStress")
    assert result.exit_code == 0, result.output[-3000:]
    skipped = result.with_outcome("skipped")
    assert skipped == expand([HYPOTHESIS_CELL_LAWS["stress"], "test_crystal_stress_is_the_strain_derivative_of_the_energy[*]"],
                             result.outcomes), sorted(skipped)
    assert all("declares that it returns no stress" in result.messages[test] for test in skipped)


def test_toy_forces_and_stress_are_the_analytic_derivatives():
    """The lawful toy itself, against ASE's finite differences, on a dense skewed cell."""
    from mlip_conformance.conformance import cell_strategies
    atoms = cell_strategies.small_cell("Si")
    atoms.rattle(0.05, seed=1)
    atoms.calc = LawfulPeriodic()
    from ase.calculators.fd import calculate_numerical_forces, calculate_numerical_stress
    np.testing.assert_allclose(atoms.get_forces(), calculate_numerical_forces(atoms, eps=1e-5), atol=1e-7)
    np.testing.assert_allclose(atoms.get_stress(), calculate_numerical_stress(atoms, eps=1e-6), atol=1e-8)


SHARP_CUTOFF_MODULES = ["test_periodic.py", "test_curves.py", "test_molecules.py"]


@pytest.mark.parametrize("name", ["LinearForceCutoff", "SteepSwitchCutoff"])
def test_lawful_model_with_a_sharp_cutoff_passes_every_check(pytester, name):
    """Kinks and steep smooth switches at the cutoff are artefacts of a difference quotient, never
    findings: the checks refine them away (the 2 Å simple cubic cell puts image pairs at the cutoff)."""
    result = suite.run_suite(pytester, f"{PERIODIC_MODELS}:{name}", modules=SHARP_CUTOFF_MODULES, scorecard=True)
    assert result.exit_code == 0, result.output[-4000:]
    assert not result.crashes(name), result.output[-3000:]
    assert result.with_outcome("failed") == set()
    assert_only_not_applicable_skips(result)
    cutoff_checks = expand(["test_curve_is_smooth_at_the_declared_cutoff[*]"], result.with_outcome("passed"))
    assert len(cutoff_checks) >= 5, sorted(result.outcomes)
    if name == "LinearForceCutoff":   # the kink is measured and recorded: dF/dr jumps by −k
        jumps = _recorded(result, "test_curve_is_smooth_at_the_declared_cutoff", "slope_jump")
        assert jumps and all(abs(j + KINK_SLOPE_EV_PER_A2) < 0.01 * KINK_SLOPE_EV_PER_A2 for j in jumps), jumps
        orders = _recorded(result, "test_curve_is_smooth_at_the_declared_cutoff", "continuity_order")
        assert set(orders) == {2.0}, orders


def _recorded(result, check, key):
    """The measured values of one key over the parametrizations of a check, from the scorecard."""
    found = []
    for entry in result.scorecard["checks"]:
        if entry["function"] == check:
            found += [m["measured"] for m in entry.get("measurements", []) if m["key"] == key]
    return found


def test_force_jump_at_the_cutoff_fails_exactly_the_cutoff_and_stress_checks(pytester):
    """The energy is continuous, the force jumps by 50 meV/Å at the cutoff: the jump persists as the
    probes close in on the cutoff (every curve), and the energy of the 2 Å simple cubic cell, whose
    image pairs sit at the cutoff, has a kink that no strain step refines away."""
    result = suite.run_suite(pytester, f"{PERIODIC_MODELS}:CutoffForceJump", modules=SHARP_CUTOFF_MODULES)
    # every curve of its elements (no H: the toy's short wall is too soft for it) crosses 6 Å
    curves = [f"test_curve_is_smooth_at_the_declared_cutoff[{name}]"
              for name in ("C2", "N2", "O2", "Na2", "Cl2", "CO", "NO", "NaCl")]
    # The drawn cells' rotation law may fail too, depending on the draw (the ci profile seeds it from
    # the test's source, so any edit of the test draws anew): a cell whose images sit exactly at the
    # cutoff leaves it to round-off whether a pair counts, and with it the jumping force and the
    # stress, so the rotated cell's stress can differ.  The same defect, seen as broken invariance:
    # allowed, not required.
    rotation = HYPOTHESIS_CELL_LAWS["rotation"]
    if result.outcomes.get(rotation) == "failed":
        assert "stress" in result.messages[rotation], result.messages[rotation][:600]
        result.outcomes[rotation] = "passed"
    assert_fails_exactly(result, [*curves, HYPOTHESIS_CELL_LAWS["stress"]], "it persists as the step shrinks")
    assert any("forces must be continuous" in message for message in result.messages.values())
