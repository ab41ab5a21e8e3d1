"""Pieces every dialect's starting config shares: the header, names, target lists."""

from __future__ import annotations

import re

from cfgguard.helpers.yamltext import Text
from cfgguard.init.plan import Plan, TargetPlan
from cfgguard.records import dataclass

METHOD_TITLE = {"sft": "SFT", "dpo": "DPO", "grpo": "GRPO"}
ADAPTER_TITLE = {"lora": "LoRA", "qlora": "QLoRA", "full": "full fine-tune"}
UNEMBED = "the unembedding (Target Modules: lm_head, 'Unembed')"
SUPPRESS = "cfgguard: ignore[L004]"


def slug(plan: Plan) -> str:
    name = plan.model_id.rstrip("/").rsplit("/", 1)[-1].lower()
    name = re.sub(r"[^a-z0-9.]+", "-", name).strip("-")
    return f"{name}-{plan.adapter}-{plan.method}"


def header(text: Text, plan: Plan, framework: str, run: str) -> None:
    kind = ADAPTER_TITLE[plan.adapter]
    text.comment(f"{framework}: {kind} {METHOD_TITLE[plan.method]} of {plan.model_id}")
    text.comment("A starting config from `cfgguard init`: every value's comment names the")
    text.comment("quick-reference table row it comes from (placeholders say 'replace').")
    text.comment(f"Run: {run}")
    text.blank()


@dataclass(frozen=True, slots=True)
class HeadChoice:
    """Whether the unembedding joins the targets, and what to say about it."""

    include: bool
    why: str  # comment for the head item, or the reason it is left out
    suppress: bool  # the targets line carries ``# cfgguard: ignore[L004]``


def head_choice(targets: TargetPlan, model_id: str, can_tie: bool = False) -> HeadChoice:
    """Untied heads are targeted; tied ones only where the framework ties the adapters too.

    A LoRA on a tied ``lm_head`` adapts its output use only and PEFT warns about merging
    (peft 0.21.2 ``src/peft/tuners/tuners_utils.py:1455-1463``); torchtune refuses it for
    tied Qwen2 (torchtune 0.6.1 ``torchtune/models/qwen2/_component_builders.py:246-248``).
    Left out, cfgguard's L004 would say so: the line carries an ignore directive with the
    reason above it.
    """
    if not targets.tied:
        return HeadChoice(True, UNEMBED, False)
    if can_tie:
        return HeadChoice(True, f"{UNEMBED}; tied, so the adapters are tied too", False)
    why = (
        f"{targets.head} is tied to the input embedding in {model_id}: left out on purpose"
        " (a LoRA there adapts the output use only and PEFT warns:"
        " peft 0.21.2 tuners_utils.py:1455-1463)"
    )
    return HeadChoice(False, why, True)


def target_names(targets: TargetPlan, head: HeadChoice) -> list[str]:
    names = list(targets.linear)
    if head.include:
        names.append(targets.head)
    return names


def targets_why(targets: TargetPlan, head: HeadChoice) -> str:
    """The comment of the targets key (the ignore directive last, when needed)."""
    return f"{targets.why}  # {SUPPRESS}" if head.suppress else targets.why


def tied_note(text: Text, head: HeadChoice, indent: int = 0) -> None:
    """The reason a tied head is left out, as comment lines above the targets."""
    if head.suppress:
        words = head.why.split(" ")
        line = ""
        for word in words:
            if len(line) + len(word) + 1 > 86 - indent:
                text.comment(line, indent)
                line = word
            else:
                line = f"{line} {word}".strip()
        if line:
            text.comment(line, indent)


def hf_training_args(text: Text, plan: Plan) -> None:
    """The transformers ``TrainingArguments`` both LLaMA-Factory and TRL read."""
    text.kv("per_device_train_batch_size", plan.batch.micro, plan.batch.why)
    text.kv("gradient_accumulation_steps", plan.batch.accumulation, plan.batch.accumulation_why)
    text.kv("learning_rate", plan.lr.value, plan.lr.why)
    text.kv("max_steps", plan.steps.value, plan.steps.why)
    text.kv("lr_scheduler_type", plan.scheduler.value, plan.scheduler.why)
    text.kv("warmup_steps", plan.warmup_steps.value, plan.warmup_steps.why)
    text.kv("max_grad_norm", plan.clip.value, plan.clip.why)
    text.kv("weight_decay", plan.weight_decay.value, plan.weight_decay.why)
