"""Learning-rate schedule other than cosine or constant.

## What it does
Reports a learning-rate schedule outside the cosine and constant families:
`polynomial`, `inverse_sqrt`, `warmup_stable_decay`, `reduce_lr_on_plateau`, axolotl's
`one_cycle` and `rex`... Variants of the two recommended schedules pass
(`cosine_with_min_lr`, `cosine_with_restarts`, `constant_with_warmup`), and so does
`linear`: it is transformers' own default (`TrainingArguments.lr_scheduler_type`, which
TRL and LLaMA-Factory inherit), the schedule most of their recipes train with, and a
linear decay to zero trains as well as cosine. Reporting it was noise on every TRL and
LLaMA-Factory file that leaves the key out. axolotl's default is `cosine`, verl's
`constant` (PPO) or `cosine` (SFT), torchtune's only scheduler is cosine with warmup.

## Why is this bad?
It usually is not. The quick reference recommends cosine (or constant), and its learning
rates were chosen with that schedule; a schedule that decays early or restarts spends
the run at other rates than the tables assume. An info: a departure from a rule of thumb.

## Example
Checked as: `cfgguard check --dialect llamafactory`.
```yaml
finetuning_type: full
lr_scheduler_type: polynomial
learning_rate: 2.0e-5
```
Use instead: `lr_scheduler_type: cosine`.

## Fix
No autofix yet.

## Source
Optimizer Settings / For Stability: `lr_scheduler: cosine  # Or constant`. Defaults:
transformers 5.24.0 `src/transformers/training_args.py:788-790` (`lr_scheduler_type`
"linear", inherited by TRL and LLaMA-Factory); axolotl 0.21.0
`src/axolotl/utils/schemas/training.py:184` (`lr_scheduler` "cosine"); verl 0.9.1
`verl/trainer/config/_generated_ppo_trainer.yaml:23` (`lr_scheduler_type: constant`) and
verl 0.7.0 `verl/trainer/config/sft_trainer.yaml:56` (`lr_scheduler: cosine`); torchtune
0.6.1 `torchtune/training/lr_schedulers.py:15` (`get_cosine_schedule_with_warmup`, its
only scheduler).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule

SOURCE = "Optimizer Settings / For Stability"


# transformers' own default (TrainingArguments.lr_scheduler_type, 5.24.0 training_args.py:789):
# the schedule most TRL and LLaMA-Factory recipes train with; never a mistake to report
ACCEPTED = frozenset({"linear"})


def recommended(name: str) -> bool:
    """Cosine or constant family (``cosine_with_min_lr``, ``constant_with_warmup``), or linear."""
    lowered = name.lower()
    if lowered in ACCEPTED:
        return True
    return any(family in lowered for family in tables.optimizer_defaults().lr_schedulers)


def check(ctx: Context) -> Iterator[Report]:
    sched = ctx.config.lr_scheduler
    if sched is None or recommended(sched.value):
        return
    if sched.origin == "default":
        what = f"no {sched.key}: the framework default '{sched.value}' applies"
    else:
        what = f"lr scheduler '{sched.value}'"
    families = " or ".join(tables.optimizer_defaults().lr_schedulers)
    yield Report(
        sched,
        f"{what}; the reference schedules the learning rate with {families}, which its"
        f" learning rates assume ({SOURCE})",
    )


RULE = Rule("O006", "lr-scheduler", Severity.INFO, SOURCE, __doc__ or "", check)
