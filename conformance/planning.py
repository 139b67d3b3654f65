"""The fixed geometries the selected checks will read, known before any test runs.

The plugin evaluates them first (mlip_conformance/plugin.py, pytest_collection_finish), so that under
pytest-xdist the workers share the evaluations evenly whatever tests the scheduler hands them.
A geometry left out here is still evaluated when a check asks for it; one listed here that no
check reads costs a wasted evaluation, nothing else.
"""

from mlip_conformance.conformance import catalogue, contract, crystals, molecules, species
from mlip_conformance.conformance.applicability import structure_needs, why_not

__all__ = ["planned_structures"]


def planned_structures(system_names, capabilities):
    """Structures for the checks of the given systems (their `system` markers), for a model
    with these capabilities (what it declares it cannot answer is left out)."""
    planned = catalogue.planned_structures(capabilities, set(system_names))
    for name in sorted(system_names):
        planned += [atoms for atoms in _BY_SYSTEM.get(name, lambda c: [])(capabilities)
                    if _answerable(atoms, capabilities)]
    return planned


def _answerable(atoms, capabilities):
    """The checks' own predicate (applicability.why_not) on what the structure asks."""
    return why_not(structure_needs(atoms), capabilities, "") is None


_BY_SYSTEM = {"crystals": crystals.planned_crystals, "molecule in a box": crystals.planned_boxes,
              "molecules": molecules.planned_structures, "molecule with a cell": molecules.planned_stray_cells,
              "species": species.planned_structures,
              "calculator contract": contract.planned_structures}
"""Other systems' fixed geometries: system-marker name -> function(capabilities) -> [Atoms]."""
