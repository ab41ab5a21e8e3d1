"""Adam epsilon far from the standard 1e-8, zero, or negative.

## What it does
For an Adam-family optimizer, reports an epsilon written in the file that is:

- negative: PyTorch's AdamW refuses it (`Invalid epsilon value`) - error;
- exactly 0: the first update of any parameter whose gradient is exactly zero divides
  0 by 0 and writes NaN into the weights - error (a LoRA `A` matrix gets a zero gradient
  on the first step because `B` starts at zero; unused token embeddings always do);
- 1e-3 or more: the denominator `sqrt(v) + eps` is dominated by eps for typical
  fine-tuning gradients, so Adam degrades into momentum SGD with a far smaller step -
  warning;
- otherwise more than 10x away from 1e-8 (outside 1e-9..1e-7) - info.

Framework defaults are not reported (1e-8 everywhere), nor optimizers outside the Adam
family (Adafactor's `eps` is a pair with another meaning).

## Why is this bad?
Epsilon only guards the division in `m / (sqrt(v) + eps)`. Raised to 1e-6..1e-5 it is
sometimes chosen for half-precision stability and mostly harmless; from about 1e-3 it
swamps `sqrt(v)` and silently shrinks the effective learning rate, so the learning rate
tables no longer apply.

Severity: `info` for an epsilon far from 1e-8 (a departure from the standard), `warning`
from 1e-3, where it silently shrinks the effective learning rate, `error` for a negative
value (AdamW refuses it) or 0 (0/0 = NaN on a zero gradient's first update).

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
optimizer: adamw_torch
adam_epsilon: 1e-3    # swamps sqrt(v): far smaller steps than the LR says
```
Use instead: `adam_epsilon: 1.0e-8` (or leave it out).

## Fix
No autofix yet.

## Source
Optimizer Settings / AdamW (Standard): `eps: 1e-8`. The 10x band and the 1e-3 warning
threshold are cfgguard's reading; the negative-value check is PyTorch's AdamW argument
check (torch 2.8.0 `torch/optim/adam.py:60-61`, `0.0 <= eps`, inherited by `AdamW`).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt
from cfgguard.rules.o001_adam_betas import adam_family, optimizer_name

SOURCE = "Optimizer Settings / AdamW (Standard)"
FAR = 10.0
SWAMPS = 1e-3  # from here eps dominates sqrt(v) for typical fine-tuning gradients


def check(ctx: Context) -> Iterator[Report]:
    config = ctx.config
    eps = config.adam_epsilon
    if eps is None or eps.origin != "file" or not adam_family(config):
        return
    standard = tables.optimizer_defaults().eps
    value = eps.value
    where = f"({SOURCE}: eps {fmt(standard)})"
    name = f"adam epsilon {fmt(value)}"
    if value < 0:
        yield Report(
            eps,
            f"{name} is negative; PyTorch's AdamW refuses it ('Invalid epsilon value') {where}",
            severity=Severity.ERROR,
        )
    elif value == 0:
        yield Report(
            eps,
            f"{name}: a parameter whose gradient is exactly zero (LoRA A on the first step,"
            f" unused embeddings) gets 0/0 = NaN on its first update {where}",
            severity=Severity.ERROR,
        )
    elif value >= SWAMPS:
        yield Report(
            eps,
            f"{name} swamps sqrt(v) in {optimizer_name(config)}'s denominator: updates"
            f" shrink far below what the learning rate says, as in momentum SGD {where}",
            severity=Severity.WARNING,
        )
    elif value > standard * FAR or value < standard / FAR:
        yield Report(eps, f"{name} is more than {fmt(FAR)}x away from the standard {where}")


RULE = Rule("O002", "adam-epsilon", Severity.INFO, SOURCE, __doc__ or "", check)
