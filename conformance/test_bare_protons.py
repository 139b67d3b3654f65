"""Bare nuclei: with no electrons the energy is exactly Coulomb's law, E = k Σ Zi Zj / rij.

Two protons (H2 with charge +2) are the case that Lee & Dieng (arXiv 2509.26397) found
foundation models to get wrong.  These tests need a model that reads total charge; a model
that declares it does not is 'not applicable', never passed.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest
from hypothesis import example, given

from mlip_conformance.adapters.exact import coulomb
from mlip_conformance.conformance import strategies, systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close, assert_vectors_close, tolerance
from mlip_conformance.conformance.measurements import record
from mlip_conformance.references.constants import COULOMB_EV_ANGSTROM
from mlip_conformance.references.grids import COULOMB_GRID_ANGSTROM

pytestmark = [pytest.mark.system("bare protons"), pytest.mark.law, pytest.mark.usefixtures("reads_charge")]

PROBE_R_ANGSTROM = 0.74


@pytest.fixture(scope="session")
def charge_diagnosis(evaluator):
    """'' if the model responds to total charge, else a sentence saying that it does not."""
    neutral, charged = evaluator.predict_many(
        [systems.h2(PROBE_R_ANGSTROM), systems.bare_protons(PROBE_R_ANGSTROM)])
    if neutral.ok and charged.ok and abs(charged.energy - neutral.energy) <= tol.CHARGE_RESPONSE_EV:
        return (f" The model ignores total charge: E(H2, q=+2) = {charged.energy:.4f} eV equals "
                f"E(H2, q=0) = {neutral.energy:.4f} eV at {PROBE_R_ANGSTROM} Å.")
    return ""


@pytest.fixture(scope="session")
def free_nucleus(evaluator):
    """Energy of one isolated bare nucleus, by element (the zero of the Coulomb energy)."""
    return lambda symbol: evaluator.predict(systems.bare_nucleus(symbol)).energy


def test_model_responds_to_total_charge(evaluator):
    neutral = evaluator.predict(systems.h2(PROBE_R_ANGSTROM)).energy
    charged = evaluator.predict(systems.bare_protons(PROBE_R_ANGSTROM)).energy
    record("charge_response", f"|E(q=+2) − E(q=0)| of H2 at {PROBE_R_ANGSTROM} Å", abs(charged - neutral), units="eV")
    assert abs(charged - neutral) > tol.CHARGE_RESPONSE_EV, (
        f"E(H2, charge +2) = {charged:.4f} eV and E(H2, charge 0) = {neutral:.4f} eV at "
        f"{PROBE_R_ANGSTROM} Å differ by {abs(charged - neutral) * 1e3:.3f} meV: the model ignores "
        "atoms.info['charge'], yet removing both electrons changes the energy by about 51 eV")


@pytest.mark.parametrize("r", COULOMB_GRID_ANGSTROM, ids=lambda r: f"r={r:.2f}")
def test_bare_protons_follow_coulomb(bare_proton_curve, free_nucleus, charge_diagnosis, r):
    energy = bare_proton_curve.at(r).energy - 2 * free_nucleus("H")
    expected = COULOMB_EV_ANGSTROM / r
    try:
        assert_close(energy, expected,
                     tolerance(expected, tol.COULOMB_RELATIVE, tol.COULOMB_ABSOLUTE_EV),
                     f"E({r:.2f} Å) − 2E(H⁺) for two bare protons", "Coulomb's law k/r", key="energy")
    except AssertionError as error:
        raise AssertionError(f"{error}{charge_diagnosis}") from None


@pytest.mark.parametrize("r", COULOMB_GRID_ANGSTROM, ids=lambda r: f"r={r:.2f}")
def test_bare_proton_forces_follow_coulomb(bare_proton_curve, charge_diagnosis, r):
    forces = bare_proton_curve.at(r).forces
    push = COULOMB_EV_ANGSTROM / r ** 2
    expected = np.array([[0, 0, -push], [0, 0, push]])
    allowed = tolerance(push, tol.COULOMB_FORCE_RELATIVE, tol.COULOMB_FORCE_ABSOLUTE_EV_PER_A)
    try:
        assert_vectors_close(forces, expected, allowed, f"forces on two bare protons {r:.2f} Å apart",
                             "Coulomb's law ±k/r² along the bond", key="forces")
    except AssertionError as error:
        raise AssertionError(f"{error}{charge_diagnosis}") from None


def test_single_bare_proton_has_zero_energy(evaluator, absolute_energies):
    assert_close(evaluator.predict(systems.bare_nucleus("H")).energy, 0.0, tol.BARE_NUCLEUS_ENERGY_EV,
                 "E(H⁺)", "a nucleus with no electrons (zero energy)", key="energy")


@pytest.mark.drawn
@pytest.mark.system("bare-nucleus clusters")
def test_bare_nuclei_clusters_follow_coulomb(evaluator, nuclei, free_nucleus, charge_diagnosis):
    @given(cluster=strategies.bare_clusters(nuclei))
    @example(cluster=strategies.oblique_pair())
    def check(cluster):
        prediction = evaluator.predict(cluster)
        expected_energy, expected_forces = coulomb(cluster.numbers, cluster.positions)
        energy = prediction.energy - sum(free_nucleus(s) for s in cluster.get_chemical_symbols())
        name = systems.describe(cluster)
        try:
            assert_close(energy, expected_energy,
                         tolerance(expected_energy, tol.COULOMB_RELATIVE, tol.COULOMB_ABSOLUTE_EV),
                         f"E − Σ E(bare nucleus) of {name}", "Coulomb's law k Σ Zi Zj / rij", key="energy")
            allowed = np.maximum(tol.COULOMB_FORCE_RELATIVE * np.linalg.norm(expected_forces, axis=1),
                                 tol.COULOMB_FORCE_ABSOLUTE_EV_PER_A)[:, None]
            assert_vectors_close(prediction.forces, expected_forces, allowed, f"forces on {name}",
                                 "Coulomb's law", key="forces")
        except AssertionError as error:
            raise AssertionError(f"{error}{charge_diagnosis}") from None

    check()
