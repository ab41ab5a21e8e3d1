"""verl's field maps, one per trainer: the PPO trainer's keys (``ppo_trainer.yaml`` at
0.9.1), the legacy SFT trainer's (``sft_trainer.yaml`` at 0.7.0, with its defaults) and
the engine SFT trainer's (no defaults claimed), and the ``Layout``s ``convert`` writes in."""

from __future__ import annotations

from collections.abc import Callable

from cfgguard.dialects.base import as_float, as_int, known_text
from cfgguard.dialects.fields import Key, Layout

A, R, M = "actor_rollout_ref.actor", "actor_rollout_ref.rollout", "actor_rollout_ref.model"
PPO_NOTE = "verl 0.9.1 verl/trainer/config/_generated_ppo_trainer.yaml default"
SFT_NOTE = "verl 0.7.0 verl/trainer/config/sft_trainer.yaml default"


def _positive(v: object) -> float | None:
    """A frequency; verl writes -1 for "off"."""
    f = as_float(v)
    return f if f is not None and f > 0 else None


def _lora_keys(model: str, note: str) -> tuple[Key, ...]:
    """The LoRA keys below the model section, read once LoRA is on."""
    return (
        Key("lora_rank", f"{model}.lora_rank", as_int),
        Key("lora_alpha", f"{model}.lora_alpha", as_float, 16.0, note),
    )


def _trainer_keys(*keys: Key) -> tuple[Key, ...]:
    """A trainer's keys, then the ``trainer`` section's and the batch, which all share."""
    return (
        *keys,
        Key("num_epochs", "trainer.total_epochs", as_float),
        Key("max_steps", "trainer.total_training_steps", as_int),
        Key("eval_steps", "trainer.test_freq", _positive),
        Key("train_batch_size", "data.train_batch_size", as_int),
    )


OPTIM = f"{A}.optim"


# The PPO trainer's keys (ppo_trainer.yaml at 0.9.1); ``also``: older spellings
# (optim.warmup_style) and where verl <= 0.7.x's legacy FSDP worker, the default path
# there, reads the clip (0.7.0 workers/actor/dp_actor.py:310-316: actor.grad_clip; the
# engine, the only path from 0.8.0, optim.clip_grad)
PPO_KEYS = (
    *_trainer_keys(
        Key("base_model", f"{M}.path", known_text),
        Key("learning_rate", f"{OPTIM}.lr", as_float, 1e-6, PPO_NOTE),
        Key("lr_scheduler", f"{OPTIM}.lr_scheduler_type", known_text, "constant", PPO_NOTE, also=(
            f"{OPTIM}.warmup_style",
        )),
        Key("optimizer", f"{OPTIM}.optimizer", known_text, "AdamW", PPO_NOTE),
        Key("weight_decay", f"{OPTIM}.weight_decay", as_float, 0.01, PPO_NOTE),
        Key("max_grad_norm", f"{A}.grad_clip", as_float, 1.0, PPO_NOTE, also=(
            f"{OPTIM}.clip_grad", f"{OPTIM}.grad_clip",
        )),
        Key("micro_batch_size", f"{A}.ppo_micro_batch_size_per_gpu", as_int),
        Key("group_size", f"{R}.n", as_int, 1, PPO_NOTE),
        Key("temperature", f"{R}.temperature", as_float, 1.0, PPO_NOTE),
        Key("precision", f"{A}.fsdp_config.dtype", known_text),
    ),
    Key("ppo_mini_batch_size", f"{A}.ppo_mini_batch_size", as_int),
    Key("kl_loss_coef", f"{A}.kl_loss_coef", as_float),
)  # fmt: skip
PPO_LORA_KEYS = _lora_keys(M, PPO_NOTE)
HF_MODEL_NOTE = "verl 0.9.1 verl/trainer/config/model/hf_model.yaml default"


def _sft_keys(engine: bool) -> tuple[Key, ...]:
    """The SFT trainers' keys: ``sft_trainer.yaml``'s defaults (0.7.0) apply to files built
    on it; the engine layout (``model@model: hf_model``, ``optim@optim``) takes them from
    groups whose defaults were not traced, so it claims none."""

    def key(field: str, path: str, codec: Callable[[object], object], default: object) -> Key:
        return Key(field, path, codec) if engine else Key(field, path, codec, default, SFT_NOTE)

    base = ("model.path", "model.partial_pretrain")  # the engine's spelling, the legacy one
    return _trainer_keys(
        Key("base_model", base[0], known_text, also=base[1:]) if engine else
        Key("base_model", base[1], known_text, also=base[:1]),
        key("learning_rate", "optim.lr", as_float, 1e-5),
        key("lr_scheduler", "optim.lr_scheduler_type" if engine else "optim.lr_scheduler",
            known_text, "cosine"),
        key("warmup_ratio", "optim.lr_warmup_steps_ratio", as_float, 0.1),
        Key("weight_decay", "optim.weight_decay", as_float),
        key("max_grad_norm", "optim.clip_grad", as_float, 1.0),
        Key("micro_batch_size", "data.micro_batch_size_per_gpu", as_int),
        key("max_seq_len", "data.max_length", as_int, 1024),
    )  # fmt: skip


SFT_KEYS, SFT_ENGINE_KEYS = _sft_keys(engine=False), _sft_keys(engine=True)
SFT_LORA_KEYS = _lora_keys("model", SFT_NOTE)
SFT_ENGINE_LORA_KEYS = _lora_keys("model", HF_MODEL_NOTE)


# convert writes PPO-family runs for the PPO trainer and the rest (SFT) for the engine
# trainer (the legacy sft_trainer.yaml is gone from 0.7.1)
LAYOUTS = (
    Layout("verl's PPO trainer", frozenset({"ppo", "grpo"}), (*PPO_KEYS, *PPO_LORA_KEYS)),
    Layout("verl's SFT trainer", frozenset(), (*SFT_ENGINE_KEYS, *SFT_ENGINE_LORA_KEYS)),
)
