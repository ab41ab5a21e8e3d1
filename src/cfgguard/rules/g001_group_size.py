"""GRPO group size outside 4..16.

## What it does
For GRPO runs, reports a group size (samples per prompt: `num_generations`,
`rollout.n`, `group_size`) outside the quick reference's practical rows, 4..16, with
the table's trade-off. Fewer than 2 is an error: the advantage of a sample is its
reward minus the group's mean, so a group of one always has advantage 0.

## Why is this bad?
Smaller groups are fast but their advantage estimates are noisy (4: "Fast, higher
variance"); larger groups lower the variance at proportional cost (16: "2x cost", 32:
"Research only, 4x cost"). Outside 4..16 the trade-off is rarely worth it.

## Example
```yaml
base_model: Qwen/Qwen2.5-7B-Instruct
rl: grpo
trl:
  num_generations: 2   # high variance
```
Use `num_generations: 8` (the table's standard).

## Fix
No autofix yet.

## Source
GRPO Specific / Group Size.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.rules.base import Context, Report, Rule, Violation, describe, fmt

SOURCE = "GRPO Specific / Group Size"


def message(v: Violation) -> str:
    if v.severity == Severity.ERROR:
        return f"group size {fmt(v.value)} is below {fmt(v.minimum)}: {v.detail} ({v.row})"
    return describe(v)


def check(ctx: Context) -> Iterator[Report]:
    for v in ctx.violations():
        if v.code == "G001":
            yield Report(getattr(ctx.config, v.field, None), message(v), v.row, v.severity)


RULE = Rule("G001", "grpo-group-size", Severity.INFO, SOURCE, __doc__ or "", check)
