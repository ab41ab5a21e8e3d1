"""The plain format's field map: the canonical fields it holds in one key each."""

from __future__ import annotations

from cfgguard.dialects.base import as_float, as_int
from cfgguard.dialects.fields import Key


def _text(v: object) -> str | None:
    if not isinstance(v, str) or not v.strip():
        return None
    return v.strip()


# The fields the format holds in one key each
FIELDS = (
    Key("base_model", "base_model", _text),
    Key("lora_rank", "lora_rank", as_int),
    Key("lora_alpha", "lora_alpha", as_float),
    Key("learning_rate", "learning_rate", as_float),
    # the format has no accumulation key: batch_size is the whole batch of one step
    Key("micro_batch_size", "batch_size", as_int),
    Key("max_steps", "num_steps", as_int),
    Key("max_seq_len", "max_seq_len", as_int),
    Key("dpo_beta", "beta", as_float),
    Key("group_size", "group_size", as_int),
    Key("temperature", "temperature", as_float),
    Key("optimizer", "optimizer", _text),
    Key("adam_epsilon", "eps", as_float),
    Key("weight_decay", "weight_decay", as_float),
    Key("max_grad_norm", "max_grad_norm", as_float),
    Key("warmup_ratio", "warmup_ratio", as_float),
    Key("lr_scheduler", "lr_scheduler", _text),
)
