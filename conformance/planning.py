"""The fixed geometries the selected checks will read, known before any test runs.

The plugin evaluates them first (mlip_conformance/plugin.py, pytest_runtestloop), so that under
pytest-xdist the workers share the evaluations evenly whatever tests the scheduler hands them.
A geometry left out here is still evaluated when a check asks for it; one listed here that no
check reads costs a wasted evaluation, nothing else.
"""

from mlip_conformance.conformance import catalogue, crystals, systems

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
    charge = atoms.info.get("charge", 0)
    if charge and not capabilities.reads_charge:
        return False
    return (capabilities.covers(atoms.get_chemical_symbols())
            and capabilities.affords(systems.electron_count(atoms.get_chemical_symbols(), charge)))


def _molecules(capabilities):
    from mlip_conformance.conformance import molecules
    return molecules.planned_structures(capabilities)


def _stray_cells(capabilities):
    from mlip_conformance.conformance import molecules
    return molecules.planned_stray_cells(capabilities)


def _species(capabilities):
    from mlip_conformance.conformance import species
    return species.planned_structures(capabilities)


def _calculator_contract(capabilities):
    from mlip_conformance.conformance import contract
    return contract.planned_structures(capabilities)


_BY_SYSTEM = {"crystals": crystals.planned_crystals, "molecule in a box": crystals.planned_boxes,
              "molecules": _molecules, "molecule with a cell": _stray_cells, "species": _species,
              "calculator contract": _calculator_contract}
"""Other systems' fixed geometries: system-marker name -> function(capabilities) -> [Atoms]."""
