"""Isolated atoms and ions: the H atom's exact energy, the bound H⁻ anion, and Hund's rule for
the ground-state spin of each atom (references/atoms.py states them, with sources).

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import pytest

from mlip_conformance.conformance import systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.applicability import Needs, needs_mark, not_applicable
from mlip_conformance.references import exact
from mlip_conformance.references.atoms import GROUND_STATE_MULTIPLICITY, GROUND_TERMS
from mlip_conformance.references.constants import HARTREE_EV

pytestmark = pytest.mark.system("atoms")


@pytest.fixture
def exact_anion(reference):
    if reference.name != "exact":
        not_applicable(f"no H⁻ reference for the {reference.name} level yet")
    return exact.H_ANION_HARTREE * HARTREE_EV


@pytest.mark.law
def test_hydrogen_atom_has_the_exact_energy(hydrogen_atom, absolute_energies):
    assert_close(hydrogen_atom.energy, exact.H_ATOM_HARTREE * HARTREE_EV, tol.CHEMICAL_ACCURACY_EV,
                 "E(H atom, doublet)", "the exact non-relativistic energy −1/2 Eh", key="energy")


@pytest.mark.accuracy
def test_hydrogen_atom_energy(hydrogen_atom, reference, absolute_energies):
    assert_close(hydrogen_atom.energy, reference.hydrogen_atom_energy, tol.CHEMICAL_ACCURACY_EV,
                 "E(H atom)", f"the {reference.name} reference", key="energy")


@pytest.mark.law
def test_hydride_anion_is_bound(evaluator, hydrogen_atom, reads_charge):
    binding = evaluator.predict(systems.hydride_anion()).energy - hydrogen_atom.energy
    record("binding", "E(H⁻) − E(H)", binding, None, None, "eV")
    assert binding < tol.HYDRIDE_BINDING_EV, (
        f"E(H⁻) − E(H) = {binding:+.4f} eV: the model does not bind a second electron to H, yet H⁻ has "
        "exactly one bound state, 0.755 eV below H + e⁻ (the electron affinity of hydrogen, infinite nuclear mass)")


@pytest.mark.accuracy
def test_hydrogen_electron_affinity(evaluator, hydrogen_atom, reads_charge, exact_anion):
    affinity = hydrogen_atom.energy - evaluator.predict(systems.hydride_anion()).energy
    expected = (exact.H_ATOM_HARTREE * HARTREE_EV) - exact_anion
    assert_close(affinity, expected, tol.CHEMICAL_ACCURACY_EV, "electron affinity E(H) − E(H⁻)",
                 "the exact energies of H and H⁻", key="affinity")


@pytest.mark.accuracy
def test_hydride_anion_energy(evaluator, reads_charge, absolute_energies, exact_anion):
    assert_close(evaluator.predict(systems.hydride_anion()).energy, exact_anion, tol.CHEMICAL_ACCURACY_EV,
                 "E(H⁻)", "the exact energy −0.527751 Eh (Pekeris; Frolov)", key="energy")


def _other_multiplicity(symbol):
    """The neighbouring spin state a model could wrongly prefer: one step down the spin ladder
    for high-spin atoms (C, N, O), one step up otherwise."""
    ground = GROUND_STATE_MULTIPLICITY[symbol]
    return ground - 2 if ground > 2 else ground + 2


HUND_ATOMS = [s for s in GROUND_TERMS if s != "H"]   # H has one spin state


@pytest.mark.law
@pytest.mark.parametrize("symbol", [
    pytest.param(s, marks=needs_mark(Needs(elements=(s,), electrons=systems.electron_count(s)))) for s in HUND_ATOMS])
def test_atom_ground_state_has_the_stated_spin(evaluator, model, reads_spin, symbol):
    ground, term = GROUND_STATE_MULTIPLICITY[symbol], GROUND_TERMS[symbol]
    other = _other_multiplicity(symbol)
    e_ground, e_other = (evaluator.predict(systems.atom(symbol, 0, spin)).energy for spin in (ground, other))
    record("spin_gap", f"E({symbol}, 2S+1 = {other}) − E({symbol}, 2S+1 = {ground})", e_other - e_ground, None, None, "eV")
    assert e_other > e_ground, (
        f"E({symbol}, multiplicity {other}) − E({symbol}, multiplicity {ground}) = {e_other - e_ground:+.4f} eV: "
        f"the ground state of the {symbol} atom is {term} (multiplicity {ground}, Hund's first rule; "
        "NIST ASD), so every other spin state must lie above it")
