"""Learning-rate warmup missing, far from 3%, or longer than the run.

## What it does
Works out the warmup as a fraction of the run and reports it when:

- there is no warmup at all (ratio or steps 0, or a framework default of 0) - info;
- it is outside 1%..10% of the run - info (the reference says 3%; 10% is what most
  published recipes use, so the band is read generously);
- it is the whole run or longer (the peak learning rate is never reached) - warning;
- axolotl `warmup_steps` is not a whole number: axolotl types it `int` and refuses the
  config ("valid integer") - error. `warmup_steps: 0.1` means a ratio only to
  transformers 5, not to axolotl: write `warmup_ratio: 0.1`.

How each framework states warmup:

- axolotl: `warmup_ratio` or `warmup_steps` (steps); neither means 3% capped at 100
  steps, which is fine.
- TRL, LLaMA-Factory: `warmup_ratio` (deprecated in transformers 5) or `warmup_steps`,
  where a float below 1 is a ratio (transformers 5); neither means no warmup
  (transformers default 0), reported at the top of the file.
- torchtune: `lr_scheduler.num_warmup_steps` (steps); no `lr_scheduler` section means a
  constant learning rate with no warmup (the full fine-tune recipes make it optional).
- verl: `optim.lr_warmup_steps` (steps; -1 defers to the ratio) or
  `optim.lr_warmup_steps_ratio` (PPO default 0.0: no warmup; SFT default 0.1).
- plain: `warmup_ratio`.

Warmup given in steps is turned into a ratio only when the run's total steps are known
(`max_steps` or the equivalent); otherwise only "0 steps" is reported. When a file sets
both a ratio and steps (an error in axolotl, precedence that changed between
transformers 4 and 5 elsewhere) nothing is reported.

## Why is this bad?
Adam's second-moment estimate starts from zero, so the first updates are poorly
normalised; warming the learning rate up over the first steps keeps them small until
the estimates settle. Without warmup, the first steps at the peak learning rate can
spike the loss or disturb the pretrained weights. A very long warmup spends a large part
of the budget below the intended learning rate, and one longer than the run never gets
there.

Severity: `info` for no warmup or a long one (a rule of thumb), `warning` for a warmup
as long as the run or longer (the rate never reaches its peak), `error` for axolotl's
`warmup_steps` with a fraction (its schema's field is `int`, so the config is
refused).

## Example
Checked as: `cfgguard check --dialect trl`.
```yaml
# no warmup key: transformers' default is 0
use_peft: true
learning_rate: 1.0e-4
lr_scheduler_type: cosine
```
Use instead: add `warmup_steps: 0.03` (or `warmup_ratio: 0.03` before transformers 5.15).

## Fix
No autofix yet.

## Source
Optimizer Settings / For Stability: `warmup_ratio: 0.03  # 3% of steps`. The 1%..10%
band is cfgguard's reading. Framework readings:
- axolotl 0.21.0 `src/axolotl/core/builders/base.py:283-298` (neither key:
  `min(int(0.03 x total_steps), 100)` steps), `src/axolotl/utils/schemas/config.py:1268`
  (`warmup_steps: int | None`), `src/axolotl/utils/schemas/validation.py:524-530` (both
  set and non-zero: "mutually exclusive").
- transformers 5.24.0 `src/transformers/training_args.py:798-803` (`warmup_steps: float`,
  default 0; a float in [0, 1) is a ratio) and `:2154-2161` (`get_warmup_steps`);
  `warmup_ratio` is deprecated from 5.0.0 and gone in 5.15.0 (5.14.1
  `training_args.py:1443` is its last definition); 4.57.6 `training_args.py:939-942`
  (`warmup_ratio` 0.0, `warmup_steps: int` 0).
- torchtune 0.6.1 `torchtune/training/lr_schedulers.py:15`
  (`get_cosine_schedule_with_warmup(num_warmup_steps)`), optional in
  `recipes/full_finetune_single_device.py:335-336` (`cfg.get("lr_scheduler", None)`).
- verl 0.9.1 `verl/trainer/config/_generated_ppo_trainer.yaml:13-16`
  (`lr_warmup_steps_ratio: 0.0`, `lr_warmup_steps: -1`); the SFT default ratio 0.1 is
  verl 0.7.0 `verl/trainer/config/sft_trainer.yaml:54`.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.canonical import Field
from cfgguard.derived.batch_steps import total_steps
from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.records import dataclass
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = "Optimizer Settings / For Stability"
LOW, HIGH = 0.01, 0.10  # the usual band around the reference's 3%
HF = frozenset({"trl", "llamafactory"})


@dataclass(frozen=True, slots=True)
class Warmup:
    at: Field[object]
    what: str  # as the file (or default) states it, for messages
    ratio: float | None = None
    steps: float | None = None


def _ratio(f: Field[float], note: str = "") -> Warmup:
    return Warmup(f, f"{f.key} {fmt(f.value)}{note}", ratio=f.value)


def _steps(f: Field[float], note: str = "") -> Warmup:
    return Warmup(f, f"{f.key} {fmt(f.value)}{note}", steps=f.value)


def _both(ratio: Field[float] | None, steps: Field[float] | None) -> bool:
    return ratio is not None and steps is not None and steps.value != 0 and ratio.value != 0


def _hf(ctx: Context) -> Warmup | None:
    c = ctx.config
    ratio, steps = c.warmup_ratio, c.warmup_steps
    if _both(ratio, steps):
        return None
    if steps is not None and (ratio is None or ratio.value == 0):
        if 0 < steps.value < 1:
            return _ratio(steps, " (a float below 1 is a ratio in transformers 5)")
        if ratio is None or steps.value != 0:
            return _steps(steps)
    if ratio is not None:
        return _ratio(ratio)
    if ctx.dialect == "llamafactory" and ctx.reader.root.get("model_name_or_path") is None:
        return None  # v1 files: their trainer's default warmup was not traced
    if ctx.reader.has("warmup_steps") or ctx.reader.has("warmup_ratio"):
        return None  # written but unreadable (an interpolation)
    at = ctx.reader.default("warmup_steps", 0.0, "transformers TrainingArguments default 0")
    return Warmup(at, "no warmup_steps or warmup_ratio (transformers default 0)", ratio=0.0)


def _axolotl(ctx: Context) -> Warmup | Report | None:
    c = ctx.config
    ratio, steps = c.warmup_ratio, c.warmup_steps
    if ratio is not None and steps is not None:
        return None  # axolotl refuses both together (0.21.0 validation.py:524-530)
    if steps is not None and steps.value != int(steps.value):
        return Report(
            steps,
            f"warmup_steps {fmt(steps.value)} is not a whole number: axolotl counts warmup in"
            f" steps (int) and refuses the config; for a fraction of the run write"
            f" warmup_ratio: {fmt(steps.value)}"
            " (axolotl 0.21.0 src/axolotl/utils/schemas/config.py:1268)",
            severity=Severity.ERROR,
        )
    if steps is not None:
        return _steps(steps)
    return None if ratio is None else _ratio(ratio)


def _torchtune(ctx: Context) -> Warmup | None:
    c = ctx.config
    if c.warmup_steps is not None:
        return _steps(c.warmup_steps)
    if ctx.reader.has("lr_scheduler") or ctx.reader.has("training.lr_scheduler"):
        return None  # a scheduler whose warmup cfgguard cannot read
    at = ctx.reader.default("lr_scheduler", 0.0, "torchtune: no lr_scheduler section")
    return Warmup(at, "no lr_scheduler (constant learning rate, no warmup)", ratio=0.0)


def warmup(ctx: Context) -> Warmup | Report | None:
    c = ctx.config
    if ctx.dialect == "axolotl":
        return _axolotl(ctx)
    if ctx.dialect in HF:
        return _hf(ctx)
    if ctx.dialect == "torchtune":
        return _torchtune(ctx)
    if c.warmup_steps is not None:
        return _steps(c.warmup_steps)
    if c.warmup_ratio is not None:
        note = " (verl default)" if c.warmup_ratio.origin == "default" else ""
        return _ratio(c.warmup_ratio, note)
    return None


def _judge(ctx: Context, w: Warmup) -> Report | None:
    ratio, how = w.ratio, w.what
    if w.steps is not None:
        if w.steps == 0:
            ratio = 0.0
        else:
            total = total_steps(ctx)
            if total is None or total.bound != "exact" or total.value <= 0:
                return None
            ratio = w.steps / total.value
            how = f"{w.what} of {fmt(total.value)} total steps ({fmt(round(ratio * 100, 1))}%)"
    if ratio is None:
        return None
    standard = tables.optimizer_defaults().warmup_ratio
    ref = f"the reference warms up over {fmt(standard * 100)}% of the steps ({SOURCE})"
    if ratio <= 0:
        return Report(w.at, f"no learning-rate warmup: {how}; {ref}")
    if ratio >= 1:
        return Report(
            w.at,
            f"warmup is as long as the run or longer: {how}; the learning rate never reaches"
            f" its peak; {ref}",
            severity=Severity.WARNING,
        )
    if LOW <= ratio <= HIGH:
        return None
    side = "short" if ratio < LOW else "long"
    return Report(
        w.at,
        f"warmup is {side}: {how} is outside the usual {fmt(LOW * 100)}%..{fmt(HIGH * 100)}%;"
        f" {ref}",
    )


def check(ctx: Context) -> Iterator[Report]:
    got = warmup(ctx)
    if isinstance(got, Report):
        yield got
    elif got is not None:
        judged = _judge(ctx, got)
        if judged is not None:
            yield judged


RULE = Rule("O005", "warmup", Severity.INFO, SOURCE, __doc__ or "", check)
