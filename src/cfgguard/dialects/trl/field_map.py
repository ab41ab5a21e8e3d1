"""TRL's field map: the canonical fields TRL reads from one key each (``ModelConfig``
and the ``TrainingArguments`` defaults its trainer configs keep), with their defaults."""

from __future__ import annotations

from cfgguard.dialects.base import as_bool, as_float, as_int, as_str
from cfgguard.dialects.fields import Key
from cfgguard.dialects.training_arguments import training_arguments

_TF = "transformers 5.24.0 src/transformers/training_args.py default"
_MC = "trl 1.16.0 trl/trainer/model_config.py"


# The fields TRL reads from one key each (model_config.py: ModelConfig; _TF:
# TrainingArguments, whose defaults TRL's configs keep)
FIELD_KEYS = (
    Key("base_model", "model_name_or_path", as_str),
    *training_arguments(_TF),
    Key("warmup_ratio", "warmup_ratio", as_float),
    Key("warmup_steps", "warmup_steps", as_float),
    Key("max_steps", "max_steps", as_int),
)
# read when the run trains an adapter (use_peft / a PEFT method)
ADAPTER_KEYS = (
    Key("lora_rank", "lora_r", as_int, 16, f"{_MC}:107 lora_r default 16"),
    Key("lora_alpha", "lora_alpha", as_float, 32.0, f"{_MC}:111 default 32"),
    Key("lora_dropout", "lora_dropout", as_float, 0.05, f"{_MC}:115 default 0.05"),
    Key("use_rslora", "use_rslora", as_bool),  # trl 1.16.0 model_config.py:135
)

# every map, for convert and the tests (``Dialect.fields``)
FIELDS = (*FIELD_KEYS, *ADAPTER_KEYS)
