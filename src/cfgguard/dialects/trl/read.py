"""TRL's mapping onto the canonical config: the method inferred from keys one trainer
config has, adapter, LoRA targets, learning rate, precision and the one-key field maps,
with defaults from trl 1.16.0 ``trl/trainer/*_config.py`` and ``model_config.py``."""

from __future__ import annotations

from typing import TypeVar

from cfgguard.canonical import PREFERENCE_METHODS, SHARED_KEY_GUESS, Canonical, Field, Targets
from cfgguard.dialects.base import Reader, as_bool, as_float, as_int, as_str
from cfgguard.dialects.fields import read_keys
from cfgguard.dialects.targets import ALL_LINEAR, names_field, names_in, targets_field
from cfgguard.dialects.trl.field_map import ADAPTER_KEYS, FIELD_KEYS
from cfgguard.yaml.nodes import Mapping, Sequence

T = TypeVar("T")
U = TypeVar("U")


# -- method -----------------------------------------------------------------------

# Checked in order: keys that exist in one trainer config only come first; `beta` is
# also GRPO's KL weight, so GRPO keys win over it.
_BY_KEY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("grpo", ("num_generations", "reward_funcs", "reward_weights", "num_generations_eval")),
    ("grpo", ("scale_rewards", "epsilon_high", "steps_per_generation", "generation_batch_size")),
    ("ppo", ("num_ppo_epochs", "kl_coef", "vf_coef", "cliprange_value", "whiten_rewards")),
    ("rm", ("center_rewards_coefficient",)),
    ("kto", ("desirable_weight", "undesirable_weight")),
    ("cpo", ("simpo_gamma", "cpo_alpha")),  # CPOConfig; loss_type simpo makes it SimPO
    ("grpo", ("temperature", "use_vllm", "vllm_mode")),  # sampling: GRPO/RLOO, not DPO
)
_GRPO_LOSSES = frozenset({"grpo", "dr_grpo", "dapo", "bnpo", "cispo", "sapo", "luspo", "vespo"})
_DPO_KEYS = (
    "beta",
    "max_prompt_length",
    "precompute_ref_log_probs",
    "ref_model_init_kwargs",
    "sync_ref_model",
    "rpo_alpha",
    "reference_free",
    "loss_weights",
)
_ONLINE_KEYS = ("max_completion_length",)  # GRPO/RLOO; DPO's was removed
_SFT_KEYS = (
    "packing",
    "dataset_text_field",
    "assistant_only_loss",
    "completion_only_loss",
    "max_seq_length",
)


def _derived(r: Reader, key: str, method: str, note: str) -> Field[str]:
    found = r.entry(key)
    assert found is not None
    return Field(method, "derived", key, found.value, found.key, found.parent, note)


def _loss_method(r: Reader) -> str | None:
    found = r.entry("loss_type")
    if found is None:
        return None
    names = [n for n, _ in names_in(found.value, r)]
    if not names:
        return None
    if names[0] in _GRPO_LOSSES:
        return "grpo"
    # SFTConfig: nll/dft; KTOConfig: kto/apo_zero_unpaired; CPOConfig: simpo; else DPO's.
    other = {"nll": "sft", "dft": "sft", "kto": "kto", "apo_zero_unpaired": "kto"}
    return {"simpo": "simpo", "kto_pair": "kto", **other}.get(names[0], "dpo")


_ARCHITECTURE_KEYS = ("hidden_size", "num_hidden_layers", "intermediate_size")


def _architecture(r: Reader) -> str | None:
    """A ``model_config`` / ``model_init_kwargs`` section that gives layer sizes (a new
    model is built from them, as in from-scratch pretraining recipes)."""
    for section in ("model_config", "model_init_kwargs"):
        found = r.mapping(section)
        if found is not None and any(found.get(k) is not None for k in _ARCHITECTURE_KEYS):
            return section
    return None


def _method(r: Reader) -> Field[str]:
    why = "TRL picks the method by script/subcommand; inferred from `{}`"
    loss = _loss_method(r)
    for method, keys in _BY_KEY:
        for key in keys:
            if r.has(key):
                if method == "cpo" and loss == "simpo":  # cpo_config.py: loss_type simpo
                    return _derived(r, "loss_type", "simpo", why.format("loss_type"))
                return _derived(r, key, method, why.format(key))
    if loss is not None:
        note = why.format("loss_type") + ("; " + SHARED_KEY_GUESS if loss == "dpo" else "")
        return _derived(r, "loss_type", loss, note)
    sizes = _architecture(r)
    if sizes is not None:
        note = f"{sizes} sets the architecture's sizes: a model trained from its config"
        return _derived(r, sizes, "pretrain", note)
    for method, keys in (("dpo", _DPO_KEYS), ("grpo", _ONLINE_KEYS), ("sft", _SFT_KEYS)):
        for key in keys:
            if r.has(key):
                note = why.format(key) + "; " + SHARED_KEY_GUESS
                return _derived(r, key, method, note)
    return r.default("", "sft", "TRL picks the method by script; no method-specific key: sft")


# -- mapping ----------------------------------------------------------------------


