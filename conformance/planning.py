"""The fixed geometries the selected checks will read, known before any test runs.

The plugin evaluates them first (mlip_conformance/plugin.py, pytest_runtestloop), so that under
pytest-xdist the workers share the evaluations evenly whatever tests the scheduler hands them.
A geometry left out here is still evaluated when a check asks for it; one listed here that no
check reads costs a wasted evaluation, nothing else.
"""

from mlip_conformance.conformance import systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.references.grids import COULOMB_GRID_ANGSTROM, H2_GRID_ANGSTROM

__all__ = ["planned_structures"]


def planned_structures(system_names, capabilities):
    """Structures for the checks of the given systems (their `system` markers), for a model
    with these capabilities (what it declares it cannot answer is left out)."""
    planned = []
    for name in sorted(system_names):
        planned += [atoms for atoms in _BY_SYSTEM.get(name, lambda c: [])(capabilities)
                    if _answerable(atoms, capabilities)]
    return planned


def _answerable(atoms, capabilities):
    charge = atoms.info.get("charge", 0)
    if charge and not capabilities.reads_charge and atoms.numbers.sum() == charge:
        return False
    return (capabilities.covers(atoms.get_chemical_symbols())
            and capabilities.affords(systems.electron_count(atoms.get_chemical_symbols(), charge)))


def _h2(capabilities):
    return [systems.h2(r) for r in H2_GRID_ANGSTROM] + [systems.hydrogen_atom()]


def _bare_protons(capabilities):
    if not capabilities.reads_charge:
        return []
    return [systems.bare_protons(r) for r in COULOMB_GRID_ANGSTROM] + [systems.bare_nucleus("H")]


def _cation(capabilities):
    if not (capabilities.reads_charge and capabilities.reads_spin):
        return []
    return [systems.h2_cation(r) for r in H2_GRID_ANGSTROM] + [systems.bare_nucleus("H")]


def _triplet(capabilities):
    if not capabilities.reads_spin:
        return []
    return [systems.h2_triplet(r) for r in H2_GRID_ANGSTROM] + _h2(capabilities)


def _diatomics(capabilities):
    h = tol.CUTOFF_PROBE_ANGSTROM
    probes = [] if not capabilities.cutoff else [capabilities.cutoff - h, capabilities.cutoff + h]
    structures = []
    for pair, (a, b, _, _) in systems.DIATOMICS.items():
        if capabilities.covers([a, b]) and capabilities.affords(systems.electron_count([a, b])):
            structures += [systems.diatomic(pair, r) for r in systems.diatomic_grid(pair, probes)]
            structures += [systems.ground_state_atom(a), systems.ground_state_atom(b)]
    return structures


def _molecules(capabilities):
    from mlip_conformance.conformance import molecules
    return molecules.planned_structures(capabilities)


def _species(capabilities):
    from mlip_conformance.conformance import species
    return species.planned_structures(capabilities)


def _calculator_contract(capabilities):
    from mlip_conformance.conformance import contract
    return contract.planned_structures(capabilities)


_BY_SYSTEM = {"H2": _h2, "bare protons": _bare_protons, "H2+": _cation, "triplet H2": _triplet,
              "diatomics": _diatomics, "molecules": _molecules, "species": _species,
              "calculator contract": _calculator_contract}
