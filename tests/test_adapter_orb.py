"""The ORB adapter on a tiny random-weight OrbMol built at test time: no download, no GPU.

The tiny model is the real orb-v3 conservative OMol architecture (charge and spin
conditioning, no stress head) with its widths, depths and message-passing steps reduced; the
adapter reads those sizes from the state dict.  Random weights fail physics: the end-to-end
run checks that the suite reports that as failures, never as errors.
"""

import socket

import pytest

pytest.importorskip("orb_models")

import numpy as np
import torch

from mlip_conformance.adapters import ModelUsageError, load_model
from mlip_conformance.adapters.orb import v3_sizes
from mlip_conformance.conformance import systems
from tiny_checkpoints_orb_aimnet import ORB_TINY_SIZES, tiny_orb_omat, tiny_orbmol


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory):
    return tiny_orbmol(tmp_path_factory.mktemp("orb") / "tiny_orbmol.ckpt")


@pytest.fixture(scope="session")
def orb_model(tiny_checkpoint):
    return load_model("orb", {"checkpoint": str(tiny_checkpoint)}, device="cpu")


def energy(model, atoms):
    return model.evaluate([atoms])[0][0]


def test_architecture_sizes_are_read_from_the_state_dict(tiny_checkpoint):
    assert v3_sizes(torch.load(tiny_checkpoint, weights_only=True)) == ORB_TINY_SIZES


def test_orbmol_checkpoint_declares_what_orbmol_reads(orb_model):
    capabilities = orb_model.capabilities
    assert orb_model.name == "orb:orb-v3-conservative-omol"
    assert capabilities.reads_charge and capabilities.reads_spin and capabilities.absolute_energies
    assert capabilities.level_of_theory == "wb97m-v/def2-tzvpd"
    assert capabilities.cutoff == 6.0
    # OrbMol is for non-periodic systems only (orb-models issue #125)
    assert not capabilities.periodic and not capabilities.stress


def test_predictions_are_finite_with_one_force_vector_per_atom(orb_model):
    structures = [systems.h2(0.74), systems.hydrogen_atom(),
                  systems.bare_cluster("H3", [(0, 0, 0), (0.9, 0, 0), (0, 1.1, 0)])]
    energies, forces, *_ = orb_model.evaluate(structures)
    assert len(energies) == 3 and np.isfinite(np.asarray(energies, dtype=float)).all()
    assert [f.shape for f in forces] == [(2, 3), (1, 3), (3, 3)]
    assert all(np.isfinite(f).all() for f in forces)


def test_total_charge_reaches_the_model(orb_model):
    assert energy(orb_model, systems.h2(0.74, charge=2)) != energy(orb_model, systems.h2(0.74, charge=0))


def test_spin_multiplicity_reaches_the_model(orb_model):
    assert energy(orb_model, systems.h2(0.74, charge=1, spin=2)) != energy(orb_model, systems.h2(0.74, charge=1, spin=4))


def test_same_positions_with_other_charge_are_computed_afresh(orb_model):
    neutral, charged = systems.h2(0.74), systems.h2(0.74, charge=2)
    energies, *_ = orb_model.evaluate([neutral, charged, neutral])
    assert energies[0] != energies[1] and energies[0] == energies[2]
    reused = systems.h2(0.74)          # the same Atoms object, its info changed between calls
    first = energy(orb_model, reused)
    reused.info.update(charge=2)
    assert energy(orb_model, reused) == energies[1] != first


def test_missing_charge_or_spin_gets_the_neutral_lowest_multiplicity(orb_model):
    bare = systems.h2(0.74)
    bare.info.clear()                 # orb-models itself would refuse this structure
    assert energy(orb_model, bare) == energy(orb_model, systems.h2(0.74))


def test_pretrained_name_offline_is_one_line_naming_the_checkpoint_option(monkeypatch, tmp_path):
    import cached_path.common

    def no_network(*args, **kwargs):
        raise OSError("network disabled by the test")
    monkeypatch.setattr(cached_path.common, "CACHE_DIRECTORY", tmp_path)   # nothing cached
    monkeypatch.setattr(socket, "create_connection", no_network)
    with pytest.raises(ModelUsageError) as error:
        load_model("orb", {}, device="cpu")
    message = str(error.value)
    assert "orb-v3-conservative-omol" in message and "checkpoint=PATH" in message
    assert "\n" not in message


def test_cached_weights_are_used_without_touching_the_network(monkeypatch, tmp_path):
    import cached_path.common
    from cached_path.util import resource_to_filename
    from mlip_conformance.adapters.orb import _cached_or_reachable

    def no_network(*args, **kwargs):
        raise AssertionError("the network was contacted although the weights are cached")
    url = "https://example.invalid/forcefields/orb-test.ckpt"
    (tmp_path / resource_to_filename(url)).write_bytes(b"weights")
    monkeypatch.setattr(cached_path.common, "CACHE_DIRECTORY", tmp_path)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert _cached_or_reachable(url) == str(tmp_path / resource_to_filename(url))


@pytest.mark.parametrize("options, message", [
    ({"checkpoint": "no/such/tiny.ckpt"}, "no checkpoint file at no/such/tiny.ckpt"),
    ({"name": "orb-v9"}, "unknown name 'orb-v9'"),
])
def test_bad_options_are_one_line_errors(options, message):
    with pytest.raises(ModelUsageError) as error:
        load_model("orb", options, device="cpu")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_checkpoint_of_another_architecture_is_one_line_error(tiny_checkpoint):
    with pytest.raises(ModelUsageError) as error:
        load_model("orb", {"checkpoint": str(tiny_checkpoint), "name": "orb-v2"}, device="cpu")
    assert "does not fit the orb-v2 architecture" in str(error.value)
    assert "\n" not in str(error.value)


def test_whole_suite_runs_on_the_tiny_model_without_errors(run_suite, tiny_checkpoint):
    run = run_suite("orb", "--model-option", f"checkpoint={tiny_checkpoint}", "--device", "cpu")
    assert run.exit_code in (0, 1), run.output          # 1: random weights fail physics
    assert run.outcomes, run.output
    assert not run.crashes("orb:orb-v3-conservative-omol"), run.output


def test_omat_architecture_returns_the_strain_derivative_as_its_stress(tmp_path):
    from mlip_conformance.conformance import cells, crystals
    from mlip_conformance.evaluation import Evaluator
    checkpoint = tiny_orb_omat(tmp_path / "tiny_orb_omat.ckpt")
    model = load_model("orb", {"checkpoint": str(checkpoint), "name": "orb-v3-conservative-inf-omat",
                               "precision": "float64"}, device="cpu")
    assert model.capabilities.periodic and model.capabilities.stress
    diamond = crystals.CATALOGUE[0].structure()
    evaluator = Evaluator(model)
    stress = evaluator.predict(diamond).stress
    h, volume = 1e-4, diamond.get_volume()
    for k, direction in enumerate(cells.VOIGT_DIRECTIONS):
        plus, minus = (evaluator.predict(cells.strained(diamond, direction, s * h)).energy for s in (1, -1))
        derivative = (plus - minus) / (2 * h * volume) / (1 if k < 3 else 2)
        assert abs(stress[k] - derivative) <= max(1e-6, 1e-3 * abs(derivative)), (cells.VOIGT[k], stress[k], derivative)
