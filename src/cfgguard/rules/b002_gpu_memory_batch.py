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
queue and loaded the model: the whole wait is lost.

Severity is `warning` above twice the table's top (e.g. 32 sequences on 40GB, where 8
fit): out of memory is then very likely. Between the top and twice it the finding is
`info`: the table states no sequence length, and QLoRA's 4-bit weights, short sequences
or activation checkpointing leave more room than it assumes (axolotl's Mistral-7B QLoRA
DPO example, 16 pairs = 32 sequences of up to 2048 tokens, is written for an 80GB GPU,
where the table's top is 16). For models above the 8B class (13B and up) any excess is a
`warning`: the 8B table already understates what they need.

## Example
Checked as: `cfgguard check --dialect axolotl --gpu-memory 24`.
```yaml
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
Batch Sizes / By GPU Memory (LoRA, 8B model)
(docs/reference/hyperparameter-quick-reference.md), and the DPO recommendation's "pairs
= 2x memory".
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.derived.batch_steps import PAIRED, field_name, method
from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = "Batch Sizes / By GPU Memory (LoRA, 8B model)"
MIN_PARAMS_B = 6.5  # the table's 8B class and up (Llama-2-7B has 6.7B)
FAR = 2  # above FAR x the table's top: a warning; between: info
LARGER_B = 10.5  # above the 8B class (the 13B row and up): any excess is a warning


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
    larger_model = params > LARGER_B
    far = sequences > FAR * top or larger_model
    counted = f" pairs = {sequences} sequences ('pairs = 2x memory')" if pairs else ""
    size = f"{params:.3g}B" if larger_model else "8B-class"
    larger = " (a larger model needs more)" if larger_model else ""
    risk = "will likely run out of memory" if far else "may run out of memory"
    yield Report(
        micro,
        f"{field_name(micro)}{counted} is above the {fmt(row.max_batch.low)}..{fmt(top)} a"
        f" LoRA run of an 8B model fits on a {memory}GB GPU{larger}; this {size} model {risk}"
        f" at startup ({row.max_batch.row})",
        source=row.max_batch.row,
        severity=None if far else Severity.INFO,
    )


RULE = Rule("B002", "batch-exceeds-gpu-memory", Severity.WARNING, SOURCE, __doc__ or "", check)
