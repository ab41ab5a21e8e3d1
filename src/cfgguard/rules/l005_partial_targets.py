"""Adapter targets that leave out attention or MLP projections.

## What it does
Compares an explicit LoRA/QLoRA target list with the model's projection names (model
table: the family's attention and MLP modules) and reports the projections it leaves
out: PEFT's old default `q_proj, v_proj`, an attention-only list, a list that forgets
`gate_proj`. One finding per config, at the target list, naming what is missing.

torchtune is read through its own switches: `lora_attn_modules` (torchtune's
`output_proj` is `o_proj` here, and on Phi-3/Phi-4 a partial q/k/v subset stays split
because torchtune adapts them separately) and `apply_lora_to_mlp`; when only the MLP is
missing the finding points at `apply_lora_to_mlp`. The output layer is L004's.

Skipped: `all-linear` and the switches that mean it (axolotl `lora_target_linear`,
LLaMA-Factory `lora_target: all`, verl's default), regex targets, unknown models, full
fine-tunes, and lists in which no name is one of the model's projections (L006 reports
those names). For MoE models only the attention half is checked: their experts are
stacked parameters in transformers v5 that `target_modules` cannot reach (they need PEFT
`target_parameters`: peft 0.21.2 `src/peft/tuners/lora/config.py:607-617`), so an
attention-only list there may be a deliberate choice. DeepSeek's `q_proj` (V2-Lite) and
`q_a_proj`/`q_b_proj` (V2, V3) are alternatives: either counts.

Severity is `info`: the frameworks' own example configs leave projections
out on purpose (all 43 torchtune LoRA recipes of pytorch/torchtune bd2a0fc with a known model use
`q_proj, v_proj, output_proj`, without `k_proj`), and a partial list trains what it
names. It is a departure from the reference's rule of thumb, not a broken run.

## Why is this bad?
The reference says to apply LoRA to all layers, attention and MLP. The MLP holds about
two thirds of a Llama layer's Linear parameters: on Llama-3.1-8B attention-only LoRA
has a third of the all-projection adapter at the same rank (13.6M of 41.9M at rank 16,
from `r x (d_in + d_out)` per Linear and the model's shapes), so a partial list caps the
capacity the rank was chosen for.
PEFT's defaults (`q_proj, v_proj` for Llama, Mistral, Qwen2, Gemma) are the
minimal LoRA of the original paper, not the reference's recommendation.

## Example
Checked as: `cfgguard check --dialect axolotl` (also fires L004).
```yaml
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_target_modules: [q_proj, v_proj]
```
Use instead:
```yaml
lora_target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]
```

## Fix
No autofix yet (planned: add the missing projections; unsafe, because it changes what
is trained).

## Source
LoRA Configuration / Target Modules ("Always apply to ALL layers"), with module names
per family from the model code (`knowledge/data/modules.json`): transformers 5.24.0
`src/transformers/models/llama/modeling_llama.py` (`q_proj`, `k_proj`, `v_proj`,
`o_proj`, `gate_proj`, `up_proj`, `down_proj`), `models/phi3/modeling_phi3.py`
(`qkv_proj`, `gate_up_proj`), `models/mixtral/modeling_mixtral.py` and
`models/qwen3_moe/modeling_qwen3_moe.py` (experts as stacked `nn.Parameter`s). PEFT's
defaults: peft 0.21.2 `src/peft/utils/constants.py:67` (`q_proj, v_proj` for llama,
mistral, qwen2, gemma). The reference's "Qwen" list is first-generation Qwen only
(QwenLM/Qwen@204c2c59 `finetune.py`, `LoraArguments`).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.canonical import Field
from cfgguard.findings import Severity
from cfgguard.knowledge.models import ModelFacts
from cfgguard.rules.base import Context, Report, Rule

SOURCE = "LoRA Configuration / Target Modules"
SPLIT_QKV = ("q_proj", "k_proj", "v_proj")
DEEPSEEK_Q = (("q_proj",), ("q_a_proj", "q_b_proj"))


def _attention(model: ModelFacts, names: set[str], layer_list: bool) -> tuple[str, ...]:
    """The attention projections a complete list would name, for this model and list."""
    wanted = model.modules.attention
    if layer_list and "qkv_proj" in wanted and names & set(SPLIT_QKV):
        # torchtune splits the fused projection; a subset stays split (dialect note)
        i = wanted.index("qkv_proj")
        wanted = wanted[:i] + SPLIT_QKV + wanted[i + 1 :]
    if model.module_family == "deepseek":
        plain, low_rank = DEEPSEEK_Q
        drop = low_rank if names & set(plain) else plain
        wanted = tuple(n for n in wanted if n not in drop)
    return wanted


def _spell(names: list[str], spelling: dict[str, str]) -> list[str]:
    return [spelling.get(n, n) for n in names]


def _describe(missing_attn: list[str], missing_mlp: list[str], mlp: tuple[str, ...]) -> str:
    parts: list[str] = []
    if missing_attn:
        parts.append(f"attention {', '.join(missing_attn)}")
    if missing_mlp and len(missing_mlp) == len(mlp):
        parts.append(f"every MLP projection ({', '.join(missing_mlp)})")
    elif missing_mlp:
        parts.append(f"MLP {', '.join(missing_mlp)}")
    return " and ".join(parts)


def check(ctx: Context) -> Iterator[Report]:
    config, model = ctx.config, ctx.model
    if not config.uses_adapter or model is None or config.target_modules is None:
        return
    targets = config.target_modules.value
    if targets.all_linear or targets.regex is not None or not targets.names:
        return
    names = set(targets.names)
    attention = _attention(model, names, ctx.traits.lora_layer_list)
    mlp = () if model.is_moe else model.modules.mlp
    if not names & (set(attention) | set(mlp)):
        return  # none of the model's projections: L006 reports the names
    missing_attn = [n for n in attention if n not in names]
    missing_mlp = [n for n in mlp if n not in names]
    if not missing_attn and not missing_mlp:
        return
    spelling = dict(ctx.traits.lora_spelling)
    at: Field[object] = config.target_modules
    switch = config.extra.get("apply_lora_to_mlp")  # torchtune
    if switch is not None and not missing_attn:
        at = switch
    if switch is not None and missing_mlp and len(missing_mlp) == len(mlp):
        mlp_text = "every MLP projection (apply_lora_to_mlp is off)"
        what = ", ".join(_spell(missing_attn, spelling))
        text = f"attention {what} and {mlp_text}" if missing_attn else mlp_text
    else:
        text = _describe(_spell(missing_attn, spelling), missing_mlp, mlp)
    moe = "; the MoE experts are not checked" if model.is_moe else ""
    yield Report(
        at,
        f"adapter targets leave out {text} of {model.id}; the reference applies LoRA to all"
        f" layers, attention and MLP{moe} ({SOURCE}: Always apply to ALL layers)",
    )


RULE = Rule("L005", "partial-target-modules", Severity.INFO, SOURCE, __doc__ or "", check)
