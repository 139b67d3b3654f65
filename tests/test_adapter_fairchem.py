"""The fairchem (UMA, eSEN) adapter, tested offline on tiny random-weight checkpoints built at test time.

Skipped, with the reason, where fairchem-core is not installed (it pins torch~=2.13 and
e3nn>=0.5, so it lives in its own environment: pip install torch==2.13.0 && pip install -e '.[uma,test]').
"""

import os

import numpy as np
import pytest

pytest.importorskip("fairchem.core", reason="fairchem-core is not installed (pip install -e '.[uma]')")

from mlip_conformance.adapters import ModelUsageError, load_model  # noqa: E402
from mlip_conformance.conformance import systems  # noqa: E402
from mlip_conformance.evaluation import Evaluator  # noqa: E402
from mlip_conformance.references.grids import H2_GRID_ANGSTROM  # noqa: E402
from tiny_checkpoints_fairchem import build_tiny_uma  # noqa: E402

FLOAT32_AGREEMENT = 1e-4
"""eV and eV/Å: UMA runs in float32, and a batch sums in another order than a single geometry."""


@pytest.fixture(scope="session")
def checkpoints(tmp_path_factory):
    folder = tmp_path_factory.mktemp("uma")
    # "uma": like the published UMA models, isolated atoms are not run through the model.
    return {"uma": str(build_tiny_uma(folder / "tiny_uma.pt")),
            "single-atoms": str(build_tiny_uma(folder / "tiny_uma_single_atoms.pt",
                                               supports_single_atoms=True))}


@pytest.fixture(scope="session")
def uma(checkpoints):
    return load_model("uma", {"checkpoint": checkpoints["uma"]})


@pytest.fixture(scope="session")
def single_atoms(checkpoints):
    return load_model("uma", {"checkpoint": checkpoints["single-atoms"]})


def test_local_checkpoint_loads_through_the_registry_with_its_capabilities(uma):
    caps = uma.capabilities
    assert uma.name == "uma:tiny_uma.pt/omol"
    assert caps.reads_charge and caps.reads_spin and caps.absolute_energies
    assert caps.elements is None
    assert caps.level_of_theory == "wb97m-v/def2-tzvpd"
    assert caps.cutoff == 6.0


def test_task_selects_the_level_of_theory(checkpoints):
    adapter = load_model("uma", {"checkpoint": checkpoints["uma"], "task": "omat"})
    assert adapter.capabilities.level_of_theory == "pbe"
    with pytest.raises(ModelUsageError, match="has no task 'oc20'; its tasks are omol, omat"):
        load_model("uma", {"checkpoint": checkpoints["uma"], "task": "oc20"})


def test_esen_omol_factory_loads_a_local_checkpoint(checkpoints):
    adapter = load_model("esen-omol", {"checkpoint": checkpoints["uma"]})
    assert adapter.name == "esen-omol:tiny_uma.pt/omol"
    assert np.isfinite(adapter.evaluate([systems.h2(0.74)])[0]).all()


def test_predictions_are_finite_with_one_force_per_atom(single_atoms):
    structures = [systems.h2(0.74), systems.hydrogen_atom(), systems.bare_nucleus("H"),
                  systems.bare_cluster(["H", "He", "H"], [(0, 0, 0), (1, 0, 0), (0, 1.2, 0.3)]),
                  systems.structure("CH4", [(0, 0, 0), (0.63, 0.63, 0.63), (-0.63, -0.63, 0.63),
                                            (-0.63, 0.63, -0.63), (0.63, -0.63, -0.63)])]
    energies, forces, *_ = single_atoms.evaluate(structures)
    assert energies.shape == (len(structures),) and np.all(np.isfinite(energies))
    for atoms, force in zip(structures, forces):
        assert force.shape == (len(atoms), 3) and np.all(np.isfinite(force))


def test_charge_and_spin_reach_the_model(uma):
    energies, *_ = uma.evaluate([systems.h2(0.74), systems.bare_protons(0.74),
                                systems.h2(0.74, spin=3)])
    neutral, charged, triplet = energies
    assert charged != neutral
    assert triplet != neutral


def test_charge_and_spin_of_any_integer_type_are_accepted(uma):
    as_floats = systems.h2(0.74)
    as_floats.info.update(charge=2.0, spin=np.int64(1))
    energies, *_ = uma.evaluate([systems.bare_protons(0.74), as_floats])
    assert energies[0] == energies[1]
    half = systems.h2(0.74)
    half.info["charge"] = 0.5
    with pytest.raises(ValueError, match="is not an integer"):
        uma.evaluate([half])


