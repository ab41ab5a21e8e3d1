"""Row types of the quick reference's tables, and the data loader (see ``tables``)."""

from __future__ import annotations

import math
from functools import cache
from typing import Any, Literal

from cfgguard.knowledge import read_json
from cfgguard.records import dataclass

RankKind = Literal["sft", "rl"]


@dataclass(frozen=True, slots=True)
class Range:
    low: float
    high: float  # math.inf when the row is open above
    row: str

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high


@dataclass(frozen=True, slots=True)
class RankRow:
    low: int
    high: int
    alpha: int
    row: str
    params_note: str  # the reference's params column is wrong: what it says, what is true
    size: str = ""


@dataclass(frozen=True, slots=True)
class BehaviourRow:
    """One row of a value -> words table (DPO beta, GRPO group size and temperature)."""

    value: float
    text: str  # behaviour / trade-off / use case, verbatim
    row: str
    recommended: bool = False
    label: str = ""  # as the reference writes the value ("1.2+")


@dataclass(frozen=True, slots=True)
class GpuRow:
    memory_gb: int
    max_batch: Range
    effective: int
    accumulation: int


@dataclass(frozen=True, slots=True)
class OptimizerDefaults:
    optimizer: str
    betas: tuple[float, float]
    eps: float
    weight_decay: float  # "Usually 0 for LoRA"
    max_grad_norm: float
    warmup_ratio: float
    lr_schedulers: tuple[str, ...]  # cosine, "Or constant"
    row: str  # AdamW (Standard)
    stability_row: str  # For Stability


@dataclass(frozen=True, slots=True)
class ContextRow:
    model: str
    native: int
    extended: int
    row: str
    note: str  # where the family differs from the row (checkpoints' configs)


@dataclass(frozen=True, slots=True)
class Labelled:
    """A labelled range: Choosing Beta situations, Max Seq Len use cases."""

    label: str
    text: str
    range: Range


@cache
def load(name: str) -> Any:
    return read_json(name)


def open_range(low: float | None, high: float | None, row: str) -> Range:
    return Range(float(low or 0), math.inf if high is None else float(high), row)