def _at(where: Field[U], value: T, note: str) -> Field[T]:
    return Field(value, where.origin, where.key, where.node, where.key_node, where.parent, note)


def _adapter(r: Reader) -> Field[str]:
    peft = r.field("use_peft", as_bool)
    if peft is None or not peft.value:
        full = "trl 1.16.0 trl/trainer/model_config.py:103 use_peft default False: full"
        return _at(peft, "full", "") if peft else r.default("use_peft", "full", full)
    four = r.field("load_in_4bit", as_bool)
    if four is not None and four.value:
        return _at(peft, "qlora", "use_peft with load_in_4bit: QLoRA")
    return _at(peft, "lora", "")


def _targets(r: Reader) -> Field[Targets] | None:
    found = r.entry("lora_target_modules")
    if found is None:
        return None  # PEFT's per-architecture default; not knowable here
    node = found.value
    if isinstance(node, Sequence) and len(node.items) == 1:
        names = names_in(node, r)
        if len(names) == 1:
            # ModelConfig collapses a 1-element list to a string (1.16.0 model_config.py:177),
            # which PEFT reads as a full-match regex (or all-linear).
            name = names[0][0]
            value = Targets(all_linear=True) if name == ALL_LINEAR else Targets(regex=name)
            note = "1-element list collapsed to a string (trl 1.16.0 model_config.py:177-178)"
            return Field(value, "file", found.path, node, found.key, found.parent, note)
    return targets_field(found, r)


def _learning_rate(r: Reader, method: str) -> Field[float] | None:
    # trl 1.16.0: sft_config.py:140, reward_config.py:98, dpo/kto/grpo/rloo 1e-6 (e.g.
    # dpo_config.py:156), experimental/orpo and cpo 1e-6; PPO: 1.12.0 experimental/ppo 3e-6
    defaults = {"sft": 2e-5, "rm": 1e-4, "ppo": 3e-6}
    value = defaults.get(method, 1e-6 if method in PREFERENCE_METHODS | {"grpo"} else 5e-5)
    note = f"TRL {method} config default {value:g} (trl 1.16.0 trl/trainer/*_config.py)"
    return r.field_or_default("learning_rate", as_float, value, note)


def _precision(r: Reader) -> Field[str]:
    fp16 = r.field("fp16", as_bool)
    bf16 = r.field("bf16", as_bool)
    if fp16 is not None and fp16.value:
        return _at(fp16, "fp16", "")
    if bf16 is not None:
        return _at(bf16, "bf16" if bf16.value else "fp32", "")
    return r.default("bf16", "bf16", "trl 1.16.0 base_config.py:108: bf16 None -> not fp16")


def to_canonical(root: Mapping) -> Canonical:
    r = Reader(root, "yaml11")
    c = Canonical()
    read_keys(r, c, FIELD_KEYS)
    method = c.method = _method(r)
    c.adapter = _adapter(r)
    if c.uses_adapter:
        read_keys(r, c, ADAPTER_KEYS)
        c.target_modules = _targets(r)
        c.modules_to_save = names_field(r, "lora_modules_to_save")
    c.learning_rate = _learning_rate(r, method.value)
    # `max_seq_length` is SFT's pre-v0.20 name of `max_length`.
    c.max_seq_len = r.first(["max_length", "max_seq_length"], as_int)
    if c.max_seq_len is None and method.value in ("sft", "dpo", "kto", "orpo", "rm"):
        c.max_seq_len = r.default(
            "max_length", 1024, "trl 1.16.0 sft/dpo/kto/reward config max_length default 1024"
        )
    # model_init_kwargs reach from_pretrained, whose unused kwargs override the HF config
    c.rope_scaling = r.first(
        ["model_init_kwargs.rope_scaling.rope_type", "model_init_kwargs.rope_scaling.type"],
        as_str,
    )
    if method.value in PREFERENCE_METHODS:
        c.dpo_beta = r.field_or_default(
            "beta", as_float, 0.1, "trl 1.16.0 dpo_config.py:297 / kto_config.py:205 beta 0.1"
        )
    if method.value == "grpo":
        c.group_size = r.field_or_default(
            "num_generations", as_int, 8, "trl 1.16.0 grpo_config.py:480 default 8"
        )
        c.temperature = r.field_or_default(
            "temperature", as_float, 1.0, "trl 1.16.0 grpo_config.py:532 default 1.0"
        )
    c.precision = _precision(r)
    if method.value in PREFERENCE_METHODS:
        c.loss_variant = _loss_variant(r)
    c.trains = _trains(r)
    return c


def _loss_variant(r: Reader) -> Field[str] | None:
    found = r.entry("loss_type")
    names = names_in(found.value, r) if found is not None else []
    if found is None or not names:
        return None
    return Field(names[0][0], "file", "loss_type", found.value, found.key, found.parent)


def _trains(r: Reader) -> Field[bool] | None:
    """``do_train: false`` states an evaluation-only run (transformers' example scripts
    honour it; TRL's own scripts train regardless: trl 1.16.0 ``trl/scripts/sft.py:113``)."""
    flag = r.field("do_train", as_bool)
    if flag is None or flag.value:
        return None
    return _at(flag, False, "do_train: false")
