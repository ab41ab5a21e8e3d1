"""Micro batch and accumulation from the GPU-memory table (see ``plan.py``)."""

from __future__ import annotations

import math

from cfgguard.helpers.picks import InitError, clamp, short
from cfgguard.knowledge import tables
from cfgguard.knowledge.models import ModelFacts
from cfgguard.records import dataclass

BASE_B = 8.5  # the GPU-memory table's model ("LoRA, 8B model"), rounded up
GRPO_PROMPTS = (4, 16)  # Batch Sizes / Recommendations: GRPO 4-16 prompts


@dataclass(frozen=True, slots=True)
class BatchPlan:
    micro: int  # per device: sequences (SFT), pairs (DPO), completions (GRPO)
    accumulation: int
    effective: int  # per update: sequences, pairs or prompts
    why: str
    unit: str = "sequences"  # what the micro batch counts

    @property
    def accumulation_why(self) -> str:
        total = self.micro * self.accumulation
        return f"{self.micro} x {self.accumulation} = {total} {self.unit} per update"


def plan_batch(method: str, facts: ModelFacts, gpu_memory: int, group: int) -> BatchPlan:
    row = tables.gpu_memory_max_batch(gpu_memory)
    if row is None:
        smallest = tables.gpu_memory_rows()[0].memory_gb
        raise InitError(f"--gpu-memory {gpu_memory}: the table's smallest row is {smallest}GB")
    micro = int(row.max_batch.high)
    scale = 1
    if facts.params_b > BASE_B:
        scale = 2 ** math.ceil(math.log2(facts.params_b / BASE_B))
        micro = max(1, micro // scale)
    where = f"{short(row.max_batch.row)}, max batch {row.max_batch.high:g}"
    if scale > 1:
        where += f" / {scale} for {facts.params_b:.0f}B"
    effective_row = tables.effective_batch(tables.method_row(method))
    assert effective_row is not None
    if method == "dpo":
        micro = max(1, micro // 2)
        effective = int(clamp(row.effective // 2, effective_row))
        per_update, unit, counted = effective, "pairs", "pairs"
    elif method == "grpo":
        prompts = int(min(max(row.effective // group, GRPO_PROMPTS[0]), GRPO_PROMPTS[1]))
        effective, per_update, unit, counted = prompts, prompts * group, "prompts", "completions"
    else:
        effective = int(clamp(row.effective, effective_row))
        per_update, unit, counted = effective, "sequences", "sequences"
    micro = min(micro, per_update)
    accumulation = max(1, per_update // micro)
    why = f"{where}; effective {effective} {unit} ({short(effective_row.row)})"
    return BatchPlan(micro, accumulation, effective, why, counted)