def test_isolated_atom_without_atom_refs_fails_that_geometry_with_a_reason(uma):
    # fairchem answers isolated atoms from pretrained reference energies, which a local file lacks.
    evaluator = Evaluator(uma)
    atom, molecule = evaluator.predict_many([systems.hydrogen_atom(), systems.h2(0.74)])
    assert molecule.ok
    assert not atom.ok and "atom_refs" in str(atom.value) and "supports_single_atoms" in str(atom.value)


@pytest.mark.parametrize("kind", ["uma", "single-atoms"])
def test_batched_and_per_geometry_evaluation_agree(checkpoints, kind):
    structures = [systems.h2(r) for r in H2_GRID_ANGSTROM] + [systems.bare_protons(0.5),
                                                            systems.h2(1.0, charge=1, spin=2)]
    if kind == "single-atoms":  # isolated atoms inside a batch each get a predict() call of their own
        structures[60:60] = [systems.hydrogen_atom(), systems.bare_nucleus("H")]
    batched = load_model("uma", {"checkpoint": checkpoints[kind]})
    one_by_one = load_model("uma", {"checkpoint": checkpoints[kind], "batch": False})
    energies, forces, *_ = batched.evaluate(structures)
    expected_energies, expected_forces, *_ = one_by_one.evaluate(structures)
    np.testing.assert_allclose(energies, expected_energies, rtol=0, atol=FLOAT32_AGREEMENT)
    for force, expected in zip(forces, expected_forces):
        np.testing.assert_allclose(force, expected, rtol=0, atol=FLOAT32_AGREEMENT)


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No hub and an empty weights cache, on any machine: the adapter must find out by itself."""
    import huggingface_hub.constants
    from fairchem.core.calculate import pretrained_mlip

    import adapters.fairchem

    monkeypatch.setenv("HF_HUB_OFFLINE", "unset by this fixture")  # restored afterwards
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(adapters.fairchem, "_hub_reachable", lambda: False)
    monkeypatch.setattr(pretrained_mlip, "CACHE_DIR", str(tmp_path))


@pytest.mark.parametrize("spec, name", [("uma", "uma-s-1p1"), ("esen-omol", "esen-sm-conserving-all-omol")])
def test_pretrained_name_without_network_is_one_line_usage_error(offline, spec, name):
    with pytest.raises(ModelUsageError) as error:
        load_model(spec, {"name": name})
    message = str(error.value)
    assert "\n" not in message
    assert name in message and "--model-option checkpoint=PATH" in message
    # set before the download was tried, so huggingface_hub failed at once instead of retrying for 23 s
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_unknown_pretrained_name_is_one_line_usage_error():
    with pytest.raises(ModelUsageError, match="unknown pretrained name 'uma-nope'.*checkpoint=PATH"):
        load_model("uma", {"name": "uma-nope"})


def test_missing_checkpoint_file_is_one_line_usage_error(tmp_path):
    missing = tmp_path / "absent.pt"
    with pytest.raises(ModelUsageError) as error:
        load_model("uma", {"checkpoint": str(missing)})
    assert "\n" not in str(error.value) and f"no checkpoint file at {missing}" in str(error.value)


@pytest.mark.parametrize("kind", ["uma", "single-atoms"])
def test_whole_suite_runs_on_a_local_checkpoint_without_crashing(run_suite, checkpoints, kind):
    # Random weights fail physics (exit code 1): that is a finding.  A crash is not.
    run = run_suite("uma", "--model-option", f"checkpoint={checkpoints[kind]}")
    assert run.exit_code in (0, 1), run.output
    assert run.outcomes and not run.crashes(), run.output


def test_omol_task_declares_no_periodic_cells(uma):
    # OMol25 holds molecules only: the periodic checks are not applicable to the omol task
    assert not uma.capabilities.periodic and not uma.capabilities.stress


def test_omat_task_returns_the_stress_of_periodic_structures_in_both_paths(checkpoints):
    from mlip_conformance.conformance import crystals
    diamond = crystals.CATALOGUE[0].structure()
    structures = [diamond, systems.h2(0.74)]
    batched = load_model("uma", {"checkpoint": checkpoints["uma"], "task": "omat"})
    one_by_one = load_model("uma", {"checkpoint": checkpoints["uma"], "task": "omat", "batch": False})
    assert batched.capabilities.periodic and batched.capabilities.stress
    energies, _, stresses = batched.evaluate(structures)
    expected_energies, _, expected_stresses = one_by_one.evaluate(structures)
    np.testing.assert_allclose(energies, expected_energies, rtol=0, atol=FLOAT32_AGREEMENT)
    assert stresses[1] is None and expected_stresses[1] is None
    got = np.asarray(stresses[0]).reshape(3, 3)[[0, 1, 2, 1, 0, 0], [0, 1, 2, 2, 2, 1]]
    np.testing.assert_allclose(got, expected_stresses[0], rtol=0, atol=FLOAT32_AGREEMENT)
