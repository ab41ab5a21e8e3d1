"""``cfgguard init --dialect plain``: the quick reference's own Common Configurations
format, with the Optimizer Settings keys, and real module names instead of the
``mlp``/``attn`` shorthands (the model table's names: PEFT refuses ``mlp`` on Llama, a
block, and matches nothing with ``attn``; peft 0.21.2 ``src/peft/tuners/lora/model.py:559``)."""

from __future__ import annotations

from cfgguard.helpers.yamltext import Text
from cfgguard.init.common import head_choice, header, target_names, targets_why, tied_note
from cfgguard.init.plan import Plan


def render(plan: Plan) -> str:
    text = Text()
    header(text, plan, "plain (quick reference format)", "any trainer: a framework-free record")
    text.kv("base_model", plan.model_id)
    if plan.uses_adapter:
        assert plan.rank
        assert plan.alpha
        assert plan.targets
        text.kv("lora_rank", plan.rank.value, plan.rank.why)
        text.kv("lora_alpha", plan.alpha.value, plan.alpha.why)
    if plan.beta is not None:
        text.kv("beta", plan.beta.value, plan.beta.why)
    if plan.group is not None and plan.temperature is not None:
        text.kv("group_size", plan.group.value, plan.group.why)
        text.kv("temperature", plan.temperature.value, plan.temperature.why)
    text.kv("learning_rate", plan.lr.value, plan.lr.why)
    text.kv("batch_size", plan.batch.effective, plan.batch.why)
    text.kv("num_steps", plan.steps.value, plan.steps.why)
    text.kv("max_seq_len", plan.seq_len.value, plan.seq_len.why)
    if plan.targets is not None:
        head = head_choice(plan.targets, plan.model_id)
        tied_note(text, head)
        text.flow(
            "target_modules", target_names(plan.targets, head), targets_why(plan.targets, head)
        )
    text.blank()
    text.comment("Optimizer Settings")
    text.kv("optimizer", "adamw", "AdamW (Standard)")
    text.flow("betas", [0.9, 0.999], "AdamW (Standard)")
    text.kv("eps", 1e-8, "AdamW (Standard)")
    text.kv("weight_decay", plan.weight_decay.value, plan.weight_decay.why)
    text.kv("max_grad_norm", plan.clip.value, plan.clip.why)
    text.kv("warmup_ratio", plan.warmup_ratio.value, plan.warmup_ratio.why)
    text.kv("lr_scheduler", plan.scheduler.value, plan.scheduler.why)
    return text.render()
