"""GRPO sampling temperature outside 0.5..1.2.

## What it does
For GRPO runs, reports a rollout temperature outside the quick reference's rows,
0.5..1.2, with the table's use case: below 0.5 "Less exploration, faster convergence"
taken further; above 1.2 "Maximum exploration, may be unstable". A temperature of 0
(greedy decoding) is a warning: every sample of a group is the same.

## Why is this bad?
GRPO learns from the differences between the samples of a group. Too cold and the
samples agree, so advantages shrink toward 0 and learning stalls (at 0, entirely);
too hot and the samples are noisy, off-distribution text whose gradients destabilise
training. 0.7 is the standard.

Severity: `info` outside 0.5..1.2 (the table's rows), `warning` at 0: greedy sampling
makes every sample of a group identical, every advantage 0.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
base_model: Qwen/Qwen2.5-7B-Instruct
rl: grpo
micro_batch_size: 8
trl:
  temperature: 1.5    # may be unstable
```
Use `temperature: 0.7` (or 1.0 for more exploration).

## Fix
No autofix yet.

## Source
GRPO Specific / Temperature.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.rules.base import Context, Report, Rule, describe, fmt
from cfgguard.schema.violation import Violation

SOURCE = "GRPO Specific / Temperature"


def message(v: Violation) -> str:
    if v.severity is not None and v.severity >= Severity.WARNING:
        return f"temperature {fmt(v.value)}: {v.detail} ({v.row})"
    return describe(v)


def check(ctx: Context) -> Iterator[Report]:
    for v in ctx.violations():
        if v.code == "G002":
            yield Report(getattr(ctx.config, v.field, None), message(v), v.row, v.severity)


RULE = Rule("G002", "grpo-temperature", Severity.INFO, SOURCE, __doc__ or "", check)
