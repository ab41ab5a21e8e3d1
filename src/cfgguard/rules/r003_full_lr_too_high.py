"""Full fine-tune with a LoRA learning rate.

## What it does
Flags a full fine-tune whose learning rate is above the full fine-tune range for its
method and at or above the *LoRA* range, i.e. about 10x too high.

## Why is this bad?
Updating every weight at a LoRA-level learning rate overshoots: the loss spikes or
diverges ("Loss exploding: LR too high" in the troubleshooting table), and a diverged
run wastes every GPU hour spent on it, often after the first checkpoint.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
adapter:               # none: full fine-tune
learning_rate: 2.0e-4  # LoRA level
```
Use instead:
```yaml
learning_rate: 2.0e-5
```

Severity: `warning` from 3x above the full fine-tune range, `info` closer (the
troubleshooting table corrects a rate by "2-5x"). The rows are written for 7-8B models
(hidden 4096); the reference's own width rule (`lr ~ 1 / hidden_size`) lets a narrower
model take a proportionally higher rate, so for a dense model narrower than 4096 the
severity follows the nearer of the written and the width-scaled rate: open-r1's
Qwen2.5-1.5B GRPO demo (full, 2e-5; hidden 1536) is 4x above the GRPO row as written and
1.5x as scaled, an `info`. Nothing is judged in a file that does not train, a smoke test,
or for a model under 1B parameters.

## Fix
Divides the learning rate by 10 when that lands in the full fine-tune range, keeping the
number's style (`2e-4` -> `2e-5`). Unsafe: it changes a training value (apply with
`--unsafe-fixes`).

## Source
Learning Rates / Base Learning Rates (FullFT LR vs LoRA LR (10x)); Troubleshooting
Quick Reference: "Loss exploding".
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.derived.lr_levels import (
    distance,
    full_at_lora_level,
    judged,
    levels,
    scale_fix,
    severity,
    times,
    width_scaled,
)
from cfgguard.findings import Severity
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = "Learning Rates / Base Learning Rates"


def check(ctx: Context) -> Iterator[Report]:
    judge = judged(ctx)
    lv = levels(judge.config) if judge else None
    if judge is None or lv is None or not full_at_lora_level(lv):
        return
    lr = ctx.config.learning_rate
    assert lr is not None
    factor = distance(lv.lr, lv.own)
    row = lv.method_row.upper()
    scaled, width_note = width_scaled(ctx, lv.lr, wider_only=False)
    nearer = min(factor, distance(scaled, lv.own))  # never harsher than the written rate
    yield Report(
        lr,
        f"learning rate {fmt(lv.lr)} is {times(factor)} above the {row} full fine-tune"
        f" range {fmt(lv.own.low)}..{fmt(lv.own.high)}, at the LoRA level"
        f" ({fmt(lv.other.low)}..{fmt(lv.other.high)}): the loss may spike or diverge"
        f"{width_note if nearer < factor else ''} (assumed: {judge.assumed}) ({SOURCE}: {row})",
        severity=severity(nearer),
        fix=scale_fix(lr, -1, lv.own),
    )


RULE = Rule(
    "R003", "full-lr-at-lora-level", Severity.WARNING, SOURCE, __doc__ or "", check, fixable=True
)
