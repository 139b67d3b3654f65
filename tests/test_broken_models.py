"""Each deliberately broken model fails exactly the tests aimed at its defect, with a readable
message, and nothing crashes."""

import re

import pytest

EXACT_WALL = [f"test_h2_wall_stays_above_united_atom_bound[r={r}]" for r in ("0.20", "0.25")]
BARE_PROTON_TESTS = ["test_bare_protons_follow_coulomb[*]", "test_bare_proton_forces_follow_coulomb[*]",
                     "test_bare_nuclei_clusters_follow_coulomb"]

BROKEN_MODELS = {
    # model: (patterns of the test ids that must fail, a phrase one failure message must contain)
    "ScaledCoulomb": (BARE_PROTON_TESTS, "Coulomb's law"),
    "SecondMinimum": (["test_h2_has_exactly_one_minimum", "test_h2_energy_falls_to_the_minimum_then_rises",
                        "test_h2_force_changes_sign_once", "test_h2_curve_matches_reference"],
                       "minima deeper than 1 meV"),
    "HighDissociationLimit": (["test_h2_dissociates_into_two_hydrogen_atoms", "test_h2_well_depth",
                                 "test_h2_curve_matches_reference"], "size consistency"),
    "SoftWall": (EXACT_WALL, "united-atom bound"),
    "CutoffJump": (["test_h2_energy_falls_to_the_minimum_then_rises"], "from r = 5.00 Å it drops by"),
    "OrientationDependent": (["test_h2_is_invariant_under_rotation_translation_and_permutation",
                               "test_bare_clusters_are_invariant_under_rotation_translation_and_permutation",
                               "test_h2_forces_obey_newtons_third_law[*]",
                               # Coulomb's law is isotropic: clusters in random orientations catch it too
                               "test_bare_nuclei_clusters_follow_coulomb"], "invariance"),
    "NonConservativeForces": (["test_h2_forces_are_energy_gradient[*]"], "−dE/dr"),
    "IgnoresCharge": (["test_model_responds_to_total_charge", "test_single_bare_proton_has_zero_energy",
                        *BARE_PROTON_TESTS], "ignores"),
    "NaNAtShortRange": (["test_h2_has_exactly_one_minimum", "test_h2_energy_falls_to_the_minimum_then_rises",
                            "test_h2_force_changes_sign_once",
                            "test_h2_wall_stays_above_united_atom_bound[r=0.20]",
                            "test_bare_protons_follow_coulomb[r=0.20]",
                            "test_bare_proton_forces_follow_coulomb[r=0.20]"], "got energy nan eV"),
}


def expand(patterns, tests):
    """Test ids matching any pattern; '*' is the only wildcard (brackets are literal)."""
    regexes = [re.compile(re.escape(p).replace(r"\*", ".*")) for p in patterns]
    return {test for test in tests if any(regex.fullmatch(test) for regex in regexes)}


@pytest.mark.parametrize("name", sorted(BROKEN_MODELS))
def test_broken_model_fails_exactly_the_intended_tests(run_suite, spec, name):
    patterns, phrase = BROKEN_MODELS[name]
    run = run_suite(spec(name))
    assert run.exit_code == 1, f"exit code {run.exit_code}\n{run.output[-3000:]}"
    assert not run.crashes(), run.output[-3000:]
    failed = run.with_outcome("failed")
    expected = expand(patterns, run.outcomes)
    for pattern in patterns:
        assert expand([pattern], run.outcomes), f"pattern {pattern!r} matches no test"
    assert failed == expected, (f"unexpected failures: {sorted(failed - expected)}; "
                                f"expected but passed: {sorted(expected - failed)}")
    assert run.with_outcome("skipped") == set(), run.messages
    assert any(phrase in run.messages[test] for test in failed), \
        f"no failure message mentions {phrase!r}:\n" + "\n".join(run.messages[t][:300] for t in failed)


def test_model_declaring_no_charge_is_not_applicable_for_bare_protons(run_suite, spec):
    run = run_suite(spec("DeclaresNoCharge"))
    assert run.exit_code == 0, run.output[-3000:]
    skipped = run.with_outcome("skipped")
    assert skipped == expand(["test_model_responds_to_total_charge", "test_single_bare_proton_has_zero_energy",
                              *BARE_PROTON_TESTS], run.outcomes)
    assert skipped, run.output[-2000:]
    assert all("reads no total charge" in run.messages[test] for test in skipped), run.messages
