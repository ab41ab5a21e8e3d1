"""Canonical mapping cases of every dialect: a fixture's field, its value, origin and line.

``line`` is the 1-based line of the value node, or None for a value the file does not
hold (a default, or one derived from elsewhere), which then names its source.
"""

from __future__ import annotations

import pytest
from _pytest.mark.structures import ParameterSet


def _stem(name: str) -> str:
    return name.removesuffix(".yaml").replace("_", "-")


def fields(
    dialect: str, name: str, *rows: tuple[str, object, str, int | None]
) -> list[ParameterSet]:
    return [
        pytest.param(dialect, name, *row, id=f"{dialect}-{_stem(name)}-{row[0]}") for row in rows
    ]


def absent(dialect: str, *rows: tuple[str, str]) -> list[ParameterSet]:
    return [pytest.param(dialect, n, a, id=f"{dialect}-{_stem(n)}-{a}") for n, a in rows]


FIELDS = [
    *fields(
        "axolotl",
        "lora_sft.yaml",
        ("base_model", "meta-llama/Llama-3.1-8B", "file", 2),
        ("method", "sft", "default", None),
        ("adapter", "lora", "file", 11),
        ("lora_rank", 16, "file", 12),
        ("lora_alpha", 32.0, "file", 13),
        ("lora_dropout", 0.05, "file", 14),
        ("learning_rate", 0.0002, "file", 27),  # `2e-4`: a YAML 1.1 string
        ("lr_scheduler", "cosine", "file", 26),
        ("warmup_steps", 10.0, "file", 28),
        ("optimizer", "adamw_bnb_8bit", "file", 25),
        ("weight_decay", 0.01, "file", 29),
        ("max_grad_norm", 1.0, "default", None),
        ("micro_batch_size", 2, "file", 22),
        ("gradient_accumulation_steps", 4, "file", 23),
        ("num_epochs", 3.0, "file", 24),
        ("max_seq_len", 4096, "file", 19),
        ("rope_scaling", "linear", "file", 34),
        ("precision", "bf16", "file", 31),
    ),
    *fields(
        "axolotl",
        "qlora_dpo.yaml",
        ("method", "dpo", "file", 10),
        ("adapter", "qlora", "file", 3),
        ("lora_dropout", 0.0, "default", None),
        ("learning_rate", 5e-6, "file", 19),
        ("num_epochs", 1.0, "default", None),
        ("max_seq_len", 512, "default", None),
        ("dpo_beta", 0.05, "file", 12),
        ("precision", "fp16", "file", 20),
    ),
    *fields(
        "axolotl",
        "grpo_full.yaml",
        ("method", "grpo", "file", 2),
        ("adapter", "full", "default", None),
        ("group_size", 4, "file", 4),
        ("temperature", 1.0, "default", None),
        ("max_grad_norm", 0.5, "file", 13),
        ("gradient_accumulation_steps", 1, "default", None),
        ("precision", "auto", "file", 14),
    ),
    *fields(
        "axolotl",
        "pretrain.yaml",
        ("method", "pretrain", "derived", 3),
        ("max_steps", 1000, "file", 7),
        ("lr_scheduler", "constant", "file", 9),
        ("precision", "auto", "default", None),
    ),
    *fields(
        "axolotl",
        "reward_model.yaml",
        ("method", "rm", "file", 2),
        ("learning_rate", 2e-5, "file", 10),
    ),
    *fields(
        "axolotl",
        "plugin_only.yaml",
        ("micro_batch_size", 1, "default", None),
        ("optimizer", "adamw_torch_fused", "default", None),
    ),
    *fields(
        "llamafactory",
        "lora_sft.yaml",
        ("base_model", "meta-llama/Meta-Llama-3-8B-Instruct", "file", 2),
        ("method", "sft", "file", 5),
        ("adapter", "lora", "file", 7),
        ("lora_rank", 16, "file", 8),
        ("lora_alpha", 32.0, "file", 9),
        ("lora_dropout", 0.1, "file", 10),
        ("learning_rate", 1e-4, "file", 23),  # `1e-4`: a float in OmegaConf
        ("lr_scheduler", "cosine", "file", 25),
        ("warmup_ratio", 0.1, "file", 26),
        ("optimizer", "adamw_torch", "file", 27),
        ("micro_batch_size", 2, "file", 21),
        ("gradient_accumulation_steps", 4, "file", 22),
        ("num_epochs", 2.0, "file", 24),
        ("max_seq_len", 1024, "file", 16),
        ("rope_scaling", "linear", "file", 28),
        ("precision", "bf16", "file", 29),
        ("dataset_size", 500, "file", 17),
        ("max_grad_norm", 1.0, "default", None),
    ),
    *fields(
        "llamafactory",
        "qlora_orpo.yaml",
        ("method", "orpo", "file", 4),
        ("adapter", "qlora", "default", None),
        ("dpo_beta", 0.2, "file", 5),
        ("precision", "fp16", "file", 11),
    ),
    *fields(
        "llamafactory",
        "defaults.yaml",
        ("method", "pretrain", "file", 3),
        ("adapter", "lora", "default", None),
        ("lora_rank", 8, "default", None),
        ("lora_alpha", 16.0, "default", None),
        ("lora_dropout", 0.0, "default", None),
        ("learning_rate", 5e-5, "default", None),
        ("lr_scheduler", "linear", "default", None),
        ("micro_batch_size", 8, "default", None),
        ("gradient_accumulation_steps", 1, "default", None),
        ("num_epochs", 3.0, "default", None),
        ("max_seq_len", 2048, "default", None),
        ("precision", "fp32", "default", None),
    ),
    *fields(
        "llamafactory",
        "full_dpo.yaml",
        ("method", "dpo", "file", 2),
        ("adapter", "full", "file", 3),
        ("dpo_beta", 0.1, "default", None),
        ("max_seq_len", 4096, "file", 6),
        ("precision", "fp32", "file", 10),
    ),
    *fields(
        "llamafactory",
        "v1_lora.yaml",
        ("base_model", "Qwen/Qwen3-0.6B", "file", 1),
        ("method", "sft", "default", None),
        ("adapter", "lora", "file", 5),
        ("lora_rank", 32, "file", 6),
        ("lora_alpha", 64.0, "file", 7),
        ("learning_rate", 2e-5, "file", 17),
        ("micro_batch_size", 4, "file", 15),
        ("num_epochs", 3.0, "default", None),
        ("max_steps", 100, "file", 18),
        ("max_seq_len", 4096, "file", 16),
        ("precision", "bf16", "default", None),
    ),
    *fields(
        "trl",
        "sft_lora.yaml",
        ("base_model", "Qwen/Qwen2.5-0.5B", "file", 2),
        ("method", "sft", "derived", 14),
        ("adapter", "lora", "file", 4),
        ("lora_rank", 32, "file", 5),
        ("lora_alpha", 16.0, "file", 6),
        ("lora_dropout", 0.05, "default", None),
        ("learning_rate", 2e-5, "file", 9),  # `2e-5`: a YAML 1.1 string
        ("lr_scheduler", "linear", "default", None),
        ("micro_batch_size", 4, "file", 10),
        ("gradient_accumulation_steps", 2, "file", 11),
        ("num_epochs", 1.0, "file", 12),
        ("max_seq_len", 2048, "file", 13),
        ("max_grad_norm", 1.0, "default", None),
        ("precision", "bf16", "default", None),
    ),
    *fields(
        "trl",
        "handbook_dpo_qlora.yaml",
        ("method", "dpo", "derived", 21),
        ("adapter", "qlora", "file", 5),
        ("lora_rank", 64, "file", 7),
        ("dpo_beta", 0.05, "file", 21),
        ("max_seq_len", 1024, "file", 22),
        ("learning_rate", 5e-7, "file", 24),
        ("lr_scheduler", "cosine", "file", 25),
        ("warmup_ratio", 0.1, "file", 26),
        ("optimizer", "adamw_torch", "file", 30),
        ("precision", "bf16", "file", 20),
    ),
    *fields(
        "trl",
        "grpo.yaml",
        ("method", "grpo", "derived", 5),
        ("adapter", "full", "default", None),
        ("group_size", 16, "file", 5),
        ("temperature", 0.9, "file", 6),
        ("micro_batch_size", 16, "file", 9),
        ("learning_rate", 1e-6, "file", 10),
        ("num_epochs", 3.0, "default", None),
    ),
    *fields(
        "trl",
        "kto.yaml",
        ("method", "kto", "derived", 3),
        ("dpo_beta", 0.1, "file", 5),
        ("max_seq_len", 1024, "default", None),
    ),
    *fields(
        "trl",
        "training_args_only.yaml",
        ("method", "sft", "default", None),
        ("learning_rate", 3e-5, "file", 1),
        ("num_epochs", 2.0, "file", 2),
    ),
    *fields(
        "plain",
        "sft.yaml",
        ("base_model", "meta-llama/Llama-3.1-8B-Instruct", "file", 1),
        ("method", "sft", "derived", None),
        ("adapter", "lora", "derived", 2),
        ("lora_rank", 64, "file", 2),
        ("lora_alpha", 32.0, "file", 3),
        ("learning_rate", 5e-4, "file", 4),
        ("micro_batch_size", 16, "file", 5),
        ("max_steps", 5000, "file", 6),
        ("max_seq_len", 4096, "file", 7),
    ),
    *fields(
        "torchtune",
        "lora_sft.yaml",
        ("base_model", "/data/Meta-Llama-3.1-8B-Instruct/", "derived", 20),
        ("method", "sft", "derived", None),
        ("adapter", "lora", "derived", 5),
        ("lora_rank", 16, "file", 9),
        ("lora_alpha", 32.0, "file", 10),
        ("lora_dropout", 0.05, "file", 11),
        ("learning_rate", 3e-4, "file", 33),
        ("adam_beta1", 0.9, "file", 34),
        ("adam_beta2", 0.95, "file", 34),
        ("adam_epsilon", 1e-8, "file", 35),
        ("weight_decay", 0.01, "file", 36),
        ("optimizer", "AdamW", "file", 32),
        ("lr_scheduler", "cosine", "file", 38),
        ("warmup_steps", 100.0, "file", 39),
        ("max_grad_norm", 1.0, "file", 29),
        ("micro_batch_size", 2, "file", 25),
        ("gradient_accumulation_steps", 8, "file", 28),
        ("num_epochs", 3.0, "file", 26),
        ("max_seq_len", 4096, "file", 16),
        ("precision", "bf16", "file", 44),
    ),
    *fields(
        "verl",
        "grpo_lora.yaml",
        ("base_model", "Qwen/Qwen2.5-7B-Instruct", "file", 10),
        ("method", "grpo", "derived", 33),
        ("adapter", "lora", "derived", 11),
        ("lora_rank", 32, "file", 11),
        ("lora_alpha", 64.0, "file", 12),
        ("learning_rate", 3e-6, "file", 22),
        ("lr_scheduler", "cosine", "file", 26),
        ("warmup_steps", 10.0, "file", 23),
        ("adam_beta1", 0.9, "file", 24),
        ("adam_beta2", 0.99, "file", 24),
        ("weight_decay", 0.0, "file", 25),
        ("max_grad_norm", 0.5, "file", 18),
        ("micro_batch_size", 4, "file", 17),
        ("group_size", 8, "file", 29),
        ("temperature", 0.7, "file", 30),
        ("num_epochs", 15.0, "file", 38),
        ("max_steps", 300, "file", 39),
        ("eval_steps", 20.0, "file", 40),
        ("devices", 8, "derived", 36),
        ("max_seq_len", 3072, "derived", 5),
        ("optimizer", "AdamW", "default", None),
    ),
]

