"""The rule registry: every rule module, listed explicitly (one module per rule)."""

from __future__ import annotations

from cfgguard.rules import (
    b001_effective_batch,
    b002_gpu_memory_batch,
    c001_context_length,
    g003_grpo_batch_divisibility,
    k002_deprecated_key,
    l005_partial_targets,
    l006_unknown_module_names,
    o001_adam_betas,
    o002_adam_epsilon,
    o003_lora_weight_decay,
    o004_gradient_clipping,
    o005_warmup,
    o006_scheduler,
    r004_hidden_size_lr,
    t001_epochs,
    t002_eval_frequency,
    y003_loader_surprise,
)
from cfgguard.rules.base import Rule

RULES: tuple[Rule, ...] = (
    y001_syntax_error.RULE,
    y002_duplicate_key.RULE,
    y003_loader_surprise.RULE,
    y004_alias_expansion.RULE,
    y005_nesting.RULE,
    y010_unrecognised.RULE,
    m001_unknown_model.RULE,
    k001_unknown_key.RULE,
    k002_deprecated_key.RULE,
    l001_sft_rank.RULE,
    l002_rl_rank.RULE,
    l003_alpha.RULE,
    l004_unembedding.RULE,
    l005_partial_targets.RULE,
    l006_unknown_module_names.RULE,
    r001_lr_range.RULE,
    r002_lora_lr_too_low.RULE,
    r003_full_lr_too_high.RULE,
    r004_hidden_size_lr.RULE,
    t001_epochs.RULE,
    t002_eval_frequency.RULE,
    b001_effective_batch.RULE,
    b002_gpu_memory_batch.RULE,
    d001_dpo_beta.RULE,
    g001_group_size.RULE,
    g002_temperature.RULE,
    g003_grpo_batch_divisibility.RULE,
    o001_adam_betas.RULE,
    o002_adam_epsilon.RULE,
    o003_lora_weight_decay.RULE,
    o004_gradient_clipping.RULE,
    o005_warmup.RULE,
    o006_scheduler.RULE,
    c001_context_length.RULE,
)
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}

__all__ = ["RULES", "RULES_BY_CODE", "Rule"]
