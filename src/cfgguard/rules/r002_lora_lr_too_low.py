"""LoRA run with a full fine-tune learning rate.

## What it does
Flags a LoRA or QLoRA run whose learning rate is below the LoRA range for its method
and no higher than the *full fine-tune* range, i.e. about 10x too low.

## Why is this bad?
LoRA's low-rank update needs roughly 10x the learning rate of full fine-tuning
("LoRA LR (10x)"). At full fine-tune level the adapter barely moves: the loss stays
flat ("Loss not decreasing: LR too low" in the troubleshooting table) and the GPU
hours are spent for nothing.

## Example
```yaml
adapter: lora
learning_rate: 2.0e-5   # SFT full fine-tune level
```
Use instead:
```yaml
adapter: lora
learning_rate: 2.0e-4
```

## Fix
Multiplies the learning rate by 10 when that lands in the LoRA range, keeping the number's
style (`2e-5` -> `2e-4`, `0.00002` -> `0.0002`, `2.0e-5` -> `2.0e-4`). Unsafe: it changes a
training value (apply with `--unsafe-fixes`).

## Source
Learning Rates / Base Learning Rates (FullFT LR vs LoRA LR (10x)). Methods map to rows
as `knowledge.tables.method_row` documents (DPO, KTO, ORPO, SimPO use the DPO row).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.rules.base import Context, Report, Rule, fmt
from cfgguard.rules.lr_levels import (
    distance,
    judged,
    levels,
    lora_at_full_level,
    scale_fix,
    severity,
    times,
)

SOURCE = "Learning Rates / Base Learning Rates"


def check(ctx: Context) -> Iterator[Report]:
    judge = judged(ctx)
    lv = levels(judge.config) if judge else None
    if judge is None or lv is None or not lora_at_full_level(lv):
        return
    lr = ctx.config.learning_rate
    assert lr is not None
    factor = distance(lv.lr, lv.own)
    row = lv.method_row.upper()
    yield Report(
        lr,
        f"learning rate {fmt(lv.lr)} is {times(factor)} below the {row} LoRA range"
        f" {fmt(lv.own.low)}..{fmt(lv.own.high)}, at the full fine-tune level"
        f" ({fmt(lv.other.low)}..{fmt(lv.other.high)}): the adapter barely moves"
        f" (assumed: {judge.assumed}) ({SOURCE}: {row})",
        severity=severity(factor),
        fix=None if judge.rslora else scale_fix(lr, 1, lv.own),
    )


RULE = Rule(
    "R002", "lora-lr-at-full-level", Severity.WARNING, SOURCE, __doc__ or "", check, fixable=True
)
