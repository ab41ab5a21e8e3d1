"""Micro batch above what the declared GPU memory holds (LoRA, 7B and larger).

## What it does
When the GPU memory is declared (`--gpu-memory`), compares a LoRA or QLoRA run's
per-device micro batch with the top of the quick reference's By GPU Memory row: 16GB
1-2, 24GB 2-4, 40GB 4-8, 80GB 8-16 (a size between rows uses the largest row that
fits: 48GB reads the 40GB row). DPO, ORPO and SimPO count pairs, which take two
sequences each ("pairs = 2x memory"), so their micro batch is doubled first.

The table is measured on an 8B model. A larger model needs more memory per sequence
(bigger weights and activations), so a micro batch too big for 8B is too big for it as
well; a smaller model may fit more, so the rule applies only to models of about 7B
parameters and up (6.5B, to include Llama-2-7B; active parameters for MoE models, whose
total is larger still). Unknown models, full fine-tunes (their memory depends on the
optimizer's sharding across devices), memory below 16GB (no row) and the plain format
(its `batch_size` is the whole step, not a per-device micro batch) are skipped. The
table does not state a sequence length or activation checkpointing; neither is used.

## Why is this bad?
The first forward pass runs out of memory, typically after the job has waited in the
queue and loaded the model: the whole wait is lost. Severity is `warning`: the figure
is the table's top, already the optimistic end of its range.

## Example
```yaml
# axolotl, checked with --gpu-memory 24
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
micro_batch_size: 8            # 24GB holds 2-4
gradient_accumulation_steps: 2
```
Use instead: `micro_batch_size: 4` with `gradient_accumulation_steps: 4` (same
effective batch, 16).

## Fix
No autofix yet.

## Source
Batch Sizes / By GPU Memory (LoRA, 8B model) (hyperparameter-quick-reference.md), and
the DPO recommendation's "pairs = 2x memory".
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt
from cfgguard.rules.batch_steps import PAIRED, field_name, method

SOURCE = "Batch Sizes / By GPU Memory (LoRA, 8B model)"
MIN_PARAMS_B = 6.5  # the table's 8B class and up (Llama-2-7B has 6.7B)


def check(ctx: Context) -> Iterator[Report]:
    memory = ctx.settings.gpu_memory_gb
    config, model = ctx.config, ctx.model
    micro = config.micro_batch_size
    if not memory or model is None or micro is None or not config.uses_adapter:
        return
    if ctx.dialect == "plain":
        return
    params = model.active_params_b if model.is_moe and model.active_params_b else model.params_b
    row = tables.gpu_memory_max_batch(memory)
    if params < MIN_PARAMS_B or row is None:
        return
    pairs = method(config) in PAIRED
    sequences = micro.value * (2 if pairs else 1)
    top = row.max_batch.high
    if sequences <= top:
        return
    counted = f" pairs = {sequences} sequences ('pairs = 2x memory')" if pairs else ""
    size = f"{fmt(params)}B" if params > 10.5 else "8B-class"
    larger = " (a larger model needs more)" if params > 10.5 else ""
    yield Report(
        micro,
        f"{field_name(micro)}{counted} is above the {fmt(row.max_batch.low)}..{fmt(top)} a"
        f" LoRA run of an 8B model fits on a {memory}GB GPU{larger}; this {size} model will"
        f" likely run out of memory at startup ({row.max_batch.row})",
        source=row.max_batch.row,
    )


RULE = Rule("B002", "batch-exceeds-gpu-memory", Severity.WARNING, SOURCE, __doc__ or "", check)
