"""Session fixtures of the physics checks: the model's curves and atoms, computed once and
shared by every test (the plugin, mlip_conformance/plugin.py, provides model and evaluator)."""

import pytest

from mlip_conformance.conformance import catalogue, systems
from mlip_conformance.references.levels import reference_set


@pytest.fixture(scope="session")
def capabilities(model):
    return model.capabilities


@pytest.fixture
def scan(request, evaluator, model):
    """The model's curve of one catalogue entry (indirect parameter: a catalogue.CurveSystem)
    and its fragments; 'not applicable' where the model declares it cannot be asked."""
    entry = request.param
    why = catalogue.why_not_applicable(entry, model.capabilities, model.name)
    if why:
        pytest.skip(f"not applicable: {why}")
    return catalogue.scan(evaluator, entry)


@pytest.fixture(scope="session")
def bare_proton_curve(evaluator):
    return catalogue.scan(evaluator, catalogue.BY_NAME["bare-protons"]).curve


@pytest.fixture(scope="session")
def nuclei(capabilities):
    """Elements drawn for clusters of bare nuclei: H, and He where the model covers it."""
    return ["H"] + (["He"] if capabilities.covers(["He"]) else [])


@pytest.fixture(scope="session")
def hydrogen_atom(evaluator):
    """Outcome for the H atom (doublet); `.energy` fails the reading test if there is none."""
    return evaluator.predict_many([systems.hydrogen_atom()])[0]


@pytest.fixture(scope="session")
def reference(model):
    """Reference data for the level of theory the model declares."""
    level = model.capabilities.level_of_theory
    if level is None:
        pytest.skip(f"not applicable: {model.name} declares no reference level of theory")
    found = reference_set(level)
    if found is None:
        pytest.skip(f"not applicable: no reference data for level of theory {level!r} yet")
    return found


@pytest.fixture
def reads_charge(model):
    if not model.capabilities.reads_charge:
        pytest.skip(f"not applicable: {model.name} declares that it reads no total charge")


@pytest.fixture
def reads_spin(model):
    if not model.capabilities.reads_spin:
        pytest.skip(f"not applicable: {model.name} declares that it reads no spin multiplicity")


@pytest.fixture
def absolute_energies(model):
    if not model.capabilities.absolute_energies:
        pytest.skip(f"not applicable: {model.name} declares shifted (not absolute) energies")
