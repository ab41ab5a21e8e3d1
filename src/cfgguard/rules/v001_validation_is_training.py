"""Validation files are the training files (verl).

## What it does
Reports a verl config whose `data.val_files` names the same file or files as
`data.train_files` (the same string, or the same list in any order).

## Why is this bad?
verl builds the validation set from `data.val_files` exactly as it builds the training
set from `data.train_files` (verl 0.9.1 `ray_trainer.py:378-393`,
`sft_trainer.py:204-216`), so every validation score (`val-core/.../reward`, the SFT
validation loss) measures examples the policy is trained on. Overfitting and reward
hacking then look like progress, and a checkpoint picked by its validation score is
picked on training data. Severity `warning`: the run trains, but the numbers it is
judged by are very likely wrong.

## Example
Checked as: `cfgguard check --dialect verl`.
```yaml
data:
  train_files: ~/data/gsm8k/train.parquet
  val_files: ~/data/gsm8k/train.parquet
```
Use instead: `val_files: ~/data/gsm8k/test.parquet` (a held-out split).

## Fix
None: cfgguard cannot know which held-out file exists.

## Source
verl 0.9.1 `verl/trainer/ppo/ray_trainer.py:378-393` (`create_rl_dataset` on
`data.train_files`, then on `data.val_files`, the same way) and
`verl/trainer/sft_trainer.py:204-216` (SFT); verl 0.7.0
`verl/trainer/fsdp_sft_trainer.py:823-826` (the legacy SFT trainer).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.rules.base import Context, Report, Rule
from cfgguard.yaml.nodes import Node, Scalar, Sequence

SOURCE = "verl 0.9.1 verl/trainer/ppo/ray_trainer.py:378-393 (data.train_files, data.val_files)"


def files(node: Node) -> frozenset[str] | None:
    """The file names a `*_files` value lists (None: not a string or list of strings)."""
    items = node.items if isinstance(node, Sequence) else [node]
    names = [i.value.strip() for i in items if isinstance(i, Scalar) and i.value.strip()]
    if len(names) != len(items) or not names:
        return None
    return frozenset(names)


def check(ctx: Context) -> Iterator[Report]:
    keys = ctx.traits.validation_files
    if keys is None:
        return
    train_key, val_key = keys
    train, val = ctx.reader.entry(train_key), ctx.reader.entry(val_key)
    if train is None or val is None:
        return
    same = files(train.value)
    if same is None or files(val.value) != same:
        return
    shown = ", ".join(sorted(same))
    yield Report(
        val.value,
        f"{val_key} is {train_key} ({shown}): every validation score measures"
        f" examples the run trains on, so overfitting looks like progress ({SOURCE})",
    )


RULE = Rule("V001", "validation-is-training-set", Severity.WARNING, SOURCE, __doc__ or "", check)
