"""verl mapping: an entry config (PPO trainer or SFT trainer) read into the canonical config.

``entry_point`` tells the trainer from the file (a config-group fragment has none and maps
to an empty config). Each trainer reads its field map (``PPO_KEYS``, ``_sft_keys``, their
LoRA keys; ``LAYOUTS`` is what convert writes) with the defaults of verl 0.9.1
``_generated_ppo_trainer.yaml`` and 0.7.0 ``sft_trainer.yaml``, plus what takes more than
one key: the method from ``algorithm.adv_estimator``, LoRA, warmup, betas, devices, the
PPO sequence length, ``override_config.rope_scaling``.
"""

from __future__ import annotations

from typing import TypeVar, cast

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.dialects.base import Reader, as_bool, as_float, as_int, known_text
from cfgguard.dialects.fields import Key, read_keys
from cfgguard.dialects.targets import targets_field
from cfgguard.dialects.verl.detect import PROFILE, entry_point
from cfgguard.dialects.verl.field_map import (
    HF_MODEL_NOTE,
    OPTIM,
    PPO_KEYS,
    PPO_LORA_KEYS,
    PPO_NOTE,
    SFT_ENGINE_KEYS,
    SFT_ENGINE_LORA_KEYS,
    SFT_KEYS,
    SFT_LORA_KEYS,
    SFT_NOTE,
    M,
)
from cfgguard.yaml.nodes import Mapping, Scalar, Sequence

T = TypeVar("T")
V = TypeVar("V")
_GRPO = frozenset({"grpo", "grpo_passk", "grpo_vectorized"})


def _derived(source: Field[T], value: V, note: str) -> Field[V]:
    """A field computed from ``source``: it points where ``source`` does."""
    return Field(value, "derived", source.key, source.node, source.key_node, source.parent, note)


def _betas(r: Reader, c: Canonical, path: str) -> None:
    entry = r.entry(path)
    if entry is None or not isinstance(entry.value, Sequence) or len(entry.value.items) != 2:
        return
    fields: list[Field[float] | None] = []
    for item in entry.value.items:
        beta = as_float(r.scalar_value(item)) if isinstance(item, Scalar) else None
        ok = beta is not None
        fields.append(Field(beta, "file", path, item, entry.key, entry.parent) if ok else None)
    c.adam_beta1, c.adam_beta2 = fields[0], fields[1]


def _adapter(r: Reader, c: Canonical, model: str, lora: tuple[Key, ...], note: str) -> None:
    """LoRA iff ``lora_rank > 0`` or an adapter path is set; there is no 4-bit key."""
    rank_path = f"{model}.lora_rank"
    rank = r.field(rank_path, as_int)
    adapter_path = r.field(f"{model}.lora_adapter_path", known_text)
    if rank is not None and rank.value > 0:
        c.adapter = _derived(
            rank, "lora", "lora_rank > 0 enables LoRA (verl 0.9.1 ray_trainer.py:360)"
        )
    elif adapter_path is not None:
        c.adapter = _derived(adapter_path, "lora", "lora_adapter_path enables LoRA")
    elif rank is not None:
        c.adapter = _derived(rank, "full", "lora_rank 0 means full fine-tuning")
        return
    elif not r.has(rank_path):
        c.adapter = r.default(rank_path, "full", f"lora_rank defaults to 0; {note}")
        return
    else:
        return  # an interpolation we cannot follow: unknown, never "full"
    read_keys(r, c, lora)
    entry = r.entry(f"{model}.target_modules")
    if entry is not None:
        c.target_modules = targets_field(entry, r)
    else:
        c.target_modules = r.default(f"{model}.target_modules", Targets(all_linear=True), note)
    read_keys(r, c, (Key("exclude_modules", f"{model}.exclude_modules", known_text),))


def _trainer(r: Reader, c: Canonical) -> None:
    val_only = r.field("trainer.val_only", as_bool)
    if val_only is not None and val_only.value:  # 0.9.1 ray_trainer.py:1443: validate, return
        c.trains = _derived(val_only, False, "trainer.val_only: true validates only")
    gpus = r.field("trainer.n_gpus_per_node", as_int)
    nodes = r.field("trainer.nnodes", as_int)
    if gpus is not None or nodes is not None:  # defaults 8 GPUs x 1 node
        g, n = gpus.value if gpus else 8, nodes.value if nodes else 1
        at = cast(Field[int], gpus or nodes)
        c.devices = _derived(at, g * n, f"trainer.n_gpus_per_node ({g}) x trainer.nnodes ({n})")


def _rope_scaling(r: Reader, model: str) -> Field[str] | None:
    """``override_config`` updates the HF model config (verl 0.9.1
    ``verl/workers/config/model.py:115``, ``HFModelConfig.override_config``)."""
    paths = [f"{model}.override_config.rope_scaling.{k}" for k in ("rope_type", "type")]
    return r.first(paths, known_text)


def _ppo(r: Reader) -> Canonical:
    c = Canonical()
    est = r.field_or_default("algorithm.adv_estimator", known_text, "gae", PPO_NOTE)
    if est is not None:
        method = "ppo" if est.value == "gae" else "grpo" if est.value in _GRPO else "other"
        why = f"adv_estimator {est.value}"
        c.method = (
            _derived(est, method, why)
            if est.origin == "file"
            else r.default(est.key, method, f"{why}: {PPO_NOTE}")
        )
    _adapter(r, c, M, PPO_LORA_KEYS, PPO_NOTE)
    steps = r.field(f"{OPTIM}.lr_warmup_steps", as_float)
    if steps is not None and steps.value >= 0:  # -1 delegates to the ratio
        c.warmup_steps = steps
    else:
        c.warmup_ratio = r.field_or_default(
            f"{OPTIM}.lr_warmup_steps_ratio", as_float, 0.0, PPO_NOTE
        )
    _betas(r, c, f"{OPTIM}.betas")
    _trainer(r, c)
    prompt = r.field("data.max_prompt_length", as_int)
    response = r.field("data.max_response_length", as_int)
    if prompt is not None or response is not None:  # defaults 512 + 512
        p, q = prompt.value if prompt else 512, response.value if response else 512
        at = cast(Field[int], prompt or response)
        note = f"data.max_prompt_length ({p}) + data.max_response_length ({q})"
        c.max_seq_len = _derived(at, p + q, note)
    c.rope_scaling = _rope_scaling(r, M)
    read_keys(r, c, PPO_KEYS)
    return c


def _sft(r: Reader, engine: bool) -> Canonical:
    c = Canonical()
    c.method = Field("sft", "derived", "", parent=r.root, note="verl SFT trainer entry point")
    if engine:
        _adapter(r, c, "model", SFT_ENGINE_LORA_KEYS, HF_MODEL_NOTE)
    else:
        _adapter(r, c, "model", SFT_LORA_KEYS, SFT_NOTE)
    _betas(r, c, "optim.betas")
    c.rope_scaling = _rope_scaling(r, "model")
    _trainer(r, c)
    read_keys(r, c, SFT_ENGINE_KEYS if engine else SFT_KEYS)
    return c


def to_canonical(root: Mapping) -> Canonical:
    kind = entry_point(root)
    r = Reader(root, PROFILE)
    if kind == "ppo":
        return _ppo(r)
    return _sft(r, engine=kind == "sft-engine") if kind else Canonical()
