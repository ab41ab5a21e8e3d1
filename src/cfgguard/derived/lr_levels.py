"""Which learning-rate level a run sits at: shared by R001, R002, R003 and R004.

The Base Learning Rates table gives two ranges per method: full fine-tune and LoRA
("LoRA LR (10x)"). A LoRA run at or below the full fine-tune level is R002's; a full
fine-tune at or above the LoRA level is R003's; R001 reports the rest.

``judged`` is what the four rules ask first, from the run context: nothing is judged in
a file that does not train, in a smoke test (at most 20 steps), or for a model under 1B
parameters (the reference's rows start at 1-3B, and small models train at higher rates:
SmolLM2-135M's SFT ran at 1e-3). With rsLoRA the adapter's update is ``sqrt(r)`` times
standard LoRA's at the same alpha, so the rate judged is ``lr x sqrt(r)`` and the
message says so. ``distance`` is how far outside a range a rate is, as a factor; R002
and R003 warn from ``WARN_FACTOR`` (3x) on and are info below it: the troubleshooting
table's own correction is "2-5x", so a rate 2x outside is a tuning choice, not a
mistake.
"""

from __future__ import annotations

import math

from cfgguard.canonical import Canonical, Field
from cfgguard.derived.context import Context
from cfgguard.derived.runcontext import guessed
from cfgguard.edits.build import fix, quote_like, replace
from cfgguard.edits.numbers import fmt, scale_by_power_of_ten
from cfgguard.findings import Fix, Severity
from cfgguard.knowledge import tables
from cfgguard.records import dataclass
from cfgguard.records import replace as with_fields
from cfgguard.yaml.nodes import Scalar

WARN_FACTOR = 3.0


@dataclass(frozen=True, slots=True)
class Levels:
    method_row: str
    adapter: str  # "full" or "lora"
    lr: float
    own: tables.Range
    other: tables.Range


def levels(config: Canonical) -> Levels | None:
    """The two LR ranges for this run's method, or None when the table has no row."""
    if config.method is None or config.adapter is None or config.learning_rate is None:
        return None
    row = tables.method_row(config.method.value)
    if row is None or config.adapter.value not in ("full", "lora", "qlora"):
        return None
    adapter = "full" if config.adapter.value == "full" else "lora"
    own = tables.learning_rate(row, adapter)
    other = tables.learning_rate(row, "lora" if adapter == "full" else "full")
    if own is None or other is None:
        return None
    return Levels(row, adapter, config.learning_rate.value, own, other)


def lora_at_full_level(lv: Levels) -> bool:
    """LoRA with an LR below its range and no higher than the full fine-tune range."""
    return lv.adapter == "lora" and lv.lr < lv.own.low and lv.lr <= lv.other.high


def full_at_lora_level(lv: Levels) -> bool:
    """Full fine-tune with an LR above its range and at least the LoRA range's floor."""
    return lv.adapter == "full" and lv.lr > lv.own.high and lv.lr >= lv.other.low


def scale_fix(lr: Field[float], power: int, target: tables.Range) -> Fix | None:
    """Multiply the written LR by 10**power, keeping its style, if that lands in range."""
    node = lr.node
    if lr.origin != "file" or not isinstance(node, Scalar):
        return None
    new = scale_by_power_of_ten(node.value, power)
    if new is None or not target.contains(float(new.replace("_", ""))):
        return None
    content = quote_like(node, new)
    return fix("unsafe", f"learning rate {node.value} -> {new}", replace(node, content))


@dataclass(frozen=True, slots=True)
class Judged:
    """The learning rate the LR rules judge and what they assumed to get it."""

    config: Canonical  # with the judged rate (rsLoRA: lr x sqrt(r))
    lr: float
    written: float
    assumed: str  # "SFT, lora" plus rsLoRA's factor or the method's provenance
    rslora: bool


def judged(ctx: Context) -> Judged | None:
    config, run = ctx.config, ctx.run
    lr = config.learning_rate
    if lr is None or config.method is None or run.skip_reason() is not None or run.tiny:
        return None
    adapter = config.adapter.value if config.adapter else "full"
    parts = [f"{config.method.value.upper()}, {adapter}"]
    if guessed(config.method):
        parts.append(config.method.note)  # a guess, or the file's path: say so
    value = lr.value
    rslora = run.scale is not None and run.scale.rslora
    if rslora and run.scale is not None:
        value = lr.value * run.scale.lr_factor
        parts.append(f"{run.scale.note}: judged as {fmt(value)}")
        config = with_fields(config, learning_rate=with_fields(lr, value=value))
    return Judged(config, value, lr.value, "; ".join(parts), rslora)


def distance(lr: float, rng: tables.Range) -> float:
    """How many times outside ``rng`` the rate is (1.0: at an edge or inside)."""
    if lr <= 0:
        return math.inf
    if lr < rng.low:
        return rng.low / lr
    if lr > rng.high:
        return lr / rng.high
    return 1.0


def times(factor: float) -> str:
    """A measured factor as a person writes it: 2x, 2.5x, 12x."""
    return f"{factor:.2g}x" if factor < 10 else f"{factor:.0f}x"


def severity(factor: float) -> Severity:
    return Severity.WARNING if factor >= WARN_FACTOR else Severity.INFO


REFERENCE_HIDDEN = 4096  # the width the Base Learning Rates rows are written for (7-8B)


def width_scaled(ctx: Context, lr: float, wider_only: bool) -> tuple[float, str]:
    """The rate a 4096-wide model would need to move as this one does at ``lr``.

    The reference's own rule of thumb scales the rate as ``1 / hidden_size`` (By Model
    Size); its Base Learning Rates rows are for the 7-8B models (hidden 4096). A narrower
    model takes a proportionally higher rate (``wider_only=False``: R003 softens a full
    fine-tune of a 1.5B model), a wider one a lower rate (``wider_only=True``: R002
    softens a LoRA run of a 70B model). Only used to soften a severity, never to report.
    """
    model = ctx.model
    if model is None or model.hidden_size <= 0 or model.is_moe:
        return lr, ""
    hidden = model.hidden_size
    if (wider_only and hidden <= REFERENCE_HIDDEN) or (
        not wider_only and hidden >= REFERENCE_HIDDEN
    ):
        return lr, ""
    scaled = lr * hidden / REFERENCE_HIDDEN
    return scaled, (
        f"; at hidden {hidden} the reference's width rule (lr ~ 1 / hidden_size) makes"
        f" it {fmt(scaled)} at hidden {REFERENCE_HIDDEN}"
    )
