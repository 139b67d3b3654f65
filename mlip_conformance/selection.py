"""Law groups: the suite's checks in four parts a user can ask for by name (--select).

Each group is a set of `system` markers (the physical systems the checks examine), so a group
is the checks of those systems whatever module they live in; tests/test_selection.py proves that
every system marker of the suite belongs to exactly one group, so a new system cannot silently
fall outside every selection.
"""

import pytest

__all__ = ["GROUPS", "parse_groups", "group_of", "deselect"]

GROUPS = {
    "curves": ("H2", "H2+", "triplet H2", "bare protons", "diatomics", "bare-nucleus clusters"),
    "molecules": ("molecules", "atoms", "species", "size consistency"),
    "periodic": ("periodic cells", "crystals", "molecule in a box", "molecule with a cell"),
    "contract": ("calculator contract", "numerics"),
    "dynamics": ("nve dynamics",),
}
"""Group name -> the system markers of its checks: the dissociation and Coulomb curves; molecules,
atoms and their ions; crystals, slabs and boxes; the calculator contract and numerical consistency; molecular dynamics."""


def parse_groups(text):
    """'curves,contract' -> ('curves', 'contract'); an unknown name is a usage error (exit 4)."""
    if isinstance(text, (tuple, list)):
        return tuple(text)
    names = tuple(dict.fromkeys(name.strip() for name in str(text).split(",") if name.strip()))
    unknown = [name for name in names if name not in GROUPS]
    if unknown or not names:
        raise pytest.UsageError(f"--select={text}: give one or more of {', '.join(GROUPS)}, separated by commas")
    return names


def group_of(system):
    """The group of a system marker's name, or None."""
    return next((group for group, systems in GROUPS.items() if system in systems), None)


def deselect(config, items, groups):
    """Keep the checks of the chosen groups; the rest are deselected (pytest reports the count)."""
    wanted = {system for group in groups for system in GROUPS[group]}
    left_out = [item for item in items
                if item.get_closest_marker("system") is None or item.get_closest_marker("system").args[0] not in wanted]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        dropped = set(left_out)
        items[:] = [item for item in items if item not in dropped]
