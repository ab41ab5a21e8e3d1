"""torchtune's field map: the canonical fields its recipes read from one key each."""

from __future__ import annotations

from cfgguard.dialects.base import as_bool, as_float, as_int, known_text
from cfgguard.dialects.fields import Key

BUILDER_NOTE = (
    "torchtune LoRA builders' default (torchtune 0.6.1"
    " torchtune/models/llama3_1/_model_builders.py:86-90, the same in every lora_* builder)"
)


# The fields torchtune's recipes read from one key each; ``also``: the key in the
# layout of the PPO recipe (policy_model) and the distributed GRPO recipes (training.*,
# inference.*, orchestration.*), read where the file uses that layout.
FIELD_KEYS = (
    Key("learning_rate", "optimizer.lr", as_float, also=("training.optimizer.lr",)),
    Key("adam_epsilon", "optimizer.eps", as_float, also=("training.optimizer.eps",)),
    Key("weight_decay", "optimizer.weight_decay", as_float, also=(
        "training.optimizer.weight_decay",
    )),
    Key("warmup_steps", "lr_scheduler.num_warmup_steps", as_float),
    Key("micro_batch_size", "batch_size", as_int, also=("training.batch_size",)),
    Key("gradient_accumulation_steps", "gradient_accumulation_steps", as_int),
    Key("num_epochs", "epochs", as_float),
    Key("max_seq_len", "tokenizer.max_seq_len", as_int),
    # clip_grad_norm: null (or absent) means no clipping, so it stays absent here
    Key("max_grad_norm", "clip_grad_norm", as_float, also=("training.clip_grad_norm",)),
    Key("group_size", "grpo_samples", as_int, also=("inference.group_size",)),
    Key("temperature", "temperature", as_float, also=("inference.temperature",)),
    Key("precision", "dtype", known_text),
    # a per-epoch cap, not a total: kept raw (total = min(cap, dataloader steps) * epochs)
    Key("max_steps_per_epoch", "max_steps_per_epoch", as_int),
)  # fmt: skip
RL_KEYS = (Key("max_steps", "num_steps", as_int, also=("orchestration.num_steps",)),)


# the LoRA builders' arguments, read when the builder is a LoRA one
LORA_KEYS = (
    Key("lora_rank", "model.lora_rank", as_int, 8, BUILDER_NOTE, also=("policy_model.lora_rank",)),
    Key("lora_alpha", "model.lora_alpha", as_float, 16.0, BUILDER_NOTE, also=(
        "policy_model.lora_alpha",
    )),
    Key("lora_dropout", "model.lora_dropout", as_float, 0.0, BUILDER_NOTE, also=(
        "policy_model.lora_dropout",
    )),
    Key("use_dora", "model.use_dora", as_bool, also=("policy_model.use_dora",)),
)  # fmt: skip

# every map, for convert and the tests (``Dialect.fields``)
FIELDS = (*FIELD_KEYS, *RL_KEYS, *LORA_KEYS)
