"""How torchtune is written: where ``triage`` edits its settings, its value style,
what ``init`` cannot write (``cfgguard.dialects.writing``)."""

from __future__ import annotations

from cfgguard.dialects.base import Reader
from cfgguard.dialects.writing import HF_ACCUMULATION, Place, Writing, fixed


def _training(reader: Reader) -> str:
    return "training." if reader.has("training.optimizer") else ""


def _torchtune_rank(reader: Reader) -> Place:
    model = "policy_model" if reader.has("policy_model") else "model"
    return Place(f"{model}.lora_rank", ("apply_lora_to_output", "apply_lora_to_mlp"))


WRITING = Writing(
    lambda r: [
        Place(f"{_training(r)}clip_grad_norm", ("gradient_accumulation_steps", "optimizer"))
    ],
    HF_ACCUMULATION,
    _torchtune_rank,
    lambda r: Place(f"{_training(r)}optimizer.lr", ("_component_",)),
    fixed("epochs", "learning_rate"),
    capital_bools=True,
    full_only=(
        (
            "grpo",
            "torchtune has no LoRA GRPO recipe (only dev/grpo_full_finetune_distributed);"
            " use --adapter full, or --dialect trl, axolotl or verl for LoRA GRPO",
        ),
    ),
)
