"""What every real-model adapter needs: package checks, weight-loading errors, torch set-up.

Each message is one line a user can act on: which extra to install, which file was missing,
how to pass a local checkpoint instead of a hub download.
"""

import importlib
from contextlib import contextmanager
from pathlib import Path

from mlip_conformance.adapters.base import ModelUsageError

DOWNLOAD_ERRORS = (OSError, ConnectionError, RuntimeError, ValueError, KeyError)
"""What hub and URL loaders raise offline (urllib's URLError and huggingface_hub's
LocalEntryNotFoundError are OSErrors; requests' ConnectionError is one too)."""


def require(module, model, extra):
    """Import a model package, or say in one line how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ModelUsageError(
            f"model {model!r} needs the package that provides {module!r} ({error}); install it with "
            f"pip install -e '.[{extra}]' in the environment that runs the suite") from None


@contextmanager
def loading_weights(model, name, local_hint):
    """Turn a failed download or load of pretrained weights into one actionable line."""
    try:
        yield
    except ModelUsageError:
        raise
    except DOWNLOAD_ERRORS as error:
        text = str(error).strip().splitlines()[0] if str(error).strip() else "(no message)"
        raise ModelUsageError(
            f"model {model!r}: could not load the weights {name!r} ({type(error).__name__}: {text[:200]}); "
            f"without network access, {local_hint}") from None


def checkpoint_file(model, path, what):
    """The local checkpoint as a Path, or one line saying that there is no such file."""
    path = Path(path)
    if not path.is_file():
        raise ModelUsageError(f"model {model!r}: no checkpoint file at {path}; "
                              f"pass --model-option checkpoint=PATH to {what}")
    return path


def torch_device(device):
    """'auto' becomes 'cuda' where CUDA is available, else 'cpu'."""
    import torch
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ModelUsageError("--device=cuda was requested but torch sees no CUDA device")
    return device


def set_torch_threads(threads):
    """One thread is the fastest and most stable choice for molecules of a few atoms on a CPU."""
    import torch
    if threads:
        torch.set_num_threads(int(threads))
