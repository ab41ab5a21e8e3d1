"""``cfgguard init --dialect verl``: a Hydra config on top of verl's own trainer configs.

GRPO builds on ``ppo_trainer`` (``python3 -m verl.trainer.main_ppo``) with
``algorithm.adv_estimator: grpo``; SFT on ``sft_trainer_engine``
(``verl.trainer.sft_trainer``; verl 0.7.1 removed the legacy ``fsdp_sft_trainer``).
verl's ``target_modules`` is one string (a list fails its typed merge), so the targets
are a PEFT regex naming the projections and the unembedding.
"""

from __future__ import annotations

import re

from cfgguard.helpers.yamltext import Text
from cfgguard.init.common import head_choice, header, slug, target_names, targets_why, tied_note
from cfgguard.init.plan import Plan

GPUS = 8  # verl's default trainer.n_gpus_per_node, written out


def targets_regex(names: list[str], head: str | None) -> str:
    """PEFT full-match regex: any module ending in a projection name, or the head.

    The head is top-level (``lm_head``), so it stands beside the ``.*\\.(...)`` group."""
    if not names:
        return re.escape(head) if head else ""
    body = "|".join(re.escape(n) for n in names)
    regex = rf".*\.({body})"
    return f"{regex}|{re.escape(head)}" if head else regex


def _targets(text: Text, plan: Plan, indent: int) -> None:
    assert plan.rank
    assert plan.alpha
    assert plan.targets
    text.kv("lora_rank", plan.rank.value, plan.rank.why, indent)
    text.kv("lora_alpha", plan.alpha.value, plan.alpha.why, indent)
    head = head_choice(plan.targets, plan.model_id)
    tied_note(text, head, indent)
    linear = list(plan.targets.linear)
    regex = targets_regex(linear, plan.targets.head if head.include else None)
    assert target_names(plan.targets, head)[: len(linear)] == linear
    text.kv("target_modules", regex, targets_why(plan.targets, head), indent)


def _hydra(text: Text, base: str) -> None:
    text.open("hydra")
    text.block("searchpath", [("file://verl/trainer/config", "")], indent=2)
    text.block("defaults", [(base, "verl's own config"), ("_self_", "")], dash_indent=2)
    text.blank()


def _trainer(text: Text, plan: Plan) -> None:
    text.open("trainer")
    text.kv("n_gpus_per_node", GPUS, "verl's default, stated: set it to your node", 2)
    text.kv("nnodes", 1, indent=2)
    text.kv("total_training_steps", plan.steps.value, plan.steps.why, 2)
    text.kv("test_freq", plan.eval_every.value, plan.eval_every.why, 2)
    text.kv("project_name", "cfgguard-init", indent=2)
    text.kv("experiment_name", slug(plan), indent=2)


def _grpo(text: Text, plan: Plan) -> None:
    assert plan.group is not None
    assert plan.temperature is not None
    prompts = plan.batch.effective
    micro = min(plan.batch.micro, prompts)
    text.open("data")
    text.kv("train_files", "~/data/gsm8k/train.parquet", "replace with your data", 2)
    text.kv("val_files", "~/data/gsm8k/test.parquet", "replace with your data", 2)
    text.kv("train_batch_size", prompts, "prompts per step (one update each)", 2)
    text.kv("max_prompt_length", plan.prompt_len, "a quarter of the window", 2)
    text.kv("max_response_length", plan.completion_len, plan.seq_len.why, 2)
    text.blank()
    text.open("actor_rollout_ref")
    text.open("model", indent=2)
    text.kv("path", plan.model_id, indent=4)
    if plan.uses_adapter:
        _targets(text, plan, 4)
    text.open("actor", indent=2)
    text.open("optim", indent=4)
    text.kv("lr", plan.lr.value, plan.lr.why, 6)
    text.kv("lr_scheduler_type", plan.scheduler.value, plan.scheduler.why, 6)
    text.kv("lr_warmup_steps_ratio", plan.warmup_ratio.value, plan.warmup_ratio.why, 6)
    text.kv("weight_decay", plan.weight_decay.value, plan.weight_decay.why, 6)
    text.kv("clip_grad", plan.clip.value, f"{plan.clip.why} (new engine)", 6)
    text.kv("grad_clip", plan.clip.value, f"{plan.clip.why} (legacy worker)", 4)
    text.kv("ppo_mini_batch_size", prompts, plan.batch.why, 4)
    text.kv("ppo_micro_batch_size_per_gpu", micro, "completions per GPU per pass", 4)
    text.open("rollout", indent=2)
    text.kv("name", "vllm", indent=4)
    text.kv("n", plan.group.value, plan.group.why, 4)
    text.kv("temperature", plan.temperature.value, plan.temperature.why, 4)
    text.kv("log_prob_micro_batch_size_per_gpu", micro, indent=4)
    text.blank()
    text.open("algorithm")
    text.kv("adv_estimator", "grpo", "GRPO: group-relative advantages", 2)
    text.blank()
    _trainer(text, plan)


def _sft(text: Text, plan: Plan) -> None:
    per_gpu = max(1, min(plan.batch.micro, plan.batch.effective // GPUS))
    text.open("data")
    text.kv("train_files", "~/data/gsm8k/train.parquet", "replace with your data", 2)
    text.kv("val_files", "~/data/gsm8k/test.parquet", "replace with your data", 2)
    text.kv("train_batch_size", plan.batch.effective, plan.batch.why, 2)
    text.kv("micro_batch_size_per_gpu", per_gpu, f"the batch over {GPUS} GPUs", 2)
    text.kv("max_length", plan.seq_len.value, plan.seq_len.why, 2)
    text.blank()
    text.open("model")
    text.kv("path", plan.model_id, indent=2)
    if plan.uses_adapter:
        _targets(text, plan, 2)
    text.blank()
    text.open("optim")
    text.kv("lr", plan.lr.value, plan.lr.why, 2)
    text.kv("lr_scheduler_type", plan.scheduler.value, plan.scheduler.why, 2)
    text.kv("lr_warmup_steps_ratio", plan.warmup_ratio.value, plan.warmup_ratio.why, 2)
    text.kv("weight_decay", plan.weight_decay.value, plan.weight_decay.why, 2)
    text.flow("betas", [0.9, 0.999], "AdamW (Standard); verl's SFT default is 0.95", 2)
    text.kv("clip_grad", plan.clip.value, plan.clip.why, 2)
    text.blank()
    _trainer(text, plan)


def render(plan: Plan) -> str:
    text = Text()
    if plan.method == "grpo":
        run = "python3 -m verl.trainer.main_ppo --config-path . --config-name config"
        header(text, plan, "verl", run)
        _hydra(text, "ppo_trainer")
        _grpo(text, plan)
    else:
        # the engine trainer: verl 0.7.1 removed fsdp_sft_trainer and its sft_trainer.yaml
        run = "torchrun -m verl.trainer.sft_trainer --config-path . --config-name config"
        header(text, plan, "verl", run)
        _hydra(text, "sft_trainer_engine")
        _sft(text, plan)
    return text.render()
