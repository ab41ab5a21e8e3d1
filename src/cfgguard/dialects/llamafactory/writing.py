"""How LLaMA-Factory is written: where ``triage`` edits its settings, its value style,
what ``init`` cannot write (``cfgguard.dialects.writing``)."""

from __future__ import annotations

from cfgguard.dialects.writing import fixed, transformers

# LLaMA-Factory: TrainingArguments and FinetuningArguments (lora_alpha None -> 2 x rank,
# llamafactory 0.9.5 hparams/finetuning_args.py)
WRITING = transformers(
    fixed("lora_rank", "finetuning_type"),
    "num_train_epochs",
    alpha_default_note="lora_alpha is unset: LLaMA-Factory makes it 2 x lora_rank ({})",
    no_trainer=(
        (
            "grpo",
            "LLaMA-Factory has no GRPO trainer (stage is one of pt, sft, rm, ppo, dpo, kto:"
            " llamafactory 0.9.5 hparams/finetuning_args.py:460); use --dialect trl, axolotl"
            " or verl",
        ),
    ),
)
