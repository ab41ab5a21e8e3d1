"""The transformers ``TrainingArguments`` fields TRL and LLaMA-Factory read alike.

Both trainers' argument classes extend ``TrainingArguments`` (TRL's configs directly,
LLaMA-Factory's ``TrainingArguments`` through ``Seq2SeqTrainingArguments``), so these keys,
their reading and their defaults are one declaration; each dialect cites the
transformers release its own requirement admits.
"""

from __future__ import annotations

from cfgguard.dialects.base import as_float, as_int, as_str
from cfgguard.dialects.fields import Key


def training_arguments(cite: str) -> tuple[Key, ...]:
    """The keys, with defaults cited as ``cite`` (``transformers X src/transformers/
    training_args.py default``)."""
    return (
        Key("lr_scheduler", "lr_scheduler_type", as_str, "linear", f"{cite} linear"),
        Key("optimizer", "optim", as_str),
        Key("adam_beta1", "adam_beta1", as_float),
        Key("adam_beta2", "adam_beta2", as_float),
        Key("adam_epsilon", "adam_epsilon", as_float),
        Key("weight_decay", "weight_decay", as_float),
        Key("max_grad_norm", "max_grad_norm", as_float, 1.0, f"{cite} 1.0"),
        Key("micro_batch_size", "per_device_train_batch_size", as_int, 8, f"{cite} 8"),
        Key("gradient_accumulation_steps", "gradient_accumulation_steps", as_int, 1, f"{cite} 1"),
        Key("num_epochs", "num_train_epochs", as_float, 3.0, f"{cite} 3.0"),
        Key("eval_steps", "eval_steps", as_float),
    )


__all__ = ["training_arguments"]
