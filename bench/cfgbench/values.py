"""The values the generated configs vary: learning rates, ranks, batch sizes, models."""

from __future__ import annotations

import random

LR_VALUES = ("1e-6", "5e-6", "1e-5", "2e-5", "5e-5", "1e-4", "2e-4", "3e-4", "5e-4")
CHOICES: dict[str, tuple[str, ...]] = {}
for _keys, _values in (
    (("lora_r", "lora_rank", "r", "rank"), ("4", "8", "16", "32", "64", "128")),
    (("lora_alpha",), ("8", "16", "32", "64", "128")),
    (("lora_dropout",), ("0.0", "0.05", "0.1")),
    (
        (
            "micro_batch_size",
            "per_device_train_batch_size",
            "batch_size",
            "ppo_micro_batch_size_per_gpu",
        ),
        ("1", "2", "4", "8", "16"),
    ),
    (("gradient_accumulation_steps",), ("1", "2", "4", "8", "16")),
    (("train_batch_size",), ("64", "128", "256", "512")),
    (("ppo_mini_batch_size",), ("16", "32", "64", "128")),
    (("num_epochs", "num_train_epochs", "epochs", "total_epochs"), ("1", "2", "3", "5")),
    (
        (
            "sequence_len",
            "cutoff_len",
            "max_seq_len",
            "max_seq_length",
            "max_length",
            "max_prompt_length",
            "max_response_length",
            "max_completion_length",
        ),
        ("512", "1024", "2048", "4096", "8192"),
    ),
    (("warmup_ratio", "lr_warmup_steps_ratio"), ("0.0", "0.03", "0.05", "0.1")),
    (("warmup_steps", "num_warmup_steps"), ("0", "10", "50", "100", "200")),
    (("weight_decay",), ("0.0", "0.01", "0.05", "0.1")),
    (("max_grad_norm", "clip_grad_norm", "grad_clip"), ("0.3", "1.0")),
    (("beta", "dpo_beta", "pref_beta", "rl_beta"), ("0.01", "0.05", "0.1", "0.2", "0.5")),
    (("temperature",), ("0.6", "0.7", "0.8", "1.0", "1.2")),
    (("num_generations", "n", "group_size"), ("4", "8", "16")),
    (("val_set_size",), ("0.0", "0.01", "0.02", "0.05")),
    (("max_steps", "num_steps", "total_training_steps"), ("100", "500", "1000", "2000", "5000")),
    (("save_steps", "eval_steps", "logging_steps"), ("10", "50", "100", "500")),
):
    for _key in _keys:
        CHOICES[_key] = _values
MODEL_KEYS = {"base_model", "model_name_or_path", "model", "path", "pretrained_model_name_or_path"}
MODELS = (
    "meta-llama/Llama-3.1-8B-Instruct",
    "meta-llama/Llama-3.2-1B",
    "meta-llama/Llama-3.2-3B",
    "meta-llama/Llama-3.3-70B-Instruct",
    "Qwen/Qwen2.5-0.5B-Instruct",
    "Qwen/Qwen2.5-7B-Instruct",
    "Qwen/Qwen2.5-14B-Instruct",
    "Qwen/Qwen3-4B",
    "Qwen/Qwen3-8B",
    "Qwen/Qwen3-30B-A3B",
    "mistralai/Mistral-7B-v0.3",
    "google/gemma-2-9b",
    "google/gemma-3-4b-pt",
    "microsoft/phi-4",
    "HuggingFaceTB/SmolLM2-1.7B",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
    "acme-labs/house-model-7b",  # not in cfgguard's model table: M001
)
MODEL_ORGS = {m.split("/", 1)[0].lower() for m in MODELS} | {"meta-llama", "mistralai", "thudm"}
UNIQUE_KEYS = {"output_dir", "run_name", "wandb_name", "hub_model_id", "wandb_run_id"}


def _lr(original: str, rng: random.Random) -> str:
    value = rng.choice(LR_VALUES)
    if ".0e" in original.lower():
        return value.replace("e", ".0e")
    if "e" not in original.lower():
        return f"{float(value):.6f}".rstrip("0")
    return value


def new_number(key: str, original: str, rng: random.Random) -> str | None:
    if key in ("learning_rate", "lr"):
        return _lr(original, rng)
    if key == "seed":
        return str(rng.randrange(10_000))
    values = CHOICES.get(key)
    if values is None:
        return None
    value = rng.choice(values)
    if "." in original and "." not in value:
        value += ".0"
    return value
