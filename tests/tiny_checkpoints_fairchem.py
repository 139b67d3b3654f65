"""A tiny random-weight UMA-style checkpoint, built at test time, so the adapter is tested offline.

The model has UMA's architecture (eSCN-MD backbone with a mixture of linear experts, charge,
spin and dataset embeddings, conservative forces by autograd) at 57k parameters, and is
saved as the MLIPInferenceCheckpoint that fairchem's load_predict_unit reads.  Random
weights fail physics, which is the point: the suite must report that, not crash.
"""

TASKS = ("omol", "omat")


def _backbone():
    return {
        "model": "fairchem.core.models.uma.escn_moe.eSCNMDMoeBackbone",
        "max_num_elements": 100, "sphere_channels": 16, "lmax": 2, "mmax": 2,
        "otf_graph": True, "max_neighbors": 30, "cutoff": 6.0, "edge_channels": 16,
        "num_distance_basis": 32, "num_layers": 1, "hidden_channels": 16,
        "direct_forces": False, "regress_forces": True, "regress_stress": True,  # forces = −dE/dx
        "norm_type": "rms_norm_sh", "act_type": "gate", "ff_type": "spectral",
        "chg_spin_emb_type": "rand_emb", "dataset_mapping": {task: task for task in TASKS},
        "num_experts": 2, "use_composition_embedding": True,
    }


def _heads():
    return {"efs": {
        "module": "fairchem.core.models.uma.escn_moe.DatasetSpecificSingleHeadWrapper",
        "head_cls": "fairchem.core.models.uma.escn_md.MLP_EFS_Head",
        "dataset_names": list(TASKS),
        "head_kwargs": {"wrap_property": False},
        "wrap_property": True,
    }}


def _task(dataset, prop, level, dim):
    return {
        "_target_": "fairchem.core.units.mlip_unit.mlip_unit.Task",
        "name": f"{dataset}_{prop}", "level": level, "property": prop, "datasets": [dataset],
        "out_spec": {"_target_": "fairchem.core.units.mlip_unit.mlip_unit.OutputSpec",
                     "dim": dim, "dtype": "float32"},
        "normalizer": {"_target_": "fairchem.core.modules.normalization.normalizer.Normalizer",
                       "mean": 0.0, "rmsd": 1.0},
    }


def build_tiny_uma(path, supports_single_atoms=False, seed=0):
    """Save a random UMA-style inference checkpoint with tasks omol and omat to path."""
    import hydra
    import torch
    from fairchem.core.units.mlip_unit.api.inference import MLIPInferenceCheckpoint

    model_config = {
        "_target_": "fairchem.core.models.base.HydraModel",
        "model_id": "TINY-TEST-0.1",
        "supports_single_atoms": supports_single_atoms,
        "pass_through_head_outputs": True, "otf_graph": True,
        "backbone": _backbone(), "heads": _heads(),
    }
    tasks = [_task(dataset, prop, level, dim) for dataset in TASKS
             for prop, level, dim in (("energy", "system", [1]), ("forces", "atom", [3]),
                                      ("stress", "system", [1, 9]))]
    torch.manual_seed(seed)
    model = hydra.utils.instantiate(model_config)
    torch.save(MLIPInferenceCheckpoint(
        model_config=model_config, model_state_dict=model.state_dict(),
        # fairchem loads the exponential-moving-average weights: give it the same ones
        ema_state_dict=torch.optim.swa_utils.AveragedModel(model).state_dict(),
        tasks_config=tasks), path)
    return path
