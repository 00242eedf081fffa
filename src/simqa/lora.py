"""A LoRA adapter (as PEFT saves one) merged into a loaded model's weights: W += (alpha/r) B A.

Merging once at load keeps encoding exactly as fast as the base model's and needs no PEFT at
run time."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch loads only where a model does: `simqa serve`'s parent never needs it
    import torch

    Adapter = tuple[dict, dict[str, torch.Tensor]]  # PEFT's adapter_config.json, its weights

WEIGHTS = "adapter_model.safetensors"
CONFIG = "adapter_config.json"
_PREFIX = "base_model.model."


class AdapterError(RuntimeError):
    """The adapter folder is missing, unreadable, or does not fit the model."""


def adapter_name(folder: str | Path) -> str:
    """A name that changes whenever the adapter's weights do: "<folder>-<sha256[:8]>"."""
    path = Path(folder) / WEIGHTS
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    except OSError as error:
        raise AdapterError(f"no adapter weights at {path}: {error.strerror}") from None
    return f"{Path(folder).resolve().name}-{digest}"


def merge_lora(model: torch.nn.Module, folder: str | Path) -> int:
    """Add the adapter's low-rank updates to the matching Linear layers of `model` (the
    transformer, e.g. BertModel); returns how many layers changed."""
    import torch
    from safetensors.torch import load_file

    folder = Path(folder)
    try:
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
        tensors = load_file(str(folder / WEIGHTS))
        scale = float(config["lora_alpha"]) / float(config["r"])
    except (OSError, ValueError, KeyError) as error:
        raise AdapterError(f"cannot read the adapter in {folder}: {error}") from None
    modules = dict(model.named_modules())
    changed = 0
    with torch.no_grad():
        for key, down in tensors.items():
            if not key.endswith(".lora_A.weight"):
                continue
            name = key[len(_PREFIX):-len(".lora_A.weight")] if key.startswith(_PREFIX) else ""
            up = tensors.get(key.replace(".lora_A.", ".lora_B."))
            layer = modules.get(name)
            if up is None or not isinstance(layer, torch.nn.Linear) or \
                    layer.weight.shape != (up.shape[0], down.shape[1]):
                raise AdapterError(f"the adapter in {folder} does not fit this model "
                                   f"({name or key})")
            layer.weight += scale * (up.float() @ down.float()).to(layer.weight.dtype)
            changed += 1
    if not changed:
        raise AdapterError(f"the adapter in {folder} holds no LoRA weights")
    return changed


def mean_adapter(adapters: list[Adapter]) -> Adapter:
    """One adapter whose update is the mean of theirs: stacking the down-projections A_i and
    the up-projections B_i / k gives B A = (1/k) sum B_i A_i; rank and alpha both grow k-fold,
    so alpha / r stays as it was."""
    import torch

    if len(adapters) == 1:
        return adapters[0]
    if len({c["lora_alpha"] / c["r"] for c, _ in adapters}) > 1:
        raise AdapterError("adapters with different alpha / r cannot be averaged this way")
    config = dict(adapters[0][0])
    config["r"] = sum(c["r"] for c, _ in adapters)
    config["lora_alpha"] = sum(c["lora_alpha"] for c, _ in adapters)
    weights = {}
    for key in adapters[0][1]:
        parts = [w[key] for _, w in adapters]
        weights[key] = (torch.cat(parts, 0) if ".lora_A." in key
                        else torch.cat(parts, 1) / len(adapters)).contiguous()
    return config, weights
