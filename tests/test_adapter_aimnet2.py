"""The AIMNet2 adapter on tiny random-weight v2 artifacts built at test time: no download.

Two variants: closed-shell (one charge channel, blind to the multiplicity) and NSE (two
channels, reads it).  Random weights fail physics: the end-to-end runs check that the suite
reports that as failures, never as errors.
"""

import pytest

pytest.importorskip("aimnet.calculators")

import numpy as np

from mlip_conformance.adapters import ModelUsageError, load_model
from mlip_conformance.conformance import systems
from tiny_checkpoints_orb_aimnet import tiny_aimnet2

KINDS = ("closed-shell", "nse")


@pytest.fixture(scope="session")
def checkpoints(tmp_path_factory):
    folder = tmp_path_factory.mktemp("aimnet2")
    return {kind: tiny_aimnet2(folder / f"tiny_{kind}.pt", open_shell=kind == "nse") for kind in KINDS}


@pytest.fixture(scope="session")
def models(checkpoints):
    return {kind: load_model("aimnet2", {"checkpoint": str(path)}, device="cpu")
            for kind, path in checkpoints.items()}


def energy(model, atoms):
    return model.evaluate([atoms])[0][0]


@pytest.mark.parametrize("kind", KINDS)
def test_checkpoint_declares_what_the_model_reads(models, kind):
    capabilities = models[kind].capabilities
    assert models[kind].name == f"aimnet2:tiny_{kind}.pt"
    assert capabilities.reads_charge and capabilities.absolute_energies
    assert capabilities.reads_spin == (kind == "nse")
    assert capabilities.elements == frozenset({"H", "C", "N", "O"})
    assert capabilities.level_of_theory == "wb97m-d3bj/def2-tzvpp"


@pytest.mark.parametrize("kind", KINDS)
def test_mixed_batch_matches_one_at_a_time(models, kind):
    structures = [systems.h2(0.74), systems.hydrogen_atom(), systems.h2(1.3, charge=1, spin=2),
                  systems.structure("CH4", [(0, 0, 0), (0.63, 0.63, 0.63), (-0.63, -0.63, 0.63),
                                            (-0.63, 0.63, -0.63), (0.63, -0.63, -0.63)])]
    energies, forces = models[kind].evaluate(structures)
    assert energies.shape == (4,) and np.isfinite(energies).all()
    assert [f.shape for f in forces] == [(2, 3), (1, 3), (2, 3), (5, 3)]
    for atoms, batch_energy, batch_forces in zip(structures, energies, forces):
        alone_energies, alone_forces = models[kind].evaluate([atoms])
        assert batch_energy == pytest.approx(alone_energies[0], abs=1e-5)
        np.testing.assert_allclose(batch_forces, alone_forces[0], atol=1e-5)


@pytest.mark.parametrize("kind", KINDS)
def test_total_charge_reaches_the_model(models, kind):
    model = models[kind]
    assert energy(model, systems.h2(0.74, charge=2)) != energy(model, systems.h2(0.74, charge=0))


def test_open_shell_model_reads_the_multiplicity(models):
    model = models["nse"]
    assert energy(model, systems.h2(1.0, charge=1, spin=2)) != energy(model, systems.h2(1.0, charge=1, spin=4))


def test_closed_shell_model_is_blind_to_the_multiplicity_and_says_so(models, recwarn):
    model = models["closed-shell"]
    assert not model.capabilities.reads_spin
    assert energy(model, systems.h2(1.0, charge=1, spin=2)) == energy(model, systems.h2(1.0, charge=1, spin=4))
    assert not [w for w in recwarn if "ignored" in str(w.message)]   # the adapter sends no mult


@pytest.mark.parametrize("kind", KINDS)
def test_charge_does_not_stick_to_the_next_structure(models, kind):
    model = models[kind]
    neutral, charged = systems.h2(0.74), systems.h2(0.74, charge=2)
    unlabelled = systems.h2(0.74)
    unlabelled.info.clear()           # no charge key: neutral, never the previous call's charge
    energies, _ = model.evaluate([neutral, charged, neutral])
    assert energies[1] != pytest.approx(energies[0], abs=1e-4)
    assert energies[2] == pytest.approx(energies[0], abs=1e-6)   # float32 sums differ in batches
    energy(model, charged)
    assert energy(model, unlabelled) == pytest.approx(energies[0], abs=1e-6)


def test_pretrained_name_offline_is_one_line_naming_the_checkpoint_option(monkeypatch, tmp_path):
    import requests
    from aimnet.calculators import model_registry

    def no_network(*args, **kwargs):
        raise requests.ConnectionError("network disabled by the test")
    monkeypatch.setenv("AIMNET_CACHE_DIR", str(tmp_path))   # nothing cached
    monkeypatch.setattr(model_registry.requests, "get", no_network)
    with pytest.raises(ModelUsageError) as error:
        load_model("aimnet2", {}, device="cpu")
    message = str(error.value)
    assert "'aimnet2'" in message and "checkpoint=PATH" in message and "\n" not in message


@pytest.mark.parametrize("options, message", [
    ({"checkpoint": "no/such/tiny.pt"}, "no checkpoint file at no/such/tiny.pt"),
    ({"name": "aimnet9"}, "unknown name 'aimnet9'"),
])
def test_bad_options_are_one_line_errors(options, message):
    with pytest.raises(ModelUsageError) as error:
        load_model("aimnet2", options, device="cpu")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_file_that_is_no_aimnet2_model_is_one_line_error(tmp_path):
    import torch
    path = tmp_path / "not_aimnet2.pt"
    torch.save({"weights": torch.zeros(3)}, path)
    with pytest.raises(ModelUsageError) as error:
        load_model("aimnet2", {"checkpoint": str(path)}, device="cpu")
    assert "is not a loadable AIMNet2 model" in str(error.value) and "\n" not in str(error.value)


# One end-to-end run (40 s here): the open-shell model, whose inputs include the multiplicity.
@pytest.mark.parametrize("kind", ["nse"])
def test_whole_suite_runs_on_the_tiny_model_without_errors(run_suite, checkpoints, kind):
    run = run_suite("aimnet2", "--model-option", f"checkpoint={checkpoints[kind]}", "--device", "cpu")
    assert run.exit_code in (0, 1), run.output          # 1: random weights fail physics
    assert run.outcomes, run.output
    assert not run.crashes(f"aimnet2:tiny_{kind}.pt"), run.output
