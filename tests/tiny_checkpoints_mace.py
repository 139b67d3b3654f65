"""Tiny random-weight MACE checkpoints, built at test time, so the adapter is tested offline.

A ScaleShiftMACE with 1.6k parameters has the same data path as a foundation model
(config → graph → forward with autograd forces); with embedding_specs it reads total
charge and spin the way MACE-OMOL does.  Random weights fail physics, which is the point:
the suite must report that, not crash.
"""

import numpy as np

ELEMENTS = [1, 6, 7, 8]
ISOLATED_ATOM_ENERGIES_EV = [-13.6, -1029.0, -1485.0, -2042.0]   # E0s, one per element
CHARGE_AND_SPIN = {
    # charge −10..+10 (offset 10); multiplicity 0..10
    "total_charge": dict(type="categorical", per="graph", num_classes=21, emb_dim=8, offset=10),
    "total_spin": dict(type="categorical", per="graph", num_classes=11, emb_dim=8),
}


def build_tiny_mace(path, embed_charge_and_spin, seed=0):
    """Save a random ScaleShiftMACE to path (a pickled module, as MACE ships its .model files)."""
    import torch
    from mace import modules  # before e3nn: mace makes e3nn's torch.load of its constants work
    from e3nn import o3

    torch.manual_seed(seed)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        interaction = modules.interaction_classes["RealAgnosticResidualInteractionBlock"]
        model = modules.ScaleShiftMACE(
            r_max=5.0, num_bessel=4, num_polynomial_cutoff=5, max_ell=1,
            interaction_cls=interaction, interaction_cls_first=interaction,
            num_interactions=1, num_elements=len(ELEMENTS),
            hidden_irreps=o3.Irreps("8x0e+8x1o"), MLP_irreps=o3.Irreps("8x0e"),
            atomic_energies=np.array(ISOLATED_ATOM_ENERGIES_EV), avg_num_neighbors=2.0,
            atomic_numbers=ELEMENTS, correlation=2, gate=torch.nn.functional.silu,
            radial_MLP=[16, 16], atomic_inter_scale=1.0, atomic_inter_shift=0.0,
            embedding_specs=CHARGE_AND_SPIN if embed_charge_and_spin else None)
    finally:
        torch.set_default_dtype(previous)
    torch.save(model, path)
    return path
