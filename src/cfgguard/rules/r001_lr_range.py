"""Learning rate outside the range for the method and adapter.

## What it does
Reports a learning rate outside the quick reference's range for the run's method and
adapter (full fine-tuning, or LoRA/QLoRA): SFT 1e-5..5e-5 full, 1e-4..5e-4 LoRA; DPO
5e-7..5e-6 and 5e-6..5e-5; GRPO 1e-6..5e-6 and 1e-5..5e-5. KTO, ORPO and SimPO use the
DPO row. PPO's row gives point values (1e-6, 1e-5); cfgguard accepts 0.5x..2x around
them. Values at the *other* adapter's level are left to R002 (a LoRA run at the full
fine-tune level) and R003 (a full fine-tune at the LoRA level), which say what went
wrong; R001 reports the rest: too high for LoRA, too low for full fine-tuning, or in
the gap between the two ranges. More than 10x beyond the range is a warning.

## Why is this bad?
Too high and the loss explodes; too low and it does not decrease (both are in the
troubleshooting table, with the fix "2-5x"). Preference and RL methods start from a
good policy and need learning rates 10-100x below SFT's: an SFT rate in a DPO or GRPO
run wrecks the policy it is meant to refine.

Severity: `info` within 10x of the row (a departure from the table; the troubleshooting
table corrects a rate by "2-5x"), `warning` beyond 10x, where a run diverges or does not
move. The message states the measured factor and what was assumed (method, adapter;
rsLoRA's `lr x sqrt(r)`). Not judged: files that do not train (LLaMA-Factory without
`do_train: true`, `do_train: false`, verl `trainer.val_only`), smoke tests (at most 20
steps), models under 1B parameters (below the reference's rows).

## Example
Checked as: `cfgguard check --dialect plain`.
```yaml
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 32
lora_alpha: 32
learning_rate: 8e-4   # SFT with LoRA: 1e-4..5e-4
```
Use `learning_rate: 2e-4`. For SFT with LoRA the reference also gives a rule of thumb
by model size: `lr = 10 * (2000 / hidden_size) * 1e-4`, about 4.9e-4 at hidden size
4096.

## Fix
No autofix yet.

## Source
Learning Rates / Base Learning Rates (row per method; FullFT and LoRA columns).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.derived.lr_levels import Judged, distance, judged, times
from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt
from cfgguard.schema.violation import Violation

SOURCE = "Learning Rates / Base Learning Rates"


def message(v: Violation, judge: Judged) -> str:
    value = v.value if isinstance(v.value, int | float) else 0.0
    lo, hi = v.minimum or 0.0, v.maximum or 0.0
    factor = distance(value, tables.Range(lo, hi, v.row))
    way = "below" if value < lo else "above"
    return (
        f"learning rate {fmt(value)} is {times(factor)} {way} the recommended"
        f" {fmt(lo)}..{fmt(hi)} {v.detail} (assumed: {judge.assumed}) ({v.row})"
    )


def violations(ctx: Context, judge: Judged) -> list[Violation]:
    if judge.lr == judge.written:
        return ctx.violations()
    from cfgguard.schema.validate import violations as validate  # rsLoRA: the judged rate

    return validate(judge.config, ctx.model)


def check(ctx: Context) -> Iterator[Report]:
    judge = judged(ctx)
    if judge is None:
        return
    for v in violations(ctx, judge):
        if v.code == "R001":
            at = getattr(ctx.config, v.field, None)
            yield Report(at, message(v, judge), v.row, v.severity)


RULE = Rule("R001", "learning-rate-range", Severity.INFO, SOURCE, __doc__ or "", check)
