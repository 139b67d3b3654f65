"""The exact-physics oracle passes every test of the suite, serially and in parallel.

It declares what it cannot answer (molecules of more than two electrons, a cutoff it does not
have): those checks, and only those, are 'not applicable' to it.
"""

ORACLE_NOT_APPLICABLE = ("test_diatomic_", "test_atom_ground_state_has_the_stated_spin[",
                         # molecules and clusters of more than two electrons (tests/test_molecule_laws.py
                         # checks which of these the oracle does answer)
                         "test_molecule", "test_mirror_image_", "test_two_distant_copies_",
                         "test_declared_element_is_supported[", "test_every_pair_of_declared_elements",
                         "test_calculator_answer_follows_a_change_of[numbers]")


def assert_not_applicable_only_where_declared(run):
    # device checks skip with "needs CUDA" on a machine without one; nothing else may skip
    skipped = {t for t in run.with_outcome("skipped") if "needs CUDA" not in run.messages[t]}
    unexpected = {t for t in skipped if not t.startswith(ORACLE_NOT_APPLICABLE)}
    assert not unexpected, {t: run.messages[t][:200] for t in unexpected}
    assert all("not applicable" in run.messages[t] for t in skipped)
    # the checks on H2 itself, and the He atom's spin, do run
    for test in ("test_diatomic_has_one_well_or_none[H2]", "test_atom_ground_state_has_the_stated_spin[He]"):
        assert run.outcomes.get(test) == "passed", (test, run.outcomes.get(test))


def test_exact_oracle_passes_every_test(run_suite):
    run = run_suite("exact")
    assert run.exit_code == 0, run.output[-3000:]
    assert run.with_outcome("failed") == set() and run.with_outcome("error") == set()
    assert_not_applicable_only_where_declared(run)
    assert len(run.outcomes) - len(run.with_outcome("skipped")) > 90


def test_exact_oracle_passes_in_parallel_with_the_same_outcomes(run_suite):
    serial = run_suite("exact")
    parallel = run_suite("exact", "-n", "2")
    assert parallel.exit_code == 0, parallel.output[-3000:]
    assert parallel.outcomes == serial.outcomes


def test_model_spec_can_be_a_file_path(run_suite, spec):
    run = run_suite(spec("exact"))
    assert run.exit_code == 0, run.output[-3000:]
    assert_not_applicable_only_where_declared(run)
