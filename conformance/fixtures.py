"""Session fixtures of the physics checks: the model's curves and atoms, computed once and
shared by every test (the plugin, mlip_conformance/plugin.py, provides model and evaluator)."""

import pytest

from mlip_conformance.conformance import catalogue, systems
from mlip_conformance.references.levels import reference_set


@pytest.fixture(scope="session")
def capabilities(model):
    return model.capabilities


@pytest.fixture
def scan(request, evaluator):
    """The model's curve of one catalogue entry (indirect parameter: a catalogue.CurveSystem)
    and its fragments (a curve the model cannot be asked never gets here: its parameter declares
    what it needs, catalogue.over_curves)."""
    return catalogue.scan(evaluator, request.param)


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
    """Reference data for the level of theory the model declares.  Asking for it declares the
    need (applicability.FIXTURE_NEEDS): a check runs only where the level has data."""
    return reference_set(model.capabilities.level_of_theory)


# Asking for one of these declares a need (applicability.FIXTURE_NEEDS), decided at collection:
# the check runs only for a model that declares it reads the charge, the spin, or gives absolute
# energies.  They provide nothing.

@pytest.fixture
def reads_charge():
    pass


@pytest.fixture
def reads_spin():
    pass


@pytest.fixture
def absolute_energies():
    pass
