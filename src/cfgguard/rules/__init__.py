"""The rule registry: every rule module, listed explicitly (one module per rule)."""

from __future__ import annotations

from cfgguard.rules import (
    d001_dpo_beta,
    g001_group_size,
    g002_temperature,
    k001_unknown_key,
    l001_sft_rank,
    l002_rl_rank,
    l003_alpha,
    l004_unembedding,
    m001_unknown_model,
    r001_lr_range,
    r002_lora_lr_too_low,
    r003_full_lr_too_high,
    y001_syntax_error,
    y002_duplicate_key,
    y004_alias_expansion,
    y005_nesting,
    y010_unrecognised,
)
from cfgguard.rules.base import Rule

RULES: tuple[Rule, ...] = (
    y001_syntax_error.RULE,
    y002_duplicate_key.RULE,
    y004_alias_expansion.RULE,
    y005_nesting.RULE,
    y010_unrecognised.RULE,
    m001_unknown_model.RULE,
    l001_sft_rank.RULE,
    l002_rl_rank.RULE,
    l003_alpha.RULE,
    l004_unembedding.RULE,
    r001_lr_range.RULE,
    r002_lora_lr_too_low.RULE,
    r003_full_lr_too_high.RULE,
    d001_dpo_beta.RULE,
    g001_group_size.RULE,
    g002_temperature.RULE,
    k001_unknown_key.RULE,
)
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}

__all__ = ["RULES", "RULES_BY_CODE", "Rule"]
