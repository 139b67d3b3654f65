"""The MACE adapter, tested offline on tiny random-weight checkpoints built at test time.

Skipped, with the reason, where mace-torch is not installed (it needs torch and e3nn 0.4.4,
so it lives in its own environment: pip install torch==2.13.0 && pip install -e '.[mace,test]').
"""

import urllib.error

import numpy as np
import pytest

pytest.importorskip("mace", reason="mace-torch is not installed (pip install -e '.[mace]')")

from mlip_conformance.adapters import ModelUsageError, load_model  # noqa: E402
from mlip_conformance.conformance import systems  # noqa: E402
from mlip_conformance.references.grids import H2_GRID_ANGSTROM  # noqa: E402
from tiny_checkpoints_mace import build_tiny_mace  # noqa: E402

FLOAT64_AGREEMENT = 1e-8
"""eV and eV/Å: batched and per-geometry float64 evaluations differ only by summation order."""


@pytest.fixture(scope="session")
def checkpoints(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mace")
    return {"embedded": str(build_tiny_mace(folder / "tiny_mace_charge_spin.model", True)),
            "plain": str(build_tiny_mace(folder / "tiny_mace.model", False))}


@pytest.fixture(scope="session")
def embedded(checkpoints):
    return load_model("mace", {"checkpoint": checkpoints["embedded"]})


@pytest.fixture(scope="session")
def plain(checkpoints):
    return load_model("mace", {"checkpoint": checkpoints["plain"]})


def test_local_checkpoint_loads_through_the_registry_with_its_capabilities(embedded):
    caps = embedded.capabilities
    assert embedded.name == "mace:tiny_mace_charge_spin.model"
    assert caps.reads_charge and caps.reads_spin
    assert caps.elements == frozenset({"H", "C", "N", "O"})
    assert caps.cutoff == 5.0
    assert caps.level_of_theory is None and caps.absolute_energies


def test_level_of_theory_option_is_declared(checkpoints):
    adapter = load_model("mace", {"checkpoint": checkpoints["plain"], "level_of_theory": "pbe"})
    assert adapter.capabilities.level_of_theory == "pbe"


def test_predictions_are_finite_with_one_force_per_atom(embedded):
    structures = [systems.h2(0.74), systems.hydrogen_atom(), systems.bare_nucleus("H"),
                  systems.structure("CH4", [(0, 0, 0), (0.63, 0.63, 0.63), (-0.63, -0.63, 0.63),
                                            (-0.63, 0.63, -0.63), (0.63, -0.63, -0.63)])]
    energies, forces, *_ = embedded.evaluate(structures)
    assert energies.shape == (len(structures),) and np.all(np.isfinite(energies))
    for atoms, force in zip(structures, forces):
        assert force.shape == (len(atoms), 3) and np.all(np.isfinite(force))


def test_charge_and_spin_reach_an_embedded_model(embedded):
    (neutral, charged), *_ = embedded.evaluate([systems.h2(0.74), systems.bare_protons(0.74)])
    (doublet, singlet), *_ = embedded.evaluate([systems.hydrogen_atom(),
                                               systems.atom("H", charge=0, spin=1)])
    assert charged != neutral
    assert doublet != singlet


def test_model_without_embedding_declares_that_it_reads_no_charge(plain):
    assert not plain.capabilities.reads_charge and not plain.capabilities.reads_spin
    (neutral, charged), *_ = plain.evaluate([systems.h2(0.74), systems.bare_protons(0.74)])
    assert charged == neutral


@pytest.mark.parametrize("kind", ["embedded", "plain"])
def test_batched_and_per_geometry_evaluation_agree(checkpoints, kind):
    structures = [systems.h2(r) for r in H2_GRID_ANGSTROM] + [
        systems.bare_protons(0.5), systems.hydrogen_atom(), systems.bare_nucleus("H")]
    batched = load_model("mace", {"checkpoint": checkpoints[kind]})
    one_by_one = load_model("mace", {"checkpoint": checkpoints[kind], "batch": False})
    energies, forces, *_ = batched.evaluate(structures)
    expected_energies, expected_forces, *_ = one_by_one.evaluate(structures)
    np.testing.assert_allclose(energies, expected_energies, rtol=0, atol=FLOAT64_AGREEMENT)
    for force, expected in zip(forces, expected_forces):
        np.testing.assert_allclose(force, expected, rtol=0, atol=FLOAT64_AGREEMENT)


@pytest.mark.parametrize("name, size", [("mace-mp-0", "small"), ("mace-off23", "medium"),
                                        ("mace-omol", "medium")])
def test_pretrained_name_without_network_is_one_line_usage_error(monkeypatch, tmp_path, name, size):
    # Offline on any machine: an empty weights cache and a download that cannot connect.
    from mace.calculators import foundations_models

    def no_network(url, *args, **kwargs):
        raise urllib.error.URLError("no network in this test")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(foundations_models, "_urlretrieve_with_timeout", no_network)
    with pytest.raises(ModelUsageError) as error:
        load_model("mace", {"name": name, "size": size})
    message = str(error.value)
    assert "\n" not in message
    assert name in message and "--model-option checkpoint=PATH" in message


def test_unknown_name_is_one_line_usage_error():
    with pytest.raises(ModelUsageError, match="unknown MACE model 'mace-nope'.*checkpoint=PATH"):
        load_model("mace", {"name": "mace-nope"})


def test_missing_checkpoint_file_is_one_line_usage_error(tmp_path):
    missing = tmp_path / "absent.model"
    with pytest.raises(ModelUsageError) as error:
        load_model("mace", {"checkpoint": str(missing)})
    assert "\n" not in str(error.value) and f"no checkpoint file at {missing}" in str(error.value)


@pytest.mark.parametrize("kind", ["embedded", "plain"])
def test_whole_suite_runs_on_a_local_checkpoint_without_crashing(run_suite, checkpoints, kind):
    # Random weights fail physics (exit code 1): that is a finding.  A crash is not.
    run = run_suite("mace", "--model-option", f"checkpoint={checkpoints[kind]}")
    assert run.exit_code in (0, 1), run.output
    assert run.outcomes and not run.crashes(), run.output
    if kind == "plain":  # honestly declared: the bare-nucleus tests are not applicable
        assert run.outcomes["test_model_responds_to_total_charge"] == "skipped"


def _diamond_and_h2():
    """A displaced diamond cell (C), the same cell periodic in-plane only, and an H2 molecule."""
    from mlip_conformance.conformance import crystals
    diamond = crystals.CATALOGUE[0].structure()
    slab = diamond.copy()
    slab.pbc = (True, True, False)
    return [diamond, systems.h2(0.74), slab]


@pytest.mark.parametrize("kind", ["embedded", "plain"])
def test_batched_path_returns_the_stress_of_periodic_structures(checkpoints, kind):
    # the batched forward pass gives each periodic structure the stress MACECalculator gives it,
    # and a molecule none
    structures = _diamond_and_h2()
    batched = load_model("mace", {"checkpoint": checkpoints[kind]})
    one_by_one = load_model("mace", {"checkpoint": checkpoints[kind], "batch": False})
    assert batched.capabilities.periodic and batched.capabilities.stress
    energies, forces, stresses = batched.evaluate(structures)
    expected_energies, _, expected_stresses = one_by_one.evaluate(structures)
    np.testing.assert_allclose(energies, expected_energies, rtol=0, atol=FLOAT64_AGREEMENT)
    assert stresses[1] is None and expected_stresses[1] is None
    for got, expected in zip([stresses[0], stresses[2]], [expected_stresses[0], expected_stresses[2]]):
        got = np.asarray(got)
        voigt = got[[0, 1, 2, 1, 0, 0], [0, 1, 2, 2, 2, 1]] if got.shape == (3, 3) else got
        np.testing.assert_allclose(voigt, expected, rtol=0, atol=FLOAT64_AGREEMENT)


def test_batched_stress_is_the_strain_derivative_of_the_energy(checkpoints):
    from mlip_conformance.conformance import cells, crystals
    from mlip_conformance.evaluation import Evaluator
    model = load_model("mace", {"checkpoint": checkpoints["plain"]})
    diamond = crystals.CATALOGUE[0].structure()
    evaluator = Evaluator(model)
    stress = evaluator.predict(diamond).stress
    h, volume = 1e-4, diamond.get_volume()
    for k, direction in enumerate(cells.VOIGT_DIRECTIONS):
        plus, minus = (evaluator.predict(cells.strained(diamond, direction, s * h)).energy for s in (1, -1))
        derivative = (plus - minus) / (2 * h * volume) / (1 if k < 3 else 2)
        assert abs(stress[k] - derivative) < 1e-6, (cells.VOIGT[k], stress[k], derivative)
