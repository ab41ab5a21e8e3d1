"""Adam betas far from the standard 0.9 / 0.999, or out of range.

## What it does
For an Adam-family optimizer (AdamW and its fused, 8-bit and paged variants; the
default of every supported framework), reports a `beta1` or `beta2` written in the file
that is outside the range every Adam implementation accepts (`0 <= beta < 1`: an error),
or more than 2x away from the standard value measured on `1 - beta`, the length of the
average's memory: `beta1` outside 0.8..0.95, `beta2` outside 0.998..0.9995 (info).

Framework defaults are not reported (they are 0.9 / 0.999 everywhere), nor are betas of
optimizers outside the Adam family (Lion's standard is 0.9 / 0.99; Adafactor, Muon, SGD
read them differently or not at all).

## Why is this bad?
`beta1` sets how long the gradient average remembers (about 1 / (1 - beta1) = 10
steps), `beta2` the squared-gradient average (about 1000 steps). The quick reference's
standard AdamW uses 0.9 / 0.999, the values the recommended learning rates were tuned
with. A shorter `beta2` memory (0.95, 0.98, 0.99) is a common and deliberate choice in
LLM training, where it reacts faster to gradient spikes, so it is only an info here: a
reminder that the learning rate tables assume the standard. A beta of 1 or more makes
PyTorch's AdamW refuse to start (`Invalid beta parameter`).

Severity: `info` for a non-standard beta (0.95 is a common deliberate choice), `error`
for a beta of 1 or more, which PyTorch's AdamW refuses (`Invalid beta parameter`).

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
optimizer: adamw_torch
adam_beta1: 0.9
adam_beta2: 0.95      # deliberate for many LLM recipes; the standard is 0.999
```

## Fix
No autofix yet.

## Source
Optimizer Settings / AdamW (Standard): `betas: [0.9, 0.999]`. The 2x band on `1 - beta`
is cfgguard's reading of "far"; the valid range is PyTorch's AdamW argument check
(torch 2.8.0 `torch/optim/adam.py:62-65`, which `AdamW` inherits: `0.0 <= betas[i] <
1.0`).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.canonical import Canonical, Field
from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = "Optimizer Settings / AdamW (Standard)"
FAR = 2.0  # "far": the memory length 1 / (1 - beta) is off by more than this factor
_NOT_ADAM = ("adopt",)  # ADOPT is named *_adamw but has its own betas


def adam_family(config: Canonical) -> bool:
    """Whether the optimizer is Adam or AdamW (absent: every framework's default is)."""
    if config.optimizer is None:
        return True
    name = config.optimizer.value.lower()
    return "adam" in name and not any(word in name for word in _NOT_ADAM)


def optimizer_name(config: Canonical) -> str:
    return config.optimizer.value if config.optimizer else "AdamW"


def far_from(value: float, standard: float) -> bool:
    """``1 - value`` more than FAR x away from ``1 - standard`` (both in [0, 1))."""
    memory, standard_memory = 1.0 - value, 1.0 - standard
    if memory <= 0:
        return True
    ratio = memory / standard_memory
    return ratio > FAR or ratio < 1 / FAR


def _check_beta(which: str, beta: Field[float], standard: float) -> Report | None:
    value = beta.value
    name = f"adam {which} {fmt(value)}"
    if not 0.0 <= value < 1.0:
        return Report(
            beta,
            f"{name} is outside 0 <= beta < 1; PyTorch's AdamW refuses it ('Invalid beta"
            f" parameter') and the run stops at startup ({SOURCE}: {fmt(standard)})",
            severity=Severity.ERROR,
        )
    if not far_from(value, standard):
        return None
    steps, standard_steps = 1.0 / (1.0 - value), 1.0 / (1.0 - standard)
    text = (
        f"{name} is far from the standard {fmt(standard)}: its average remembers about"
        f" {fmt(round(steps))} steps instead of {fmt(round(standard_steps))}"
    )
    if which == "beta2" and 0.95 <= value < standard:
        text += " (a common deliberate choice for LLM training; the LR tables assume 0.999)"
    return Report(beta, f"{text} ({SOURCE})")


def check(ctx: Context) -> Iterator[Report]:
    config = ctx.config
    if not adam_family(config):
        return
    standard = tables.optimizer_defaults().betas
    for which, beta, std in (
        ("beta1", config.adam_beta1, standard[0]),
        ("beta2", config.adam_beta2, standard[1]),
    ):
        if beta is None or beta.origin != "file":
            continue
        report = _check_beta(which, beta, std)
        if report is not None:
            yield report


RULE = Rule("O001", "adam-betas", Severity.INFO, SOURCE, __doc__ or "", check)
