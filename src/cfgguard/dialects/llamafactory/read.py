"""LLaMA-Factory's mapping onto the canonical config, for the v0 format and the
experimental v1 one: method (``stage``, ``pref_loss``; v1 by subcommand), adapter, LoRA,
precision and the one-key field maps, with defaults from llamafactory 0.9.5
``src/llamafactory/hparams/*_args.py`` and ``src/llamafactory/v1/config/*.py``."""

from __future__ import annotations

import re
from typing import TypeVar

from cfgguard.canonical import PREFERENCE_METHODS, Canonical, Field, Origin, Targets
from cfgguard.dialects.base import Reader, as_bool, as_float, as_int, as_str
from cfgguard.dialects.fields import read_keys
from cfgguard.dialects.llamafactory.detect import is_text
from cfgguard.dialects.llamafactory.field_map import (
    COMMON_KEYS,
    LF,
    LORA_KEYS,
    PREF_KEYS,
    TA,
    V0_KEYS,
)
from cfgguard.dialects.targets import names_field, names_in, targets_field
from cfgguard.yaml.nodes import Mapping

T = TypeVar("T")
U = TypeVar("U")

_STAGES = {"pt": "pretrain", "sft": "sft", "rm": "rm", "ppo": "ppo", "dpo": "dpo", "kto": "kto"}
# stage: dpo runs one of these losses (0.9.5 hparams/finetuning_args.py:183).
_PREF_LOSS = {
    "sigmoid": "dpo",
    "hinge": "dpo",
    "ipo": "dpo",
    "kto_pair": "kto",
    "orpo": "orpo",
    "simpo": "simpo",
}
_LORA_DEFAULT = f"{LF}/finetuning_args.py:464 default finetuning_type lora"
_V1_ARGS = "llamafactory 0.9.5 src/llamafactory/v1/config/training_args.py"


# -- mapping --------------------------------------------------------------------


def _at(where: Field[U], value: T, note: str, origin: Origin | None = None) -> Field[T]:
    """A field with another value at the same place (e.g. ``pref_loss: orpo`` -> orpo)."""
    return Field(
        value, origin or where.origin, where.key, where.node, where.key_node, where.parent, note
    )


def _stage(v: object) -> str | None:
    s = as_str(v)
    return None if s is None else _STAGES.get(s.strip(), "other")


def _pref_method(r: Reader, stage: Field[str]) -> Field[str]:
    """``stage: dpo`` (v1: the ``dpo`` subcommand) runs the loss ``pref_loss`` names."""
    loss = r.field("pref_loss", as_str)
    variant = _PREF_LOSS.get(loss.value, "other") if loss else "dpo"
    if loss is not None and variant != "dpo":
        return _at(loss, variant, f"dpo with pref_loss: {loss.value}")
    return stage


def _method(r: Reader) -> Field[str]:
    got = r.field("stage", _stage)
    if got is None:
        return r.default("stage", "sft", f"{LF}/finetuning_args.py:460 default sft")
    return _pref_method(r, got) if got.value == "dpo" else got


def _variant(r: Reader, c: Canonical) -> None:
    if c.method is not None and c.method.value in PREFERENCE_METHODS:
        c.loss_variant = r.field("pref_loss", as_str)


def _trains_v0(r: Reader, c: Canonical) -> None:
    """Every workflow calls ``trainer.train()`` only under ``do_train`` (llamafactory 0.9.5
    ``src/llamafactory/train/sft/workflow.py:120``, ``dpo/workflow.py:80``,
    ``kto/workflow.py:75``); transformers' default is False."""
    flag = r.field("do_train", as_bool)
    if flag is not None:
        note = "do_train: false: LLaMA-Factory evaluates or predicts only"
        c.trains = _at(flag, flag.value, "" if flag.value else note)
    else:
        note = "no do_train: true; LLaMA-Factory trains only under it (0.9.5 sft/workflow.py:120)"
        c.trains = r.default("do_train", False, note)


def _finetuning_type(v: object) -> str | None:
    s = as_str(v)
    return None if s is None else {"lora": "lora", "full": "full"}.get(s.strip(), "other")


def _quantized(r: Reader, path: str) -> bool:
    """4 bits or fewer: QLoRA (8-bit LoRA stays "lora", as axolotl and TRL name it)."""
    bits = r.field(path, as_int)
    return bits is not None and bits.value <= 4


def _targets(r: Reader, path: str, default_note: str | None) -> Field[Targets] | None:
    entry = r.entry(path)
    if entry is None:
        if default_note is None:
            return None
        return r.default(path, Targets(all_linear=True), default_note)
    found = names_in(entry.value, r, split_commas=True)
    if any(name == "all-linear" for name, _ in found):
        # Only `all` is special here (0.9.5 misc.py:28-52); `all-linear` reaches PEFT as a list
        # entry that names no module.
        names = Targets(names=tuple(n for n, _ in found), name_nodes=tuple(x for _, x in found))
        return Field(names, "file", path, entry.value, entry.key, entry.parent)
    return targets_field(entry, r, split_commas=True, all_values=("all",))


def _lora_v0(r: Reader, c: Canonical) -> None:
    read_keys(r, c, LORA_KEYS)
    c.target_modules = _targets(
        r,
        "lora_target",
        f"{LF}/finetuning_args.py:81 default 'all' (every Linear but lm_head)",
    )
    # additional_target: comma-separated modules PEFT trains fully (0.9.5 adapter.py:241-249)
    c.modules_to_save = names_field(r, "additional_target", split_commas=True)
    alpha = r.field("lora_alpha", as_float)
    if (alpha is not None and alpha.value) or c.lora_rank is None:
        c.lora_alpha = alpha
    else:  # `lora_alpha = lora_alpha or 2 * lora_rank`
        c.lora_alpha = r.default(
            "lora_alpha",
            2.0 * c.lora_rank.value,
            f"{LF}/finetuning_args.py:69,568: lora_alpha defaults to 2 x lora_rank",
        )


