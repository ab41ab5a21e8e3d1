"""Effective batch outside the recommended range for the method.

## What it does
Computes the examples per optimizer update (micro batch x gradient accumulation x
data-parallel devices) and compares it with the quick reference's Recommendations: SFT
16-64 sequences, DPO 8-32 pairs (KTO, ORPO and SimPO use the DPO row), GRPO 4-16
prompts. PPO, pretraining and reward models have no row and are not checked.

GRPO counts prompts, each sampled `group_size` times. TRL and axolotl count
*completions* per device, so prompts = completions / `num_generations`; verl's
`data.train_batch_size` is prompts per trainer step, split into optimizer updates of
`actor.ppo_mini_batch_size` prompts, which is the figure compared. torchtune's GRPO
recipes count prompts or completions depending on the recipe and are not checked. The
plain format's `batch_size` is already the whole batch of one step.

A batch above the range is reported only beyond twice the row's top: the rows stop there,
training does not suffer there. DPO's 8-32 pairs is bounded by memory ("pairs = 2x
memory"), and DPO recipes train above it (alignment-handbook's zephyr-7b-beta full DPO:
`per_device_train_batch_size: 8` x `gradient_accumulation_steps: 2` x 8 GPUs = 128
pairs); a DPO batch of 64 is not "too large".

Devices come from the config when it states them (verl `trainer.n_gpus_per_node x
trainer.nnodes`), else `--devices`, else 1. With devices not stated the computed batch
is the smallest it can be, so only a batch *above* the range is reported (it stays
above on any number of devices), and the message says the assumption. Most corpus
configs leave the device count to the launcher (a micro batch of 1-2 with accumulation
4 is "8" on one GPU and "64" on eight), so a "too small" report needs the count stated.

## Why is this bad?
A batch below the range gives noisy gradients and slow training ("Slow training: batch
too small" in the troubleshooting table); above it, each epoch has few optimizer
updates and a learning rate tuned for the usual batch under-trains. Severity is `info`:
a departure from a rule of thumb. Large full fine-tuning recipes exceed the GRPO row by
design (verl's own GRPO examples update on 256 prompts x 5 samples); the row matches the
reference's small LoRA recipe (batch 4 x group 8).

## Example
Checked as: `cfgguard check --dialect axolotl --devices 4`.
```yaml
micro_batch_size: 1
gradient_accumulation_steps: 2    # 1 x 2 x 4 = 8 sequences: SFT wants 16-64
```
Use instead: `gradient_accumulation_steps: 4` (16 sequences).

## Fix
No autofix yet.

## Source
Batch Sizes / Recommendations (docs/reference/hyperparameter-quick-reference.md). Batch
semantics:
- TRL counts completions per device: trl 1.16.0 `trl/trainer/grpo_config.py:1098-1100`
  (the generation batch is `per_device_train_batch_size` x processes x steps, in
  completions, divided into groups of `num_generations`); transformers 5.24.0
  `src/transformers/training_args.py:777` (`per_device_train_batch_size`, default 8).
- axolotl passes `micro_batch_size` as `per_device_train_batch_size` (axolotl 0.21.0
  `src/axolotl/core/builders/base.py:761`) and, for GRPO, hands the batch to TRL's GRPOConfig.
- verl counts prompts: verl 0.9.1 `verl/utils/config.py:123` (`data.train_batch_size` x
  `rollout.n` trajectories) and `verl/trainer/ppo/ray_trainer.py:1352-1353` (the
  mini-batch of `actor.ppo_mini_batch_size` prompts is multiplied by `rollout.n`).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.derived.batch_steps import NOT_STATED, PAIRED, method, optimizer_batch
from cfgguard.derived.lr_levels import times
from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = "Batch Sizes / Recommendations"
# above the row's top: reported beyond twice it (the tops are where the rows stop, not where
# training suffers: DPO's 8-32 is bounded by memory, "pairs = 2x memory")
ABOVE_FACTOR = 2.0
UNITS = {"grpo": "prompts", "kto": "examples", "sft": "sequences"}


def check(ctx: Context) -> Iterator[Report]:
    name = method(ctx.config)
    row = tables.method_row(name)
    rng = tables.effective_batch(row)
    if name is None or row is None or rng is None:
        return
    batch = optimizer_batch(ctx)
    if batch is None:
        return
    unit = "pairs" if name in PAIRED else UNITS.get(name, "examples")
    unit = unit.removesuffix("s") if batch.value == 1 else unit
    label = tables.method_label(row)
    what = f"effective batch {fmt(batch.value)} {unit} ({batch.note})"
    span = f"{fmt(rng.low)}..{fmt(rng.high)}"
    if batch.value > rng.high * ABOVE_FACTOR:
        more = f"; {NOT_STATED} (more only raise it)" if batch.bound == "lower" else ""
        yield Report(
            batch.at,
            f"{what} is {times(batch.value / rng.high)} the top of the {label} range {span}:"
            f" few optimizer updates per epoch{more} ({rng.row})",
            source=rng.row,
        )
    elif batch.value < rng.low and batch.bound == "exact":
        yield Report(
            batch.at,
            f"{what} is below the {label} range {span}: noisy gradients, slow training"
            f" ('Slow training: batch too small') ({rng.row})",
            source=rng.row,
        )


RULE = Rule("B001", "effective-batch-range", Severity.INFO, SOURCE, __doc__ or "", check)
