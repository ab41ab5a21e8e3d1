"""Sequence length beyond the model's context.

## What it does
Compares the run's sequence length (axolotl `sequence_len`, LLaMA-Factory `cutoff_len`,
TRL `max_length`, torchtune `tokenizer.max_seq_len`, verl prompt + response length, or
the framework default when the key is absent) with the model's context from the model
table (`max_position_embeddings` of the checkpoint's config):

- beyond that context with no RoPE scaling set: `error` (a `warning` for continued
  pretraining, see below);
- beyond the *extended* context even with RoPE scaling set: `warning`.

RoPE scaling is read where each framework takes it: axolotl
`model_config.rope_scaling` (top-level `rope_scaling` is refused by axolotl and K002
reports it), LLaMA-Factory `rope_scaling`, TRL `model_init_kwargs.rope_scaling`, verl
`override_config.rope_scaling`. torchtune has no such key: its builders fix the RoPE.

The extended context is taken where the reference or the model table states it: the
Context Lengths table (Llama 3: 128K via RoPE scaling; Qwen2.5: 128K for 7B and larger,
32K only for 0.5B-3B, as the row's note says) and the model table's notes ("131072
via YaRN" for Qwen3, "128K with YaRN" for Qwen2-7B). Where neither states one, a run
with RoPE scaling is not judged. The Context Lengths rows hold for the first release of
each family only: Llama 3.1/3.2/3.3 are 131072 natively, Mistral v0.2+ 32K, and the model
table's value is what is compared.

Severity: past the trained positions with nothing to stretch them, a model with learned
positions (GPT-2) fails on the first long example and a RoPE model silently trains at
positions it never saw, where attention degrades: `error`. Continued pretraining
(`pretraining_dataset`, completion-only data) at a longer context is how contexts are
extended, so there it is a `warning` that the RoPE is left unadjusted (as in
axolotl 067b021 examples/alst/: 500K tokens on Llama-3.1-8B). Beyond the
extended context with scaling set the run works; the model was only validated that far:
`warning`. A RoPE base change made through `rope_theta` instead of `rope_scaling` is not
recognised.

## Why is this bad?
Positions past the context the model was trained (or extended) for are out of
distribution: quality falls apart on exactly the long examples the length was raised
for, or the run stops when a learned position table runs out.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
base_model: meta-llama/Meta-Llama-3-8B   # 8K native
sequence_len: 16384
```
Use instead: `sequence_len: 8192`, a model with a longer context (Llama 3.1: 131072),
or RoPE scaling:
```yaml
sequence_len: 16384
model_config:
  rope_scaling: {rope_type: linear, factor: 2.0}
```

## Fix
No autofix yet.

## Source
Context Lengths / Maximum Sequence Length (docs/reference/hyperparameter-quick-reference.md),
corrected where the checkpoints differ; the model table's `max_position_embeddings` and
context notes (`knowledge/data/models.json`, each row citing the model's config or a
framework's model builder).
- Native contexts: torchtune 0.6.1 `torchtune/models/llama3/_model_builders.py:39`
  (`llama3_8b`, `max_seq_len=8192`), `torchtune/models/llama3_1/_model_builders.py:34`
  (`llama3_1_8b`, 131072), `torchtune/models/mistral/_model_builders.py:45`
  (`mistral_7b`, 32768), `torchtune/models/qwen2_5/_model_builders.py` (0.5B, 3B and
  every `*_instruct` builder 32768; the 1.5B-72B `*_base` builders 131072).
- Qwen2.5's 128K for 7B and larger only (YaRN, factor 4): the Qwen2.5 Technical Report
  (arXiv:2412.15115), Table 1, and the Qwen2.5-7B-Instruct model card ("Processing Long
  Texts").
- RoPE keys: axolotl 0.21.0 `src/axolotl/utils/schemas/deprecated.py:35-42` (top-level
  `rope_scaling` refused) and `:147-149` (`model_config`, alias of
  `overrides_of_model_config`); llamafactory 0.9.5 `src/llamafactory/hparams/model_args.py:113`
  (`rope_scaling`) and `src/llamafactory/model/model_utils/rope.py:52-63` (factor
  `ceil(cutoff_len / original)`, none when the length fits); trl 1.16.0
  `trl/trainer/sft_config.py:146` (`model_init_kwargs`, passed to `from_pretrained`); verl
  0.9.1 `verl/workers/config/model.py:115` (`override_config`).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.knowledge.models import ModelFacts
from cfgguard.patterns import Pattern
from cfgguard.records import dataclass
from cfgguard.rules.base import Context, Report, Rule

SOURCE = "Context Lengths / Maximum Sequence Length"
MODEL_TABLE = "model table: max_position_embeddings"
# model table family -> Context Lengths row
ROWS = {"Llama 3": "Llama 3", "Qwen2.5": "Qwen2.5", "Mistral 7B v0.1": "Mistral"}
QWEN25_EXTENDED_FROM_B = 7.0  # the Qwen2.5 row's note: 128K only for 7B and larger
LEARNED_POSITIONS = frozenset({"gpt2"})  # model types with a learned position table
_YARN = Pattern(r"(\d+)(K?)\s+(?:via|with)\s+YaRN")


@dataclass(frozen=True, slots=True)
class Extended:
    length: int
    row: str


def _row(model: ModelFacts) -> tables.ContextRow | None:
    name = ROWS.get(model.family)
    return next((r for r in tables.context_rows() if r.model == name), None)


def extended(model: ModelFacts) -> Extended | None:
    """The context the model reaches with RoPE scaling, where a source states it."""
    native = model.max_position_embeddings
    row = _row(model)
    if row is not None:
        if model.family == "Qwen2.5" and model.params_b < QWEN25_EXTENDED_FROM_B:
            return Extended(native, f"{row.row} (128K for 7B and larger only)")
        if row.extended > native:
            return Extended(row.extended, row.row)
    match = _YARN.search(model.context_note)
    if match is not None:
        length = int(match.group(1)) * (1024 if match.group(2) else 1)
        if length > native:
            return Extended(length, f"model table note: {model.context_note}")
    return None


def _label(n: int) -> str:
    return f"{n} ({n // 1024}K)" if n % 1024 == 0 and n >= 8192 else str(n)


def check(ctx: Context) -> Iterator[Report]:
    config, model = ctx.config, ctx.model
    if model is None or config.max_seq_len is None:
        return
    length = config.max_seq_len.value
    native = model.max_position_embeddings
    if length <= native:
        return
    default = " (the framework default)" if config.max_seq_len.origin == "default" else ""
    ext = extended(model)
    row = _row(model)
    source = f"{row.row}; {MODEL_TABLE}" if row is not None else f"{SOURCE}; {MODEL_TABLE}"
    if model.model_type in LEARNED_POSITIONS:
        yield Report(
            config.max_seq_len,
            f"sequence length {length}{default} is beyond {model.id}'s context of"
            f" {_label(native)}: its positions are a learned table of {native}, so the run"
            f" fails on the first longer example ({source})",
            source=source,
        )
        return
    if config.rope_scaling is None:
        pretrain = config.method is not None and config.method.value == "pretrain"
        reach = f"; with RoPE scaling it reaches {_label(ext.length)}" if ext else ""
        yield Report(
            config.max_seq_len,
            f"sequence length {length}{default} is beyond {model.id}'s context of"
            f" {_label(native)} and no RoPE scaling is set: positions past {native} were"
            f" never trained{reach} ({source})",
            source=source,
            severity=Severity.WARNING if pretrain else None,
        )
        return
    if ext is None or length <= ext.length:
        return
    yield Report(
        config.max_seq_len,
        f"sequence length {length}{default} is beyond {model.id}'s extended context of"
        f" {_label(ext.length)} even with RoPE scaling ({config.rope_scaling.value}); the"
        f" model was not validated that far ({ext.row})",
        source=source,
        severity=Severity.WARNING,
    )


RULE = Rule("C001", "context-length", Severity.ERROR, SOURCE, __doc__ or "", check)
