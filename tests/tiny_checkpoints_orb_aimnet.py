"""Tiny random-weight ORB and AIMNet2 checkpoints, built at test time.

Each builder imports its package lazily: the two families live in different environments.
"""


ORB_TINY_SIZES = dict(latent_dim=16, base_mlp_hidden_dim=32, base_mlp_depth=2, head_mlp_hidden_dim=16,
                      head_mlp_depth=1, num_message_passing_steps=2)


def tiny_orbmol(path):
    """The orb-v3 conservative OMol architecture (charge/spin conditioning) with reduced sizes."""
    import torch
    from orb_models.forcefield import pretrained
    from orb_models.forcefield.atomic_system import SystemConfig
    torch.manual_seed(0)
    network = pretrained.orb_v3_conservative_architecture(
        **ORB_TINY_SIZES, has_charge_spin_cond=True, has_stress=False, device="cpu",
        system_config=SystemConfig(radius=6.0, max_num_neighbors=120))
    torch.save(network.state_dict(), path)
    return path


def tiny_aimnet2(path, open_shell):
    """An AIMNet2 v2 artifact for H, C, N, O; open_shell gives the NSE variant (two charge channels)."""
    import torch
    import yaml
    from aimnet.config import build_module
    torch.manual_seed(0)
    config = _aimnet2_config(charge_channels=2 if open_shell else 1)
    network = build_module(config)
    torch.save({
        "format_version": 2,
        # aimnet builds the output modules in the YAML's order: energy, then shift, then sum
        "model_yaml": yaml.safe_dump(config, sort_keys=False),
        "cutoff": 5.0, "needs_coulomb": False, "needs_dispersion": False, "coulomb_mode": "none",
        "has_embedded_lr": False, "has_embedded_d3ts": False, "implemented_species": [1, 6, 7, 8],
        "state_dict": network.state_dict()}, path)
    return path


def _aimnet2_config(charge_channels):
    def module(name, **kwargs):
        return {"class": name, "kwargs": kwargs}
    energy_mlp = {"activation_fn": "torch.nn.GELU", "last_linear": True, "hidden": [16]}
    return module(
        "aimnet.models.AIMNet2", nfeature=4, d2features=True, ncomb_v=4, hidden=[[16, 8], [16, 8]],
        aim_size=16, num_charge_channels=charge_channels, aev={"rc_s": 5.0, "nshifts_s": 4},
        outputs={
            "energy_mlp": module("aimnet.modules.Output", n_in=16, n_out=1, key_in="aim",
                                 key_out="energy", mlp=energy_mlp),
            "atomic_shift": module("aimnet.modules.AtomicShift", key_in="energy", key_out="energy"),
            "atomic_sum": module("aimnet.modules.AtomicSum", key_in="energy", key_out="energy"),
        })


def tiny_orb_omat(path):
    """The orb-v3 conservative OMat architecture (no charge/spin, stress by autograd), reduced sizes."""
    import torch
    from orb_models.forcefield import pretrained
    from orb_models.forcefield.atomic_system import SystemConfig
    torch.manual_seed(0)
    network = pretrained.orb_v3_conservative_architecture(
        **ORB_TINY_SIZES, has_charge_spin_cond=False, has_stress=True, device="cpu",
        system_config=SystemConfig(radius=6.0, max_num_neighbors=120))
    torch.save(network.state_dict(), path)
    return path