# fields a fixture must leave unset
ABSENT = [
    *absent(
        "axolotl",
        ("grpo_full.yaml", "lora_rank"),  # full fine-tune: no LoRA fields
        ("grpo_full.yaml", "target_modules"),
        ("grpo_full.yaml", "dpo_beta"),  # GRPO's beta is a KL weight, not DPO's
        ("qlora_dpo.yaml", "group_size"),
        ("lora_sft.yaml", "dpo_beta"),
        ("lora_sft.yaml", "temperature"),
        ("lora_sft.yaml", "warmup_ratio"),
    ),
    *absent(
        "llamafactory",
        ("full_dpo.yaml", "lora_rank"),  # full fine-tune: no LoRA fields
        ("full_dpo.yaml", "target_modules"),
        ("lora_sft.yaml", "dpo_beta"),  # SFT has no preference beta
        ("lora_sft.yaml", "group_size"),  # no GRPO in LLaMA-Factory
        ("lora_sft.yaml", "temperature"),
        ("v1_lora.yaml", "lora_dropout"),  # v1 plugin defaults are unknown
        ("v1_lora.yaml", "gradient_accumulation_steps"),
    ),
    *absent(
        "trl",
        ("grpo.yaml", "dpo_beta"),  # GRPO's beta is a KL weight, not DPO's
        ("grpo.yaml", "lora_rank"),
        ("grpo.yaml", "max_seq_len"),  # GRPO bounds completions, not sequences
        ("sft_lora.yaml", "dpo_beta"),
        ("sft_lora.yaml", "group_size"),
        ("kto.yaml", "temperature"),
        ("training_args_only.yaml", "base_model"),
    ),
]
