"""Evaluation interval outside the range for the run's length.

## What it does
When evaluation is on and the run's length in optimizer steps is known, compares the
steps between evaluations with the quick reference's Eval Frequency rows: under 1000
steps every 50-100, 1000-5000 every 100-500, 5000-20000 every 500-1000, over 20000
every 1000-2000.

Evaluation is on, and its interval read, as each framework decides it:

- TRL / LLaMA-Factory: `eval_strategy: steps` with `eval_steps` (when absent, the
  interval is `logging_steps`: TRL 10, transformers 500); `eval_strategy: epoch` is once
  per epoch. An `eval_steps` below 1 is a ratio of the total steps (transformers
  converts it: `ceil(ratio x max_steps)`).
- axolotl: only with `val_set_size` other than 0 or `test_datasets`; `eval_steps`, or
  `evals_per_epoch`, which axolotl turns into the ratio `1 / (evals_per_epoch x
  num_epochs)` (`utils/config/__init__.py`), or `eval_strategy: epoch`.
- torchtune: `run_val_every_n_steps` with a `dataset_val` (recipes after 0.6.1; the
  released recipes have no validation loop, and the key then does nothing).
- verl: `trainer.test_freq` (-1 = off), counted in trainer steps of
  `data.train_batch_size` prompts.

The run's length is `max_steps` (verl `trainer.total_training_steps`, torchtune RL
`num_steps`), else epochs x steps per epoch when the dataset's size is declared (see
T001) and the batch per step. A cap on the dataset (LLaMA-Factory `max_samples`, "for
debugging purposes") never gives a length: the set under it is usually much smaller, and
an interval judged against a length the run may never have is noise. With devices not
stated (assumed 1) the length is an upper bound; the rule then reports only what holds for
every shorter run: an interval above the row of the bound, or below the smallest row's
50. A ratio (or per-epoch) interval is checked only when the length is exact. Files that
do not train and smoke tests (at most 20 steps) are not judged.

## Why is this bad?
Too rare: overfitting shows late, few checkpoints can be compared, and an interval
longer than the run means no evaluation runs during training. Too frequent: evaluation
passes take a large share of the compute.

Severity `info`: an evaluation interval is a rule of thumb; a wrong one costs some
compute or some visibility, never the run.

## Example
Checked as: `cfgguard check --dialect trl`.
```yaml
max_steps: 600
warmup_steps: 30
eval_strategy: steps
eval_steps: 1000      # never reached in a 600-step run: 50-100
```
Use instead: `eval_steps: 100`.

## Fix
No autofix yet.

## Source
Training Duration / Eval Frequency (docs/reference/hyperparameter-quick-reference.md).
Evaluation switches and defaults:
- transformers 5.24.0 `src/transformers/training_args.py:1106-1118` (`eval_strategy`
  "no", `eval_steps` None), `:1575-1578` (`eval_steps` unset -> `logging_steps`), `:1001`
  (`logging_steps` 500); `src/transformers/trainer_callback.py:156-167` (a value below 1
  becomes `ceil(max_steps x value)`); trl 1.16.0 `trl/trainer/base_config.py:55-56`
  (`logging_steps` 10 in every TRL config).
- axolotl 0.21.0 `src/axolotl/core/builders/base.py:584-592` (no evaluation without an
  eval set or `val_set_size`), `src/axolotl/utils/config/__init__.py:283-284`
  (`eval_steps = 1 / (evals_per_epoch x num_epochs)`).
- torchtune: `run_val_every_n_steps` with `dataset_val` is newer than the last release
  (0.6.1 has no validation loop): pytorch/torchtune@bd2a0fc7
  `recipes/full_finetune_distributed.py:215-219`.
- verl 0.9.1 `verl/trainer/config/_generated_ppo_trainer.yaml:970` (`trainer.test_freq: -1`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import cast

from cfgguard.canonical import Field
from cfgguard.derived.batch_steps import field_name, ranges_up_to, row_minimums, total_steps
from cfgguard.dialects.base import as_float, as_int
from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.records import dataclass
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = "Training Duration / Eval Frequency"
# logging_steps when eval_strategy is steps and eval_steps is absent (TF __post_init__)
LOGGING_DEFAULT = {"trl": 10, "llamafactory": 500}


@dataclass(frozen=True, slots=True)
class Interval:
    steps: float | None  # steps between evaluations
    ratio: float | None  # or a fraction of the run's steps
    at: Field[object]
    what: str


def _strategy(v: object) -> str | None:
    if v is False:  # unquoted `no` under YAML 1.1
        return "no"
    return v.strip().lower() if isinstance(v, str) else None


def _of(at: Field[object], value: float, what: str) -> Interval | None:
    if value <= 0:
        return None
    if value < 1:
        return Interval(None, value, at, f"{what}: a ratio of the run")
    return Interval(value, None, at, what)


def _per_epoch(ctx: Context, at: Field[object]) -> Interval | None:
    config = ctx.config
    epochs = config.num_epochs
    if (config.max_steps is not None and config.max_steps.value > 0) or epochs is None:
        return None  # with max_steps an epoch's length is not a fraction of the run
    if epochs.value <= 0:
        return None
    return Interval(None, 1 / epochs.value, at, f"once per epoch, {field_name(epochs)}")


def _hf(ctx: Context) -> Interval | None:
    r = ctx.reader
    strategy = r.first(["eval_strategy", "evaluation_strategy"], _strategy)
    if strategy is None:
        return None
    at = cast(Field[object], strategy)
    if strategy.value == "epoch":
        return _per_epoch(ctx, at)
    if strategy.value != "steps":
        return None
    steps = ctx.config.eval_steps
    if steps is not None:
        return _of(cast(Field[object], steps), steps.value, field_name(steps))
    logging = r.field("logging_steps", as_float)
    if logging is not None:
        what = f"eval_steps absent: {field_name(logging)}"
        return _of(cast(Field[object], logging), logging.value, what)
    default = LOGGING_DEFAULT[ctx.dialect]
    return _of(at, default, f"eval_steps absent: logging_steps {default} (default)")


def _axolotl(ctx: Context) -> Interval | None:
    r, config = ctx.reader, ctx.config
    val = r.field("val_set_size", as_float)
    if not ((val is not None and val.value != 0) or r.value("test_datasets")):
        return None  # base.py: no eval dataset and val_set_size 0 -> eval_strategy "no"
    steps = config.eval_steps
    if steps is not None and steps.value > 0:
        return _of(cast(Field[object], steps), steps.value, field_name(steps))
    per = r.field("evals_per_epoch", as_float)
    epochs = config.num_epochs
    if per is not None and per.value > 0 and epochs is not None and epochs.value > 0:
        ratio = 1 / (per.value * epochs.value)
        what = f"1 / ({field_name(per)} x {field_name(epochs)}) of the run"
        return Interval(None, ratio, cast(Field[object], per), what) if ratio < 1 else None
    strategy = r.field("eval_strategy", _strategy)
    if strategy is not None and strategy.value == "epoch":
        return _per_epoch(ctx, cast(Field[object], strategy))
    return None


def _torchtune(ctx: Context) -> Interval | None:
    every = ctx.reader.field("run_val_every_n_steps", as_int)
    if every is None or every.value <= 0 or not ctx.reader.value("dataset_val"):
        return None
    return Interval(every.value, None, cast(Field[object], every), field_name(every))


def interval(ctx: Context) -> Interval | None:
    """Steps between evaluations, when evaluation is on (None: off or not knowable)."""
    if ctx.dialect in LOGGING_DEFAULT:
        return _hf(ctx)
    if ctx.dialect == "axolotl":
        return _axolotl(ctx)
    if ctx.dialect == "torchtune":
        return _torchtune(ctx)
    steps = ctx.config.eval_steps
    if ctx.dialect == "verl" and steps is not None:  # test_freq > 0 only
        return Interval(steps.value, None, cast(Field[object], steps), field_name(steps))
    return None


def check(ctx: Context) -> Iterator[Report]:
    every = interval(ctx)
    total = total_steps(ctx, from_cap=False)
    if every is None or total is None or not ctx.run.judged:
        return
    exact = total.bound == "exact"
    if every.ratio is not None:
        if not exact:
            return
        steps = float(math.ceil(every.ratio * total.value))
        what = f"{every.what} = {fmt(steps)} steps"
    else:
        assert every.steps is not None
        steps, what = every.steps, every.what
    if exact:
        rng = tables.eval_frequency(total.value)
        if rng is None:
            return
        low = high = rng
        run = f"{fmt(total.value)} steps ({total.note})"
    else:
        rows = ranges_up_to(tables.eval_frequency, row_minimums("eval_frequency"), total.value)
        if not rows:
            return
        low = min(rows, key=lambda r: r.low)
        high = max(rows, key=lambda r: r.high)
        run = f"at most {fmt(total.value)} steps ({total.note})"
    if steps > high.high:
        effect = (
            "no evaluation runs during training"
            if exact and steps > total.value
            else "overfitting shows late and few checkpoints can be compared"
        )
        span = f"{fmt(high.low)}..{fmt(high.high)}"
        yield Report(
            every.at,
            f"evaluation every {fmt(steps)} steps ({what}) is above {span} for a run of {run};"
            f" {effect} ({high.row})",
            source=high.row,
        )
    elif steps < low.low:
        span = f"{fmt(low.low)}..{fmt(low.high)}"
        yield Report(
            every.at,
            f"evaluation every {fmt(steps)} steps ({what}) is below {span} for a run of {run};"
            f" evaluation passes take a large share of the run ({low.row})",
            source=low.row,
        )


RULE = Rule("T002", "eval-frequency", Severity.INFO, SOURCE, __doc__ or "", check)
