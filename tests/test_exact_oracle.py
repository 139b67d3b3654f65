"""The exact-physics oracle passes every test of the suite, serially and in parallel."""

def test_exact_oracle_passes_every_test(run_suite):
    run = run_suite("exact")
    assert run.exit_code == 0, run.output[-3000:]
    assert run.with_outcome("failed") == set() and run.with_outcome("error") == set()
    assert run.with_outcome("skipped") == set(), run.messages
    assert len(run.outcomes) > 70


def test_exact_oracle_passes_in_parallel_with_the_same_outcomes(run_suite):
    serial = run_suite("exact")
    parallel = run_suite("exact", "-n", "2")
    assert parallel.exit_code == 0, parallel.output[-3000:]
    assert parallel.outcomes == serial.outcomes


def test_model_spec_can_be_a_file_path(run_suite, spec):
    run = run_suite(spec("exact"))
    assert run.exit_code == 0, run.output[-3000:]
    assert run.with_outcome("skipped") == set()
