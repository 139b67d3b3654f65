"""ORB force fields (orb-models): the pretrained registry or a local state dict.

``--model orb`` loads orb-v3-conservative-omol (OrbMol); ``--model-option name=NAME`` picks
another entry of orb_models' ORB_PRETRAINED_MODELS.  Weights come from the orb-models
download cache when they are there; otherwise they are downloaded, and a host that cannot be
reached is one usage line within seconds (cached_path alone retries for about 30 s).

``--model-option checkpoint=PATH`` loads a local state dict (orb's own format: a plain
``torch.save(model.state_dict())``) through orb's loader into the named model's architecture.
For the orb-v3 architectures the widths, depths and number of message-passing steps are read
from the state dict's tensor shapes, so a fine-tuned or re-sized orb-v3 model loads without
further options; the name still decides the family (conservative or direct, charge/spin
conditioning, neighbour limit) and so the declared capabilities.
"""

import inspect
import pickle
import socket
from pathlib import Path
from urllib.parse import urlparse

from mlip_conformance.adapters.base import CalculatorAdapter, Capabilities, ModelUsageError
from mlip_conformance.adapters.support import checkpoint_file, loading_weights, require, set_torch_threads, torch_device

MODEL = "orb"
DEFAULT_NAME = "orb-v3-conservative-omol"
PROBE_TIMEOUT_S = 5.0
CUTOFF_ANGSTROM = 6.0   # every orb SystemConfig in orb-models uses radius=6.0


def make_orb(name=DEFAULT_NAME, checkpoint=None, device="auto", threads=1, precision="float32-high"):
    """Factory behind ``--model orb``."""
    require("orb_models", MODEL, "orb")
    from orb_models.forcefield.calculator import ORBCalculator
    from orb_models.forcefield.pretrained import ORB_PRETRAINED_MODELS

    if name not in ORB_PRETRAINED_MODELS:
        raise ModelUsageError(f"model {MODEL!r}: unknown name {name!r}; orb-models knows "
                              f"{', '.join(ORB_PRETRAINED_MODELS)}")
    set_torch_threads(threads)
    device = torch_device(device)
    if checkpoint is None:
        network = _load_pretrained(name, device, precision)
    else:
        network = _load_checkpoint(name, Path(checkpoint), device, precision)
    return OrbAdapter(ORBCalculator(network, device=device), name=f"{MODEL}:{name}",
                      capabilities=capabilities_for(name, network))


class OrbAdapter(CalculatorAdapter):
    """ORBCalculator, one structure at a time, each computed afresh.

    CalculatorAdapter resets the calculator before every structure: ORBCalculator caches on
    positions and numbers only, so without the reset charged H2 would get neutral H2's answer.
    """

    def evaluate(self, structures):
        return super().evaluate([with_charge_and_spin(atoms) for atoms in structures])


def with_charge_and_spin(atoms):
    """A copy whose info holds both charge and spin as plain numbers.

    orb-models refuses one without the other, and accepts only Python int or float (numpy
    integers fail its isinstance check).  Spin is the multiplicity 2S+1, the OMol25 convention
    OrbMol was trained on (orb treats 0 as "spin unknown", which no multiplicity can be).
    """
    atoms = atoms.copy()
    charge = int(atoms.info.get("charge", 0))
    spin = atoms.info.get("spin")
    if spin is None:   # lowest multiplicity the electron count allows
        spin = 1 + (int(atoms.numbers.sum()) - charge) % 2
    atoms.info.update(charge=float(charge), spin=float(spin))
    return atoms


def capabilities_for(name, network):
    """What the named orb family was trained on.

    OrbMol (*-omol) learned OMol25: ωB97M-V/def2-TZVPD total energies (orb's energy head adds
    per-element reference energies back, so the output is on the dataset's total-energy scale),
    with total charge and multiplicity as inputs.  The omat, mpa and v2 models learned VASP PBE
    (+U) energies, which are relative to VASP's PAW atomic references and so not absolute, and
    have no charge or spin input.  Only the latter handle periodic cells and return a stress.
    """
    cutoff = float(getattr(network.system_config, "radius", CUTOFF_ANGSTROM))
    if "omol" in name:
        # OrbMol is for non-periodic systems only (orb-models issue #125, MODELS.md): OMol25 has no
        # periodic structure, and its networks are built without a stress output.
        return Capabilities(reads_charge=True, reads_spin=True, elements=None,
                            absolute_energies=True, level_of_theory="wb97m-v/def2-tzvpd", cutoff=cutoff,
                            periodic=False, stress=False)
    # omat, mpa and v2 learned periodic VASP cells, with a stress output (ORBCalculator: eV/Å³, ASE's sign)
    return Capabilities(reads_charge=False, reads_spin=False, elements=None,
                        absolute_energies=False, level_of_theory=_pbe_level(name), cutoff=cutoff,
                        periodic=True, stress=bool(getattr(network, "has_stress", True)))


