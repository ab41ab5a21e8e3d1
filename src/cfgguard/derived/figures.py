"""Figures derived from the canonical config and the model (effective batch, LoRA size)."""

from __future__ import annotations

from cfgguard.canonical import Canonical
from cfgguard.knowledge.models import ModelFacts
from cfgguard.records import dataclass


@dataclass(frozen=True, slots=True)
class Derived:
    value: int
    note: str


def effective_batch(config: Canonical, devices: int | None = None) -> Derived | None:
    """micro batch x gradient accumulation x devices (devices: config, settings, else 1)."""
    if config.micro_batch_size is None:
        return None
    micro = config.micro_batch_size.value
    accum = config.gradient_accumulation_steps.value if config.gradient_accumulation_steps else 1
    if config.devices is not None:
        n, where = config.devices.value, "from the config"
    elif devices is not None:
        n, where = devices, "from cfgguard's settings"
    else:
        n, where = 1, "assumed: not stated"
    note = f"micro {micro} x accumulation {accum} x devices {n} ({where})"
    return Derived(micro * accum * n, note)


def target_module_names(config: Canonical, model: ModelFacts) -> tuple[str, ...] | None:
    """The model's Linear leaf names the adapter targets (None when not knowable)."""
    if config.target_modules is None:
        return None
    targets = config.target_modules.value
    if targets.all_linear:
        return model.modules.linear
    if targets.regex is not None:
        return None
    known = set(model.modules.linear)
    return tuple(n for n in dict.fromkeys(targets.names) if n in known)


def targets_output(config: Canonical, model: ModelFacts) -> bool:
    """Whether the output layer (unembedding) is adapted."""
    if config.target_modules is None:
        return False
    targets = config.target_modules.value
    if targets.output is not None:
        return targets.output
    return model.head_module in targets.names or "lm_head" in targets.names


def lora_params(config: Canonical, model: ModelFacts | None) -> Derived | None:
    """LoRA trainable parameters: r * (d_in + d_out) over adapted Linears (peft 0.21.2
    ``src/peft/tuners/lora/layer.py:263-264``)."""
    if model is None or config.lora_rank is None or not config.uses_adapter or not model.layers:
        return None  # a declared model may not state its layers
    names = target_module_names(config, model)
    if names is None:
        return None
    output = targets_output(config, model)
    total = model.lora_params(config.lora_rank.value, names, output)
    head = f" + {model.head_module}" if output else ""
    return Derived(
        total,
        f"rank {config.lora_rank.value} on {len(names)} module types{head} x {model.layers}"
        f" layers of {model.id}",
    )
