"""LoRA rank outside the SFT range for the model's size.

## What it does
Reports the LoRA rank of a LoRA or QLoRA run that is not an RL or preference run (those
are L002's) when it lies outside the quick reference's SFT rank range for the base
model's size class: 1-3B 16-32, 7-8B 32-64, 13B 64-128, 34B 128-192, 70B 128-256.
The size class comes from the model table, so an unknown model is not checked (M001
says so). For a mixture-of-experts model the size class is that of its active
parameters and the table's MoE row, "rank/active_experts", is read as: each expert's
adapter may use the dense row's rank divided by the number of active experts, so the
capacity active per token matches a dense model; the same `lora_rank` also adapts the
shared attention, which every token uses, so the accepted range runs from the dense
row's low divided by the active experts (rounded down, at least 1) to the dense row's
high. Mixtral-8x7B (13B active, 2 experts) accepts 32..128.

## Why is this bad?
Below the range the adapter lacks capacity for what SFT teaches: loss plateaus early
("Early plateau: Undercapacity, increase rank" in the troubleshooting table). Above it,
the adapter costs memory and step time for capacity the data will not use. It is a
rule of thumb, hence info.

## Example
Checked as: `cfgguard check --dialect plain`.
```yaml
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 8        # SFT on an 8B model: the table says 32-64
lora_alpha: 32
learning_rate: 2e-4
```
Use `lora_rank: 32` (or up to 64).

## Fix
No autofix yet.

## Source
LoRA Configuration / Rank by Model Size (SFT), rows 1-3B to 70B and MoE. The
reference's "Params (approx)" column is 2-14x too low and is not used: a LoRA on a
Linear of `d_in -> d_out` adds `r x (d_in + d_out)` parameters (peft 0.21.2
`src/peft/tuners/lora/layer.py:263-264`, `lora_A` `d_in x r` and `lora_B` `r x d_out`),
which over Llama-3.1-8B's seven projections is 83.9M-167.8M at rank 32-64, not 20-80M
(`knowledge/data/lora.json` has the computed figures).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = "LoRA Configuration / Rank by Model Size (SFT)"


def check(ctx: Context) -> Iterator[Report]:
    for v in ctx.violations():
        if v.code == "L001":
            yield Report(
                getattr(ctx.config, v.field, None),
                f"LoRA rank {fmt(v.value)} is outside the SFT range"
                f" {fmt(v.minimum)}..{fmt(v.maximum)} for {v.detail} ({v.row})",
                source=v.row,
                severity=v.severity,
            )


RULE = Rule("L001", "sft-rank-range", Severity.INFO, SOURCE, __doc__ or "", check)
