"""Values with the table row they come from, and number formatting for them."""

from __future__ import annotations

import math
from typing import Generic, TypeVar

from cfgguard.knowledge import tables
from cfgguard.records import dataclass

T = TypeVar("T")


class InitError(Exception):
    """A request the tables or the framework cannot serve (exit 2, one line)."""


@dataclass(frozen=True, slots=True)
class Pick(Generic[T]):
    value: T
    why: str  # the table row (short form) and how the value was read from it


def short(row: str) -> str:
    """``LoRA Configuration / Rank by Model Size (SFT): 7-8B`` -> ``Rank by ...: 7-8B``."""
    return row.split(" / ", 1)[-1]


def number(x: float) -> str:
    """A float every loader reads as a float: ``4.9e-4``, ``1.0e-5``, ``0.03``, ``1.0``."""
    if not math.isfinite(x):
        return repr(x)  # "inf", "nan": only ever shown in messages (yamltext writes .inf)
    if x != 0 and (abs(x) < 1e-3 or abs(x) >= 1e5):
        mantissa, exponent = f"{x:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    text = f"{x:g}"
    return text if "." in text or "e" in text else text + ".0"


def clamp(x: float, rng: tables.Range) -> float:
    return min(max(x, rng.low), rng.high)
