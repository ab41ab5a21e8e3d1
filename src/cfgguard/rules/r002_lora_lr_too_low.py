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
from cfgguard.rules.lr_levels import levels, lora_at_full_level, scale_fix

SOURCE = "Learning Rates / Base Learning Rates"


def check(ctx: Context) -> Iterator[Report]:
    lv = levels(ctx.config)
    if lv is None or not lora_at_full_level(lv):
        return
    kind = ctx.config.adapter.value if ctx.config.adapter else "lora"
    lr = ctx.config.learning_rate
    assert lr is not None
    yield Report(
        lr,
        f"learning rate {fmt(lv.lr)} is at the {lv.method_row.upper()} full fine-tune level"
        f" ({fmt(lv.other.low)}..{fmt(lv.other.high)}); a {kind} run needs about 10x:"
        f" {fmt(lv.own.low)}..{fmt(lv.own.high)} ({SOURCE}: {lv.method_row.upper()})",
        fix=scale_fix(lr, 1, lv.own),
    )


RULE = Rule(
    "R002", "lora-lr-at-full-level", Severity.WARNING, SOURCE, __doc__ or "", check, fixable=True
)
