"""``cfgguard init --dialect axolotl``: the layout of axolotl's ``examples/*.yml``."""

from __future__ import annotations

from cfgguard.helpers.yamltext import Text
from cfgguard.init.common import head_choice, header, slug, target_names, targets_why, tied_note
from cfgguard.init.plan import Plan

DATASET_TYPE = {
    "sft": ("chat_template", "replace: your conversations (messages in the chat template)"),
    "dpo": ("chat_template.default", "replace: your preference pairs (chosen / rejected)"),
    "grpo": ("your_rewards.prompt_transform", "replace: a function turning rows into prompts"),
}


def _data(text: Text, plan: Plan) -> None:
    kind, why = DATASET_TYPE[plan.method]
    text.records("datasets", [[("path", "your-org/your-dataset", why), ("type", kind, "")]])
    if plan.method != "grpo":
        text.kv("val_set_size", 0.05, "held out for evaluation (eval_steps below)")
    text.kv("output_dir", f"./outputs/{slug(plan)}")
    text.blank()


def _adapter(text: Text, plan: Plan) -> None:
    if plan.method != "sft":
        text.kv("rl", plan.method, f"axolotl's {plan.method.upper()} trainer (TRL)")
    if not plan.uses_adapter:
        text.comment("no adapter: a full fine-tune")
        text.blank()
        return
    assert plan.rank
    assert plan.alpha
    assert plan.targets
    text.kv("adapter", plan.adapter)
    if plan.adapter == "qlora":
        text.kv("load_in_4bit", True, "QLoRA: 4-bit base (adapter: qlora requires it)")
    text.kv("lora_r", plan.rank.value, plan.rank.why)
    text.kv("lora_alpha", plan.alpha.value, plan.alpha.why)
    head = head_choice(plan.targets, plan.model_id, can_tie=True)
    tied_note(text, head)
    names = target_names(plan.targets, head)
    items = [(n, head.why if n == plan.targets.head and head.include else "") for n in names]
    text.block("lora_target_modules", items, targets_why(plan.targets, head))
    if plan.targets.tied and head.include:
        text.kv("peft_ensure_weight_tying", True, "tied embeddings: tie the adapters (PEFT)")
    text.blank()


def _schedule(text: Text, plan: Plan) -> None:
    text.kv("sequence_len", plan.seq_len.value, plan.seq_len.why)
    text.kv("micro_batch_size", plan.batch.micro, plan.batch.why)
    text.kv("gradient_accumulation_steps", plan.batch.accumulation, plan.batch.accumulation_why)
    text.kv("max_steps", plan.steps.value, plan.steps.why)
    if plan.method != "grpo":
        text.kv("eval_steps", plan.eval_every.value, plan.eval_every.why)
    text.blank()
    text.kv("optimizer", "adamw_torch_fused", "AdamW (Standard): optimizer adamw")
    text.kv("learning_rate", plan.lr.value, plan.lr.why)
    text.kv("lr_scheduler", plan.scheduler.value, plan.scheduler.why)
    text.kv("warmup_steps", plan.warmup_steps.value, plan.warmup_steps.why)
    text.kv("max_grad_norm", plan.clip.value, plan.clip.why)
    text.kv("weight_decay", plan.weight_decay.value, plan.weight_decay.why)
    text.kv("bf16", "auto", "axolotl default: bf16 where the GPU has it")
    text.kv("gradient_checkpointing", True, "axolotl examples: trades compute for memory")


def _trl(text: Text, plan: Plan) -> None:
    if plan.method == "sft":
        return
    text.blank()
    text.open("trl", "passed to TRL's trainer config")
    if plan.beta is not None:
        text.kv("beta", plan.beta.value, plan.beta.why, 2)
    if plan.group is not None and plan.temperature is not None:
        text.kv("num_generations", plan.group.value, plan.group.why, 2)
        text.kv("temperature", plan.temperature.value, plan.temperature.why, 2)
        text.kv("max_completion_length", plan.completion_len, "sequence_len less the prompt", 2)
        text.flow("reward_funcs", ["your_rewards.correctness"], "replace: your reward", 2)


def render(plan: Plan) -> str:
    text = Text()
    header(text, plan, "axolotl", "axolotl train config.yaml")
    text.kv("base_model", plan.model_id)
    text.blank()
    _data(text, plan)
    _adapter(text, plan)
    _schedule(text, plan)
    _trl(text, plan)
    return text.render()
