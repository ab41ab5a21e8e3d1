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
Checked as: `cfgguard check --dialect axolotl`.
```yaml
adapter: lora
learning_rate: 2.0e-5   # SFT full fine-tune level
```
Use instead:
```yaml
adapter: lora
learning_rate: 2.0e-4
```

Severity: `warning` from 3x below the LoRA range (the troubleshooting table corrects a
rate by "2-5x", so closer than 3x is a tuning choice: `info`). An alpha above the
reference's 32 moves the adapter as a proportionally higher rate would (the update is
`alpha / r x B A`, and Adam moves `B` and `A` by about the rate whatever the scale), so the
severity follows the nearer of the written and the alpha-scaled rate, and the message
says so: torchtune's Gemma LoRA recipes (2e-5 at rank 64, alpha 128) adapt as at 8e-5,
1.25x below the range, an `info`. With rsLoRA the judged rate is `lr x sqrt(r)` (see
`lr_levels`). Nothing is judged in a file that does not train, a smoke test, or for a
model under 1B parameters.

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

from cfgguard.derived.lr_levels import (
    distance,
    judged,
    levels,
    lora_at_full_level,
    scale_fix,
    severity,
    times,
    width_scaled,
)
from cfgguard.findings import Severity
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = "Learning Rates / Base Learning Rates"


REFERENCE_ALPHA = 32.0


def _alpha_scaled(ctx: Context, lr: float) -> tuple[float, str]:
    """The rate at the reference's alpha (32) that moves the adapter as this one does.

    The update is ``alpha / r x B A``; under Adam ``B`` and ``A`` move by about the
    learning rate per step whatever the scale, so at a fixed rank the update grows with
    alpha. The reference's rates go with alpha 32 (its SFT rank table; "LoRA Without
    Regret" trains every rank at alpha 32).
    """
    alpha = ctx.config.lora_alpha
    if alpha is None or alpha.value <= REFERENCE_ALPHA:
        return lr, ""
    scaled = lr * alpha.value / REFERENCE_ALPHA
    return scaled, (
        f"; alpha {alpha.value:g} is {alpha.value / REFERENCE_ALPHA:g}x the reference's 32,"
        f" so the adapter moves as at {fmt(scaled)} with alpha 32"
    )


def check(ctx: Context) -> Iterator[Report]:
    judge = judged(ctx)
    lv = levels(judge.config) if judge else None
    if judge is None or lv is None or not lora_at_full_level(lv):
        return
    lr = ctx.config.learning_rate
    assert lr is not None
    factor = distance(lv.lr, lv.own)
    row = lv.method_row.upper()
    scaled, alpha_note = _alpha_scaled(ctx, lv.lr)
    # a larger alpha than the reference's moves the adapter as a higher rate would: the
    # severity follows the nearer of the two readings (never a harsher one)
    wide, width_note = width_scaled(ctx, lv.lr, wider_only=True)
    nearer = min(factor, distance(scaled, lv.own), distance(wide, lv.own))
    if width_note and distance(wide, lv.own) < distance(scaled, lv.own):
        alpha_note = width_note
    yield Report(
        lr,
        f"learning rate {fmt(lv.lr)} is {times(factor)} below the {row} LoRA range"
        f" {fmt(lv.own.low)}..{fmt(lv.own.high)}, at the full fine-tune level"
        f" ({fmt(lv.other.low)}..{fmt(lv.other.high)}): the adapter barely moves"
        f"{alpha_note} (assumed: {judge.assumed}) ({SOURCE}: {row})",
        severity=severity(nearer),
        fix=None if judge.rslora else scale_fix(lr, 1, lv.own),
    )


RULE = Rule(
    "R002", "lora-lr-at-full-level", Severity.WARNING, SOURCE, __doc__ or "", check, fixable=True
)