def _pbe_level(name):
    for dispersion in ("d3", "d4"):
        if dispersion in name.split("-"):
            return f"pbe-{dispersion}"
    return "pbe"


def _load_pretrained(name, device, precision):
    from orb_models.forcefield.pretrained import ORB_PRETRAINED_MODELS
    hint = f"pass a local state dict with --model-option checkpoint=PATH (and name={name})"
    with loading_weights(MODEL, name, hint):
        load = ORB_PRETRAINED_MODELS[name]
        weights = _cached_or_reachable(_default_weights_url(load))
        return load(weights_path=weights, device=device, precision=precision,
                    compile=_compile(device))


def _default_weights_url(load):
    url = inspect.signature(load).parameters["weights_path"].default
    if not url:  # the deprecated orb-v1 entries carry no URL
        raise ValueError("orb-models ships no download address for it")
    return url


def _cached_or_reachable(url):
    """The cached file for url, else url itself once its host answers.

    The cached copy is used as is: the weight files are dated, so a cached one is never stale.
    """
    from cached_path import find_latest_cached
    cached = find_latest_cached(url)
    if cached is not None:
        return str(cached)
    host = urlparse(url).hostname
    try:
        socket.create_connection((host, 443), timeout=PROBE_TIMEOUT_S).close()
    except OSError as error:
        raise ConnectionError(f"{host} cannot be reached ({error}) and the weights are not "
                              "in the orb-models download cache") from None
    return url


def _load_checkpoint(name, path, device, precision):
    checkpoint_file(MODEL, path, "a state dict saved with torch.save(model.state_dict())")
    import torch
    from orb_models.forcefield import pretrained
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        if name.startswith("orb-v3-"):
            network = _v3_architecture(name, state, device)
            return pretrained.load_model(network, str(path), device, precision=precision,
                                         compile=_compile(device))
        load = pretrained.ORB_PRETRAINED_MODELS[name]
        return load(weights_path=str(path), device=device, precision=precision, compile=_compile(device))
    except (RuntimeError, KeyError, ValueError, OSError, pickle.UnpicklingError) as error:
        raise ModelUsageError(
            f"model {MODEL!r}: checkpoint {path} does not fit the {name} architecture "
            f"({type(error).__name__}: {_one_line(error)[:240]}); pass the name= of the orb "
            "model it was trained from") from None


def _v3_architecture(name, state, device):
    """The named orb-v3 family with the sizes found in the state dict."""
    from orb_models.forcefield import pretrained
    from orb_models.forcefield.atomic_system import SystemConfig
    build = (pretrained.orb_v3_conservative_architecture if "conservative" in name
             else pretrained.orb_v3_direct_architecture)
    omol = "omol" in name
    neighbours = 20 if "-20-" in name else 120   # the "-20-" models cap neighbours at 20
    return build(**v3_sizes(state), has_charge_spin_cond=omol, has_stress=not omol, device=device,
                 system_config=SystemConfig(radius=CUTOFF_ANGSTROM, max_num_neighbors=neighbours))


def v3_sizes(state):
    """orb-v3 architecture sizes from a state dict's tensor shapes."""
    encoder, head = "model._encoder._node_fn.mlp", "heads.energy.mlp"
    steps = {key.split(".")[2] for key in state if key.startswith("model.gnn_stacks.")}
    return dict(
        latent_dim=state["model.atom_emb.embeddings.weight"].shape[1],
        base_mlp_hidden_dim=state[f"{encoder}.NN-0.weight"].shape[0],
        base_mlp_depth=_linear_layers(state, encoder) - 1,   # depth counts hidden layers
        head_mlp_hidden_dim=state[f"{head}.NN-0.weight"].shape[0],
        head_mlp_depth=_linear_layers(state, head) - 1,
        num_message_passing_steps=len(steps))


def _linear_layers(state, prefix):
    return sum(1 for key in state if key.startswith(f"{prefix}.NN-") and key.endswith(".weight"))


def _compile(device):
    # torch.compile costs minutes and recompiles for each new molecule size; on a CPU it never
    # pays off for a suite of small molecules.  Elsewhere keep orb's default.
    return False if device == "cpu" else None


def _one_line(error):
    # torch's load_state_dict puts the missing and unexpected keys on the lines after the first
    return " ".join(str(error).split()) or "(no message)"
