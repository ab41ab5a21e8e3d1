"""Which learning-rate level a run sits at: shared by R001, R002 and R003.

The Base Learning Rates table gives two ranges per method: full fine-tune and LoRA
("LoRA LR (10x)"). A LoRA run at or below the full fine-tune level is R002's; a full
fine-tune at or above the LoRA level is R003's; R001 reports the rest.
"""

from __future__ import annotations

from cfgguard.canonical import Canonical, Field
from cfgguard.findings import Fix
from cfgguard.fix.build import fix, quote_like, replace
from cfgguard.fix.numbers import scale_by_power_of_ten
from cfgguard.knowledge import tables
from cfgguard.records import dataclass
from cfgguard.yaml.nodes import Scalar


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
