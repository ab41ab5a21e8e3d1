"""Weight decay on a LoRA run.

## What it does
Reports a weight decay of 0.001 or more written in the file of a LoRA or QLoRA run
(smaller values, such as 1e-6, shrink the adapter by a negligible amount).

Framework defaults are not reported (verl's actor optimizer defaults to 0.01 and
PyTorch's `AdamW` to 0.01 when a torchtune config leaves `weight_decay` out): the rule
is about a choice the config makes.

## Why is this bad?
Decoupled weight decay pulls the trainable weights toward zero. For LoRA those are the
adapter matrices, so the decay pulls the fine-tune back toward the base model and works
against the small, low-rank update the run exists to learn; the base weights, which a
decay would regularise in full fine-tuning, are frozen. The quick reference's AdamW
setting is 0.0, "Usually 0 for LoRA". Small values (0.01) have little effect, hence an
info: a departure from the rule of thumb, not a bug.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
adapter: lora
weight_decay: 0.1
```
Use instead: `weight_decay: 0.0`.

## Fix
No autofix yet.

## Source
Optimizer Settings / AdamW (Standard): `weight_decay: 0.0  # Usually 0 for LoRA`.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = "Optimizer Settings / AdamW (Standard)"
NEGLIGIBLE = 1e-3  # below this the decay is 0 for practical purposes


def check(ctx: Context) -> Iterator[Report]:
    config = ctx.config
    decay = config.weight_decay
    if not config.uses_adapter or decay is None or decay.origin != "file":
        return
    if decay.value < NEGLIGIBLE:
        return
    kind = config.adapter.value if config.adapter else "lora"
    standard = tables.optimizer_defaults().weight_decay
    yield Report(
        decay,
        f"weight decay {fmt(decay.value)} on a {kind} run pulls the adapter back toward the"
        f" base model; the reference uses {fmt(standard)} ('Usually 0 for LoRA') ({SOURCE})",
    )


RULE = Rule("O003", "lora-weight-decay", Severity.INFO, SOURCE, __doc__ or "", check)
