"""``cfgguard init --dialect trl``: a ``trl <method> --config`` file, laid out like the
alignment-handbook recipes (model, LoRA, data, trainer arguments)."""

from __future__ import annotations

from cfgguard.helpers.yamltext import Text
from cfgguard.init.common import (
    head_choice,
    header,
    hf_training_args,
    slug,
    target_names,
    targets_why,
    tied_note,
)
from cfgguard.init.plan import Plan

# TRL's documentation datasets for each trainer (huggingface.co/trl-lib)
DATASETS = {
    "sft": "trl-lib/Capybara",
    "dpo": "trl-lib/ultrafeedback_binarized",
    "grpo": "trl-lib/DeepMath-103K",
}


def _peft(text: Text, plan: Plan) -> None:
    if not plan.uses_adapter:
        text.comment("No PEFT arguments: use_peft defaults to false, a full fine-tune")
        text.blank()
        return
    assert plan.rank
    assert plan.alpha
    assert plan.targets
    text.comment("LoRA arguments")
    text.kv("use_peft", True)
    if plan.adapter == "qlora":
        text.kv("load_in_4bit", True, "QLoRA: 4-bit base (bitsandbytes)")
    text.kv("lora_r", plan.rank.value, plan.rank.why)
    text.kv("lora_alpha", plan.alpha.value, plan.alpha.why)
    head = head_choice(plan.targets, plan.model_id)
    tied_note(text, head)
    names = target_names(plan.targets, head)
    items = [(n, head.why if n == plan.targets.head and head.include else "") for n in names]
    text.block("lora_target_modules", items, targets_why(plan.targets, head), dash_indent=0)
    text.blank()


def _method(text: Text, plan: Plan) -> None:
    if plan.beta is not None:
        text.kv("beta", plan.beta.value, plan.beta.why)
    if plan.group is not None and plan.temperature is not None:
        text.kv("num_generations", plan.group.value, plan.group.why)
        text.kv("temperature", plan.temperature.value, plan.temperature.why)
        text.kv("max_completion_length", plan.completion_len, plan.seq_len.why)
        text.flow("reward_funcs", ["accuracy_reward"], "trl.rewards; replace with yours")
    else:
        text.kv("max_length", plan.seq_len.value, plan.seq_len.why)
        text.kv("eval_strategy", "steps", "evaluates on the dataset's test split")
        text.kv("eval_steps", plan.eval_every.value, plan.eval_every.why)


def render(plan: Plan) -> str:
    text = Text()
    run = f"trl {plan.method} --config config.yaml"
    header(text, plan, "TRL", run)
    text.comment("Model arguments")
    text.kv("model_name_or_path", plan.model_id)
    text.kv("dtype", "bfloat16")
    text.blank()
    _peft(text, plan)
    text.comment("Data arguments")
    text.kv("dataset_name", DATASETS[plan.method], "replace with your dataset")
    text.blank()
    text.comment(f"{plan.method.upper()} trainer arguments")
    text.kv("output_dir", f"outputs/{slug(plan)}")
    hf_training_args(text, plan)
    text.kv("bf16", True)
    # transformers 5.23 renamed it activation_checkpointing (the old name stays an alias)
    text.comment("gradient_checkpointing: true  # trades compute for memory")
    text.kv("logging_steps", 10)
    _method(text, plan)
    return text.render()
