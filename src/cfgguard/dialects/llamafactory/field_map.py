"""LLaMA-Factory's field map: the canonical fields it reads from one key each (both
formats, the v0 format ``convert`` writes, v0's LoRA and preference arguments), with
their defaults (llamafactory 0.9.5 ``src/llamafactory/hparams``, transformers'
``TrainingArguments``)."""

from __future__ import annotations

from cfgguard.dialects.base import as_bool, as_float, as_int, as_str
from cfgguard.dialects.fields import Key
from cfgguard.dialects.training_arguments import training_arguments

TA = "transformers 5.6.0 src/transformers/training_args.py default"
LF = "llamafactory 0.9.5 src/llamafactory/hparams"
# both formats (COMMON_KEYS), the v0 format convert writes (V0_KEYS; TA: transformers'
# TrainingArguments, which its TrainingArguments extend), v0's LoRA and preference arguments
COMMON_KEYS = (
    Key(
        "max_seq_len",
        "cutoff_len",
        as_int,
        2048,
        f"{LF}/data_args.py:46-47 (v1 training_args.py:36): 2048",
    ),
    Key("max_steps", "max_steps", as_int),
    Key("warmup_ratio", "warmup_ratio", as_float),
    Key("warmup_steps", "warmup_steps", as_float),
)
V0_KEYS = (
    Key("base_model", "model_name_or_path", as_str),
    Key("learning_rate", "learning_rate", as_float, 5e-5, f"{TA} 5e-5"),
    *training_arguments(TA),
    Key("rope_scaling", "rope_scaling", as_str),
    Key("dataset_size", "max_samples", as_int),
)
LORA_KEYS = (
    Key("lora_rank", "lora_rank", as_int, 8, f"{LF}/finetuning_args.py:77 default 8"),
    Key("lora_dropout", "lora_dropout", as_float, 0.0, f"{LF}/finetuning_args.py:73 default 0.0"),
    Key("use_rslora", "use_rslora", as_bool),  # 0.9.5 hparams/finetuning_args.py:99
)
PREF_KEYS = (
    Key("dpo_beta", "pref_beta", as_float, 0.1, f"{LF}/finetuning_args.py:171 default 0.1"),
)

# every map, for convert and the tests (``Dialect.fields``)
FIELDS = (*V0_KEYS, *COMMON_KEYS, *LORA_KEYS, *PREF_KEYS)
