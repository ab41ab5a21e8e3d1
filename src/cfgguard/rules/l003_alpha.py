"""LoRA alpha far from the table's value.

## What it does
Reports a LoRA alpha more than 4x away from the quick reference's (outside 0.25x..4x):
32 for SFT at every size, and for RL and preference methods 16 on 7-8B and 13B models
and 32 on 70B (the RL table has no 1-3B or 34B row: no check there). The message gives
the update scale alpha/rank the config implies next to the table's.

## Why is this bad?
PEFT multiplies the LoRA update by alpha/rank. The tables keep alpha fixed while the
rank varies, so the scale is 1/rank-proportional and the recommended learning rates
carry across ranks. An alpha far from the table's (a common habit is alpha = 2 x rank)
multiplies the effective learning rate by the same factor, so the table's learning
rates no longer apply: a 4x alpha behaves like a 4x learning rate. Within 4x it is a
matter of taste; beyond, it is worth a look, hence info.

## Example
Checked as: `cfgguard check --dialect plain`.
```yaml
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 64
lora_alpha: 256     # scale 4; the table's 32 gives 0.5
learning_rate: 2e-4
```
Use `lora_alpha: 32`, or keep 256 and lower the learning rate by the same factor (8x).

## Fix
No autofix yet.

## Source
LoRA Configuration / Rank by Model Size (SFT) and (RL), Alpha column. "Far" (outside
0.25x..4x) is cfgguard's reading, not the reference's (`knowledge/data/lora.json`).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt
from cfgguard.schema.violation import Violation

SOURCE = "LoRA Configuration / Rank by Model Size: Alpha"


def message(v: Violation, rank: int | None) -> str:
    far = tables.alpha_far_factor()
    table_alpha = (v.maximum or 0) / far
    text = (
        f"LoRA alpha {fmt(v.value)} is more than {fmt(far)}x away from the table's"
        f" {fmt(table_alpha)}"
    )
    if rank and isinstance(v.value, int | float):
        scale, table_scale = v.value / rank, table_alpha / rank
        text += (
            f"; with rank {rank} the update scale alpha/rank is {fmt(round(scale, 4))}, the"
            f" table's alpha gives {fmt(round(table_scale, 4))}, so the effective learning"
            f" rate is {fmt(round(scale / table_scale, 2))}x the table's"
        )
    return f"{text} ({v.row})"


def check(ctx: Context) -> Iterator[Report]:
    rank = ctx.config.lora_rank.value if ctx.config.lora_rank else None
    for v in ctx.violations():
        if v.code == "L003":
            yield Report(getattr(ctx.config, v.field, None), message(v, rank), v.row, v.severity)


RULE = Rule("L003", "lora-alpha-far", Severity.INFO, SOURCE, __doc__ or "", check)
