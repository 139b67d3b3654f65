"""--select: law groups cover every system of the suite, each exactly once."""

import pytest

from mlip_conformance.cli import suite_arguments
from mlip_conformance.selection import GROUPS, group_of


class _Systems:
    """Records the system marker of every collected check."""

    def __init__(self):
        self.systems = set()

    def pytest_collection_finish(self, session):
        self.systems |= {item.get_closest_marker("system").args[0] for item in session.items
                         if item.get_closest_marker("system") is not None}


def _collected_systems(*arguments):
    found = _Systems()
    code = pytest.main([*suite_arguments(), "--model=exact", "--collect-only", "-qq", *arguments], plugins=[found])
    assert code == 0
    return found.systems


def test_every_system_of_the_suite_is_in_exactly_one_group():
    systems = _collected_systems()
    assert systems, "no check collected"
    assert {s for s in systems if group_of(s) is None} == set()
    listed = [system for members in GROUPS.values() for system in members]
    assert len(listed) == len(set(listed)), "a system in two groups"
    assert set(listed) == systems, f"groups name systems the suite does not have: {set(listed) - systems}"


@pytest.mark.parametrize("groups", ["curves", "periodic", "molecules,contract"])
def test_select_keeps_exactly_the_checks_of_its_groups(groups):
    wanted = {system for group in groups.split(",") for system in GROUPS[group]}
    assert _collected_systems(f"--select={groups}") == wanted


def test_an_unknown_group_is_a_usage_error(run_suite):
    run = run_suite("exact", "--select=curves,lawz")
    assert run.exit_code == 4
    assert "--select=curves,lawz: give one or more of curves, molecules, periodic, contract" in run.output
