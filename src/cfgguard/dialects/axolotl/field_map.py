"""axolotl's field map: the canonical fields axolotl reads from one key each, with
the defaults of its pydantic models (axolotl 0.21.0 ``src/axolotl/utils/schemas``)."""

from __future__ import annotations

from cfgguard.dialects.base import as_bool, as_float, as_int, as_str
from cfgguard.dialects.fields import Key

SCHEMAS = "axolotl 0.21.0 src/axolotl/utils/schemas"


# The fields axolotl reads from one key each (SCHEMAS: its pydantic models at 0.21.0)
FIELD_KEYS = (
    Key("base_model", "base_model", as_str),
    Key("learning_rate", "learning_rate", as_float),
    Key(
        "lr_scheduler",
        "lr_scheduler",
        as_str,
        "cosine",
        f"{SCHEMAS}/training.py:184 default cosine",
    ),
    Key("warmup_ratio", "warmup_ratio", as_float),
    Key("warmup_steps", "warmup_steps", as_float),
    Key("optimizer", "optimizer", as_str, "adamw_torch_fused", f"{SCHEMAS}/training.py:162-163"),
    Key("adam_beta1", "adam_beta1", as_float),
    Key("adam_beta2", "adam_beta2", as_float),
    Key("adam_epsilon", "adam_epsilon", as_float),
    Key(
        "weight_decay", "weight_decay", as_float, 0.0, f"{SCHEMAS}/training.py:159-160 default 0.0"
    ),
    Key(
        "max_grad_norm",
        "max_grad_norm",
        as_float,
        1.0,
        f"{SCHEMAS}/training.py:304 None -> transformers 1.0",
    ),
    Key(
        "micro_batch_size",
        "micro_batch_size",
        as_int,
        1,
        f"{SCHEMAS}/training.py:117-118 default 1",
    ),
    Key(
        "gradient_accumulation_steps",
        "gradient_accumulation_steps",
        as_int,
        1,
        f"{SCHEMAS}/training.py:111-112",
    ),
    Key("num_epochs", "num_epochs", as_float, 1.0, f"{SCHEMAS}/training.py:307 default 1.0"),
    Key("max_steps", "max_steps", as_int),
    Key("eval_steps", "eval_steps", as_float),
    Key("max_seq_len", "sequence_len", as_int, 512, f"{SCHEMAS}/config.py:706-707 default 512"),
)
# read when a local adapter is trained (not Hatchery's remote one)
ADAPTER_KEYS = (
    Key("lora_rank", "lora_r", as_int),
    Key("lora_alpha", "lora_alpha", as_float),
    Key("lora_dropout", "lora_dropout", as_float, 0.0, f"{SCHEMAS}/peft.py:96 default 0.0"),
    # 0.21.0 loaders/adapter.py:163-164 passes peft_use_rslora to LoraConfig(use_rslora=)
    Key("use_rslora", "peft_use_rslora", as_bool),
)
# read for GRPO (axolotl hands the trl section to TRL's GRPOConfig)
GRPO_KEYS = (
    Key(
        "group_size",
        "trl.num_generations",
        as_int,
        8,
        "TRL GRPOConfig default 8 (trl 1.14.1 grpo_config.py:479)",
    ),
    Key(
        "temperature",
        "trl.temperature",
        as_float,
        1.0,
        "TRL GRPOConfig default 1.0 (trl 1.14.1 grpo_config.py:527)",
    ),
)

# every map, for convert and the tests (``Dialect.fields``)
FIELDS = (*FIELD_KEYS, *ADAPTER_KEYS, *GRPO_KEYS)