def _lora_v1(r: Reader, c: Canonical) -> None:
    # The v1 PEFT plugin's defaults were not traced: only what the file says.
    c.lora_rank = r.field("peft_config.r", as_int)
    c.lora_alpha = r.field("peft_config.lora_alpha", as_float)
    c.lora_dropout = r.field("peft_config.lora_dropout", as_float)
    c.target_modules = _targets(r, "peft_config.target_modules", None)
    c.use_rslora = r.field("peft_config.use_rslora", as_bool)  # 0.9.5 v1 model_plugins/peft.py:176


def _precision(r: Reader, bf16_default: bool) -> Field[str] | None:
    for key, mode in (("pure_bf16", "bf16"), ("bf16", "bf16"), ("fp16", "fp16")):
        flag = r.field(key, as_bool)
        if flag is not None and flag.value:
            return _at(flag, mode, "")
    off = r.field("bf16", as_bool)
    if off is not None:
        return _at(off, "fp32", "bf16: false and no fp16: fp32")
    if bf16_default:
        return r.default("bf16", "bf16", f"{_V1_ARGS}:56-57 bf16 default True")
    return r.default("bf16", "fp32", f"bf16 and fp16 absent: {TA} False for both")


def _common(r: Reader, c: Canonical) -> None:
    read_keys(r, c, COMMON_KEYS)


def _v0(r: Reader, c: Canonical) -> None:
    read_keys(r, c, V0_KEYS)
    method = c.method = _method(r)
    kind = r.field_or_default("finetuning_type", _finetuning_type, "lora", _LORA_DEFAULT)
    if kind is not None and kind.value == "lora" and _quantized(r, "quantization_bit"):
        base = _LORA_DEFAULT + "; " if kind.origin == "default" else ""
        kind = _at(kind, "qlora", base + "lora with quantization_bit <= 4 is QLoRA")
    c.adapter = kind
    if c.uses_adapter:
        _lora_v0(r, c)
    if method.value in PREFERENCE_METHODS:
        read_keys(r, c, PREF_KEYS)
    c.precision = _precision(r, bf16_default=False)
    _variant(r, c)
    _trains_v0(r, c)


# v1 fields only the dpo subcommand reads: LLaMA-Factory main after 0.9.5 (0.9.5's v1 has no
# DPO trainer: v1/launcher.py:149-150 raises NotImplementedError)
_V1_PREF_KEYS = ("pref_loss", "pref_beta", "pref_ftx", "simpo_gamma", "dpo_label_smoothing")


def _v1_method(r: Reader) -> Field[str]:
    """v1 picks the trainer by subcommand (``llamafactory-cli dpo``, 0.9.5 launcher.py:144-153); a
    preference key or a ``train_dataset`` named for DPO says which one the file is for."""
    why = "LLaMA-Factory v1 picks the method by CLI subcommand (0.9.5 v1/launcher.py:144-153)"
    for key in _V1_PREF_KEYS:
        found = r.entry(key)
        if found is not None:
            note = f"{why}; {key}"
            dpo = Field("dpo", "derived", key, found.value, found.key, found.parent, note)
            return _pref_method(r, dpo)
    data = r.field("train_dataset", as_str)
    if data is not None and "dpo" in re.findall(r"[a-z0-9]+", data.value.lower()):
        return _at(data, "dpo", f"{why}; train_dataset {data.value}", "derived")
    return r.default("", "sft", f"{why}; assumed sft")


def _v1(r: Reader, c: Canonical) -> None:
    """The experimental v1 schema (``src/llamafactory/v1/config/*.py``)."""
    c.base_model = r.field("model", as_str)
    c.method = _v1_method(r)
    name = r.field("peft_config.name", as_str)
    if name is None:
        c.adapter = r.default("peft_config", "full", "LLaMA-Factory v1: no peft_config -> full")
    else:
        kind = "lora" if name.value == "lora" else "other"
        if kind == "lora" and _quantized(r, "quant_config.quantization_bit"):
            kind = "qlora"
        c.adapter = _at(name, kind, "")
    if c.uses_adapter:
        _lora_v1(r, c)
    c.learning_rate = r.field_or_default(
        "learning_rate", as_float, 1e-4, f"{_V1_ARGS}:40-41 default 1e-4"
    )
    c.micro_batch_size = r.field_or_default(
        "micro_batch_size", as_int, 1, f"{_V1_ARGS}:28-29 default 1"
    )
    c.num_epochs = r.field_or_default(
        "num_train_epochs", as_float, 3.0, f"{_V1_ARGS}:44-45 default 3"
    )
    c.max_grad_norm = r.field_or_default(
        "max_grad_norm", as_float, 1.0, f"{_V1_ARGS}:52-53 default 1.0"
    )
    c.precision = _precision(r, bf16_default=True)
    if c.method.value in PREFERENCE_METHODS:
        c.dpo_beta = r.field_or_default(
            "pref_beta",
            as_float,
            0.1,
            "LLaMA-Factory v1 pref_beta 0.1 (after 0.9.5: no v1 DPO there)",
        )
    _variant(r, c)


def to_canonical(root: Mapping) -> Canonical:
    r = Reader(root, "omegaconf")
    c = Canonical()
    if not root.get("model_name_or_path") and is_text(root, "model"):
        _v1(r, c)
    else:
        _v0(r, c)
    _common(r, c)
    return c
