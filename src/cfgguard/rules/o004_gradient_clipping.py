"""Gradient clipping missing or disabled.

## What it does
Reports a run that does not clip gradients:

- torchtune: `clip_grad_norm` absent or `null` (the recipes then never clip), unless
  `optimizer_in_bwd: true`, which rules clipping out (the recipe refuses the two
  together);
- TRL and LLaMA-Factory: `max_grad_norm: 0` or `null` (TrlParser and `parse_dict` pass
  `null` through as `None`; transformers up to 5.2 clips only when the value is set and
  above 0, so `null` disables clipping; from 5.3.0 the trainer compares
  `max_grad_norm > 0` without a `None` check, so `null` stops the first optimizer step
  with a TypeError instead);
- axolotl: `max_grad_norm: 0` or below (`null` means "unset", so transformers' 1.0
  applies);
- plain: `max_grad_norm: 0`, `null` or below.

A missing `max_grad_norm` in axolotl, TRL or LLaMA-Factory is fine: transformers'
default 1.0 applies. verl is not checked: its `grad_clip`/`clip_grad` values go to
`torch.nn.utils.clip_grad_norm_` directly, where 0 would zero the gradients rather than
disable clipping, and that path was not traced. LLaMA-Factory v1 files are not checked
(their trainer's reading of 0 was not traced).

Severity is info. Unclipped full fine-tunes are the riskier case (one bad batch moves
every weight, the "Loss exploding" row of the troubleshooting table), and the message
says so, but the frameworks' own recipes do it deliberately (68 of the 83 torchtune
configs in cfgguard's corpus write `clip_grad_norm: null`), so it is a departure from
a stability rule of thumb, not a mistake to warn about.

## Why is this bad?
Clipping caps the size of one update when a batch produces an outlier gradient (a
corrupt sample, a long sequence, a loss spike). Without it one such batch can undo many
steps of training, or push the loss to NaN, and the run's later checkpoints are lost.

## Example
Checked as: `cfgguard check --dialect torchtune` (also fires O005).
```yaml
clip_grad_norm: null
```
Use instead: `clip_grad_norm: 1.0`.

## Fix
Sets the norm to the reference's 1.0: `max_grad_norm: 0` / `null` -> `1.0`,
`clip_grad_norm: null` -> `1.0`, and a missing torchtune `clip_grad_norm` is inserted as a
new `clip_grad_norm: 1.0` line right after `gradient_accumulation_steps` (else after the
`optimizer` section, else at the end), at the mapping's indentation and before any
comment that heads the next key. Unsafe: it changes the training run.

## Source
Optimizer Settings / For Stability: `max_grad_norm: 1.0  # Gradient clipping`. The
frameworks' defaults and readings:
- transformers 5.24.0 `src/transformers/training_args.py:866-867` (`max_grad_norm` 1.0,
  "Set to 0 to disable"), `src/transformers/trainer.py:1938` (`if
  self.args.max_grad_norm > 0`, since 5.3.0); transformers 5.2.0
  `src/transformers/trainer.py:1765` and 4.57.6 `:2697` (`max_grad_norm is not None and
  max_grad_norm > 0`).
- axolotl 0.21.0 `src/axolotl/utils/schemas/training.py:304` (`max_grad_norm` default
  None) and `src/axolotl/core/builders/base.py:714-751` (passed to transformers only when
  not None, so transformers' 1.0 applies).
- torchtune 0.6.1 `recipes/full_finetune_single_device.py:143-152`
  (`cfg.get("clip_grad_norm", None)`: no clipping unless set; `optimizer_in_bwd` with a
  clip norm raises).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.canonical import Field
from cfgguard.edits.build import fix, insert_key, replace
from cfgguard.findings import Edit, Fix, Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt
from cfgguard.yaml.nodes import Node, Scalar

SOURCE = "Optimizer Settings / For Stability"
HF_NULL_DISABLES = frozenset({"trl", "llamafactory", "plain"})  # axolotl: null = unset


def _risk(ctx: Context) -> str:
    if ctx.config.adapter is not None and ctx.config.adapter.value == "full":
        return "; in a full fine-tune one outlier batch moves every weight (Loss exploding)"
    return ""


def _message(ctx: Context, what: str) -> str:
    standard = tables.optimizer_defaults().max_grad_norm
    return (
        f"{what}: gradients are never clipped{_risk(ctx)}; the reference clips at"
        f" max_grad_norm {fmt(standard)} ({SOURCE})"
    )


def _torchtune(ctx: Context) -> Iterator[Report]:
    r = ctx.reader
    prefix = "training." if r.has("training.optimizer") else ""
    if r.value(f"{prefix}optimizer_in_bwd") is True or r.value("optimizer_in_bwd") is True:
        return  # clipping is impossible with the optimizer step in the backward pass
    path = f"{prefix}clip_grad_norm"
    found = r.entry(path)
    if found is None:
        at: Field[object] | Node = r.default(path, None, "torchtune 0.6.1 recipes: cfg.get -> None")
        parent = r.mapping(prefix.rstrip("."))
        edit = None
        if parent is not None:
            line = f"clip_grad_norm: {STANDARD}"
            edit = insert_key(ctx.text, parent, line, ("gradient_accumulation_steps", "optimizer"))
        yield Report(
            at, _message(ctx, f"no {path}"), fix=_fix(f"add clip_grad_norm: {STANDARD}", edit)
        )
    elif r.scalar_value(found.value) is None:
        yield Report(found.value, _message(ctx, f"{path} is null"), fix=_set(found.value, path))


def _max_grad_norm(ctx: Context) -> Iterator[Report]:
    r = ctx.reader
    found = r.entry("max_grad_norm")
    if found is None:
        return
    value = r.scalar_value(found.value)
    if value is None:
        if ctx.dialect in HF_NULL_DISABLES:
            message = _message(ctx, "max_grad_norm is null")
            yield Report(found.value, message, fix=_set(found.value, "max_grad_norm"))
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    if value <= 0:
        message = _message(ctx, f"max_grad_norm {fmt(value)}")
        yield Report(found.value, message, fix=_set(found.value, "max_grad_norm"))


STANDARD = "1.0"


def _fix(message: str, edit: Edit | None) -> Fix | None:
    return fix("unsafe", message, edit) if edit is not None else None


def _set(node: Node, key: str) -> Fix | None:
    """Unsafe: turning clipping on changes the training run."""
    if not isinstance(node, Scalar) or not node.value or node.style:
        return None  # an empty value: the key line itself would need rewriting
    return _fix(f"set {key}: {STANDARD}", replace(node, STANDARD))


def check(ctx: Context) -> Iterator[Report]:
    if ctx.dialect == "torchtune":
        yield from _torchtune(ctx)
    elif ctx.dialect == "llamafactory" and ctx.reader.root.get("model_name_or_path") is None:
        return  # v1 files
    elif ctx.dialect in ("axolotl", "trl", "llamafactory", "plain"):
        yield from _max_grad_norm(ctx)


RULE = Rule(
    "O004", "no-gradient-clipping", Severity.INFO, SOURCE, __doc__ or "", check, fixable=True
)
