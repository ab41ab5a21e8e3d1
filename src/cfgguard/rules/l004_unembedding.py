"""Adapter targets without the unembedding (output layer).

## What it does
Flags a LoRA/QLoRA run whose targets leave out the model's output layer: `lm_head`, or
the model's own name for it (`embed_out` on GPT-NeoX/Pythia before transformers 5.14.0,
which renamed it `lm_head`; `output_layer` on ChatGLM). `all-linear` (PEFT), axolotl's
`lora_target_linear: true` and LLaMA-Factory's `lora_target: all` all *exclude* the
output layer; so does torchtune's `apply_lora_to_output: false`. A head trained fully
(`lora_modules_to_save`, `additional_target`) counts as targeted.

## Why is this bad?
The reference recommends LoRA on all layers including the unembedding, and its
troubleshooting table's fix for "Poor generation" is "Add lm_head to targets". That is the
reference's recommendation, not a defect: PEFT's `all-linear` leaves the output layer out
on purpose (peft 0.21.2 `src/peft/tuners/tuners_utils.py:2463-2469`,
`_maybe_include_all_linear_layers`: "ignore the last classification head for text
generation models"), and many good adapters are trained without it. When the model
ties its input and output embeddings (Llama 3.2 1B/3B, small Qwen2.5/Qwen3, Gemma,
SmolLM), adapting `lm_head` changes the shared matrix's output use only: PEFT warns
unless `ensure_weight_tying` is set, and torchtune refuses it for tied Qwen2 models; the
message then says what adapting it means.

Severity is `info`, not `warning`: 154 of the LoRA example configs that the frameworks'
repositories ship (axolotl, LLaMA-Factory, TRL, torchtune, verl at the commits in
docs/review/frameworks-manifest.tsv) leave the output layer out, and PEFT's `all-linear`
excludes it by design. A departure that common among experts
is a rule of thumb, not "very likely a costly mistake".

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
adapter: lora
lora_target_linear: true     # every Linear except lm_head
```
Use instead:
```yaml
adapter: lora
lora_target_linear: true
lora_target_modules: [lm_head]
```

## Fix
Adds the head in the dialect's own spelling, keeping the list's style: a new `- lm_head`
item (same indentation and quoting) in a block list, `, lm_head` in a flow list,
`,lm_head` in a comma-separated string (LLaMA-Factory `lora_target`), a new
`lora_target_modules: [lm_head]` line under axolotl's `lora_target_linear: true`, or
torchtune's `apply_lora_to_output: True`. Unsafe: it adds trainable parameters. Not
offered for tied-embedding models, for `all-linear`/`all` strings (no list to extend:
LLaMA-Factory's only equivalent, `additional_target`, trains the whole head) or regexes.

## Source
LoRA Configuration / Target Modules ("Always apply to ALL layers", `lm_head  # Unembed`);
Troubleshooting Quick Reference: "Poor generation -> Add lm_head to targets". Framework
facts:
- peft 0.21.2 `src/peft/tuners/tuners_utils.py:2430-2469` (`all-linear` drops
  `get_output_embeddings()`), `:1455-1463` (the warning "Model has
  `tie_word_embeddings=True` and a tied layer is part of the adapter, but
  `ensure_weight_tying` is not set to True").
- axolotl 0.21.0 `src/axolotl/loaders/adapter.py:60-77` (`lora_target_linear` drops the
  output embedding); llamafactory 0.9.5 `src/llamafactory/model/model_utils/misc.py:31-35`
  (`lora_target: all` skips `lm_head`, `output_layer`, `output`); torchtune 0.6.1
  `torchtune/models/qwen2/_component_builders.py:246-248` (`apply_lora_to_output` refused
  with tied embeddings).
- Output layer names: transformers 5.13.1
  `src/transformers/models/gpt_neox/modeling_gpt_neox.py:404` (`embed_out`; renamed
  `lm_head` from 5.14.0, `conversion_mapping.py:219`).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.canonical import Field, Targets
from cfgguard.derived.targets import add_head, targets_head
from cfgguard.findings import Severity
from cfgguard.rules.base import Context, Report, Rule

SOURCE = "LoRA Configuration / Target Modules; Troubleshooting: Poor generation"


def check(ctx: Context) -> Iterator[Report]:
    config, model = ctx.config, ctx.model
    if not config.uses_adapter or config.target_modules is None:
        return
    head = model.head_module if model else "lm_head"
    saved = config.modules_to_save.value if config.modules_to_save else ()
    if head in saved or "lm_head" in saved:
        return
    if targets_head(config.target_modules.value, head) is not False:
        return
    why = _why(config.target_modules.value)
    at: Field[object] = config.target_modules
    switch = config.extra.get("apply_lora_to_output")  # torchtune: point at the switch
    if config.target_modules.value.output is False and switch is not None:
        at = switch
    if model is not None and model.tied_embeddings:
        yield Report(
            at,
            f"adapter targets {why} leave out {head}; {model.id} ties its input and output"
            " embeddings, so adapting it changes the shared matrix's output use only (set"
            " PEFT's ensure_weight_tying, or leave it out on purpose)",
        )
        return
    yield Report(
        at,
        f"adapter targets {why} leave out the unembedding ({head}); the reference recommends"
        f" LoRA on all layers including {head} (its troubleshooting row for poor generation:"
        " add lm_head); PEFT's all-linear leaves it out on purpose",
        fix=add_head(ctx, at, config.target_modules.value, head),
    )


def _why(targets: Targets) -> str:
    if targets.output is False:
        return "(apply_lora_to_output is off)"
    if targets.all_linear:
        return "(all linear layers, which excludes the output layer)"
    if targets.regex is not None:
        return f"(pattern '{targets.regex}')"
    return f"({', '.join(targets.names)})" if targets.names else "(none listed)"


RULE = Rule(
    "L004", "missing-unembedding", Severity.INFO, SOURCE, __doc__ or "", check, fixable=True
)
