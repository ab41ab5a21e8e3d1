"""RL run with an SFT-sized LoRA rank.

## What it does
Flags a LoRA run of an RL method (DPO and its family, KTO, ORPO, SimPO, GRPO, PPO)
whose rank is above the RL range for the model's size, or not below the SFT range for
that size when the table has no RL row for it (1-3B, 34B).

## Why is this bad?
RL absorbs far less information per token than SFT (the reference: "~1000x less"), so
the RL table's ranks are 4-8x smaller than the SFT table's. A rank copied from an SFT
recipe spends memory and compute on capacity the run cannot use.

Severity is `info`: a higher rank costs memory, not correctness. "LoRA Without Regret"
(Thinking Machines, 2025), the study the RL table comes from, found RL matching full
fine-tuning even at rank 1, and higher ranks no worse; the reference's own DPO example
uses rank 32 on an 8B model. Nothing breaks and nothing silently changes.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
base_model: meta-llama/Llama-3.1-8B-Instruct
rl: dpo
adapter: lora
lora_r: 64        # SFT level for 7-8B
```
Use instead: `lora_r: 16` (RL range for 7-8B: 4-16).

## Fix
Lowers the rank to the top of the RL range for the model's size (e.g. `64` -> `16` on
7-8B), the smallest change that follows the table. Unsafe: it changes a training value.
Not offered when the table has no RL row for the size.

## Source
LoRA Configuration / Rank by Model Size (RL), compared with Rank by Model Size (SFT).
The size class comes from the model table (active parameters for MoE models). Note that
the reference's own "Common Configurations / DPO" example (rank 32 on an 8B model)
contradicts its RL table; cfgguard follows the table.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.canonical import Field
from cfgguard.edits.build import fix, replace
from cfgguard.findings import Fix, Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule
from cfgguard.yaml.nodes import Scalar

SOURCE = "LoRA Configuration / Rank by Model Size (RL)"


def _lower(rank: Field[int], value: int) -> Fix | None:
    node = rank.node
    if rank.origin != "file" or not isinstance(node, Scalar) or not node.plain:
        return None
    return fix("unsafe", f"lower the LoRA rank {node.value} -> {value}", replace(node, str(value)))


def check(ctx: Context) -> Iterator[Report]:
    config, model = ctx.config, ctx.model
    if model is None or not config.is_rl or not config.uses_adapter or config.lora_rank is None:
        return
    rank = config.lora_rank.value
    size = model.size_class
    rl = tables.lora_rank("rl", size)
    sft = tables.lora_rank("sft", size)
    method = config.method.value.upper() if config.method else "RL"
    if rl is not None and rank > rl.high:
        sft_note = f"; {sft.low}..{sft.high} is the SFT range" if sft else ""
        yield Report(
            config.lora_rank,
            f"LoRA rank {rank} is above the RL range {rl.low}..{rl.high} for {size} models"
            f" ({method} run{sft_note}); the RL table's"
            f" lower rank saves memory; a higher one costs memory, not correctness ({rl.row})",
            fix=_lower(config.lora_rank, rl.high),
        )
    elif rl is None and sft is not None and rank >= sft.low:
        yield Report(
            config.lora_rank,
            f"LoRA rank {rank} is at the SFT level {sft.low}..{sft.high} for {size} models in"
            f" a {method} run; the RL table's lower rank saves memory, a higher one costs"
            f" memory, not correctness (the RL table has no {size} row) ({SOURCE})",
        )


RULE = Rule("L002", "rl-rank-too-high", Severity.INFO, SOURCE, __doc__ or "", check, fixable=True)
