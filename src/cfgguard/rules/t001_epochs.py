"""Epochs outside the range for the dataset's size.

## What it does
When the training set's size is known, compares the number of epochs with the quick
reference's Steps vs Epochs rows: <10K examples 1-3 epochs, 10K-50K 1-2, 50K-100K 1,
>100K 0.5-1. The size is known when it is declared (`--dataset-size`, or
`dataset-size` in cfgguard's configuration), or capped by the config: LLaMA-Factory's
`max_samples` truncates *each* dataset, so the set has at most `max_samples` x the
number of datasets (a declared size above that is truncated to it). With only a cap the
real set may be smaller, and smaller sets allow more epochs, so the rule then reports
only what holds for every size up to the cap: fewer epochs than the cap's row allows, or
more than the table allows for any size up to it.

Skipped when the run is bounded by steps instead (`max_steps` > 0, verl
`trainer.total_training_steps`, torchtune `max_steps_per_epoch`), and for online RL
(GRPO, PPO): there every pass samples new completions, so a prompt seen again is not the
same training example (verl's own GSM8K GRPO examples run 15 epochs over 7.5K prompts).

## Why is this bad?
Each extra pass over a small set pushes the model to memorise it ("Overfitting: too
many steps" in the troubleshooting table); a fraction of an epoch on a small set leaves
much of it unseen.

Severity is `info`, also well above the range: expert recipes exceed the rows on purpose
(alignment-handbook's constitutional-AI DPO recipe trains 3 epochs on UltraFeedback's
~61K pairs plus the CAI harmlessness set; its SmolLM3 SFT recipe 5 epochs on a large
smoltalk2 mixture), so a large count is a prompt to check, not a likely mistake.

*Extreme* epochs are a `warning`: when the size is exact (declared) and the run makes at
least twice the row's top in epochs *and* the passes beyond the row add up to at least
500,000 examples (about 0.5B tokens at 1K tokens each: tens of GPU-hours on a 7B model),
the extra epochs are both far from the table and expensive. What makes epochs extreme is
their cost, not their count: 750 epochs on 300 examples is 224,100 extra example passes,
a cheap deliberate over-fit (a memorisation test, a tiny domain set) and stays `info`;
10 epochs on 200K examples is 1.8M extra passes and warns. With only a cap on the set
(`max_samples`) the cost is an upper bound, so the finding stays `info`.

## Example
Checked as: `cfgguard check --dialect llamafactory`.
```yaml
finetuning_type: full
dataset: alpaca_en_demo
max_samples: 1000
num_train_epochs: 8.0    # at most 1000 examples: 1-3 epochs
```
Use instead: `num_train_epochs: 3.0`.

## Fix
No autofix yet.

## Source
Training Duration / Steps vs Epochs (docs/reference/hyperparameter-quick-reference.md);
`max_samples` semantics: llamafactory 0.9.5 `src/llamafactory/hparams/data_args.py:88-91`
("For debugging purposes, truncate the number of examples for each dataset"), applied to
each dataset in `src/llamafactory/data/loader.py:157-159`.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.derived.batch_steps import (
    ONLINE_RL,
    dataset_size,
    field_name,
    method,
    ranges_up_to,
    row_minimums,
)
from cfgguard.derived.lr_levels import times
from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = "Training Duration / Steps vs Epochs"
EXTREME_FACTOR = 2.0
EXTREME_PASSES = 500_000


def is_extreme(epochs: float, top: float, size: float) -> bool:
    """Twice the row's top or more, and at least 500,000 example passes beyond it."""
    return epochs >= EXTREME_FACTOR * top and (epochs - top) * size >= EXTREME_PASSES


MANY = "extra passes overfit a set this size ('Overfitting: too many steps')"
FEW = "part of a set this size is never seen"


def _capped(ctx: Context) -> bool:
    """The run stops after a number of steps, not epochs."""
    config = ctx.config
    if config.max_steps is not None and config.max_steps.value > 0:
        return True
    per_epoch = config.extra.get("max_steps_per_epoch")
    return per_epoch is not None and isinstance(per_epoch.value, int) and per_epoch.value > 0


def check(ctx: Context) -> Iterator[Report]:
    config = ctx.config
    epochs = config.num_epochs
    if epochs is None or method(config) in ONLINE_RL or _capped(ctx):
        return
    size = dataset_size(ctx)
    if size is None:
        return
    n = size.value
    name = field_name(epochs)
    if size.bound == "exact":
        rng = tables.epochs_for_dataset(n)
        if rng is None:
            return
        what = f"{fmt(n)} examples ({size.note})"
        low = high = rng
    else:
        rows = ranges_up_to(tables.epochs_for_dataset, row_minimums("steps_vs_epochs"), n)
        if not rows:
            return
        what = f"at most {fmt(n)} examples ({size.note}: a cap; the set may be smaller)"
        low = min(rows, key=lambda r: r.low)
        high = max(rows, key=lambda r: r.high)
    span = f"{fmt(high.low)}..{fmt(high.high)}"
    if epochs.value > high.high:
        extra = (epochs.value - high.high) * n
        extreme = size.bound == "exact" and is_extreme(epochs.value, high.high, n)
        cost = f" ({fmt(round(extra))} example passes beyond the row)" if extreme else ""
        yield Report(
            epochs,
            f"{name} is {times(epochs.value / high.high)} the top of {span} epochs for a"
            f" dataset of {what}{cost}; {MANY} ({high.row})",
            source=high.row,
            severity=Severity.WARNING if extreme else None,
        )
    elif epochs.value < low.low:
        span = f"{fmt(low.low)}..{fmt(low.high)}"
        yield Report(
            epochs,
            f"{name} is below {span} epochs for a dataset of {what}; {FEW} ({low.row})",
            source=low.row,
        )


RULE = Rule("T001", "epochs-for-dataset-size", Severity.INFO, SOURCE, __doc__ or "", check)
