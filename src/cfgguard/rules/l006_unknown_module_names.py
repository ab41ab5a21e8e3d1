"""Adapter target names that do not exist in the model.

## What it does
Checks every name in an explicit LoRA/QLoRA target list against the model's own module
names (model table: the family's attention and MLP projections, its other modules such
as embeddings, experts and routers, and its output layer) and reports each name the
model does not have, at the list item: `c_attn` on Llama or Qwen2+, `q_proj` on
first-generation Qwen, `w1`/`w2` on Qwen2, `q_proj`/`gate_proj` on the fused Phi-3/Phi-4
models, `lm_head` on GPT-NeoX/Pythia (whose head is `embed_out` before transformers
5.14.0), and the quick
reference's shorthands `mlp`/`attn` written into a framework's list. The plain format
resolves `mlp`, `attn` and `lm_head` through the model table itself, so only its other
names are checked. In LLaMA-Factory's `lora_target`, `all-linear` is reported too: only
`all` means every Linear there, `all-linear` reaches PEFT as a module name.

torchtune is checked against its own projection names (`q_proj`, `k_proj`, `v_proj`,
`output_proj`), whatever the model: its LoRA builders skip any other entry of
`lora_attn_modules` without a word (an HF-style `o_proj` leaves the output projection
unadapted).

A regex target (a string `target_modules`, as verl and PEFT take it) is checked for
catastrophic backtracking only: one whose matching takes more than 200,000 backtracking
steps for a single module name (nested repetition such as `(.*.*)*Z` or `(\\w+\\.?)*_proj`)
is reported, because PEFT runs `re.fullmatch` with it on every module name of the model
and the run hangs while the adapter is set up.

Skipped: `all-linear` and switches that mean it, regex targets, names with a dot or
regex characters, unknown models, multimodal wrappers (Gemma 3 4B+, Llama 4: the vision
tower has Linear layers of its own) and families whose module names the model table
does not verify (ChatGLM remote code, Jamba). For MoE models every expert, router and
shared-expert name of the family counts as existing.

## Why is this bad?
PEFT matches a list entry against module names exactly or by `.`-suffix (a string is a
full-match regex). When no entry matches it stops with "Target modules {...} not found
in the base model"; when some match, the others are **ignored silently**: `[q_proj,
v_proj, c_attn]` on Llama trains q and v only, with no warning. A name that matches a
block instead of a Linear (`mlp` on Llama) stops PEFT with "Target module ... is not
supported". Either the run dies after the queue wait, or it trains fewer layers than the
config says.

The quick reference's "Qwen" list (`c_attn, c_proj, w1, w2`) is right for
first-generation Qwen only; Qwen1.5, Qwen2, Qwen2.5 and Qwen3 use the Llama names.

Severity `error`: PEFT either stops (`Target modules ... not found`, `... is not
supported`) or trains fewer layers than the config says without a warning; both are "it
will break or silently do something else".

## Example
Checked as: `cfgguard check --dialect axolotl` (also fires L004).
```yaml
base_model: Qwen/Qwen2.5-7B-Instruct
adapter: lora
lora_target_modules: [c_attn, c_proj, w1, w2]   # first-generation Qwen names
```
Use instead:
```yaml
lora_target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]
```

## Fix
When every listed name belongs to another family (e.g. first-generation Qwen names on
Qwen2.5), the whole list is replaced with the model's own attention and MLP projections
(and its output layer, when the list named one), item by item: each item keeps its place,
quoting and comments, new names follow the last item; torchtune's `o_proj` becomes
`output_proj`. Unsafe: it changes which layers train. A
list that mixes right and wrong names gets no fix: which one was meant is not clear.

## Source
LoRA Configuration / Target Modules, corrected by the model code:
- Module names per family (`knowledge/data/modules.json`): transformers 5.24.0
  `src/transformers/models/<family>/modeling_<family>.py` (llama, qwen2, phi3, glm4, phi,
  gpt2, gpt_neox, deepseek_v3, mixtral, qwen2_moe, qwen3_moe, gpt_oss, llama4); GPT-NeoX's
  head is `embed_out` up to 5.13.1 (`models/gpt_neox/modeling_gpt_neox.py:404`) and
  `lm_head` from 5.14.0; first-generation Qwen: `modeling_qwen.py` `QWenMLP` in the
  Qwen/Qwen-7B repository (`w1`, `w2` both hidden -> ffn/2; `c_proj` down) and
  QwenLM/Qwen@204c2c59 `finetune.py` (`lora_target_modules` c_attn, c_proj, w1, w2).
- PEFT's matching: peft 0.21.2 `src/peft/tuners/tuners_utils.py:2370-2376` (exact name or
  `.`-suffix; a string is `re.fullmatch`, `src/peft/utils/other.py:1516-1521`),
  `:1051-1068` ("Target modules ... not found in the base model" only when nothing
  matched), `src/peft/tuners/lora/model.py:559` ("Target module ... is not supported").
- torchtune 0.6.1 `torchtune/models/llama3/_component_builders.py:346-411`
  (`lora_modules` is only tested for `q_proj`, `k_proj`, `v_proj`, `output_proj`; an
  empty list raises), `torchtune/modules/peft/_utils.py:14` (`LORA_ATTN_MODULES`); issue
  meta-pytorch/torchtune#1486.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.canonical import Field, Targets
from cfgguard.derived.targets import known_names
from cfgguard.dialects.targets import names_in
from cfgguard.edits.build import fix, quote_like, replace, replace_items
from cfgguard.findings import Fix, Severity
from cfgguard.knowledge.models import ModelFacts
from cfgguard.patterns import Pattern
from cfgguard.rules.base import Context, Report, Rule
from cfgguard.yaml.nodes import Node, Scalar, Sequence

SOURCE = "LoRA Configuration / Target Modules; peft 0.21.2 tuners_utils.py:2370-2376 (matching)"
SHORT = "Target Modules; peft 0.21.2 src/peft/tuners/tuners_utils.py:2370-2376"
TORCHTUNE_AT = "torchtune 0.6.1 torchtune/models/llama3/_component_builders.py:363-411"
TORCHTUNE_NAMES = ("q_proj", "k_proj", "v_proj", "output_proj")
QWEN1_NAMES = frozenset({"c_attn", "c_proj", "w1", "w2"})
_REGEX_CHARS = Pattern(r"[.*+?^$\[\](){}|\\]")
# Model types whose module names the model table does not verify (chatglm, jamba), or that wrap
# a vision tower whose Linear layers are not in the model table (gemma3 is the 4B+
# multimodal wrapper; the 1B text-only model is gemma3_text).
_SKIPPED_TYPES = frozenset({"chatglm", "jamba", "llama4", "gemma3"})
# Blocks (not Linear layers) each family has under these leaf names: PEFT refuses them.
_BLOCKS: dict[str, frozenset[str]] = {
    "llama": frozenset({"self_attn", "mlp"}),
    "phi3": frozenset({"self_attn", "mlp"}),
    "glm4": frozenset({"self_attn", "mlp"}),
    "phi2": frozenset({"self_attn", "mlp"}),
    "gpt2": frozenset({"attn", "mlp"}),
    "qwen1": frozenset({"attn", "mlp"}),
}


def _skipped(model: ModelFacts) -> bool:
    return model.model_type in _SKIPPED_TYPES


def _checkable(name: str) -> bool:
    return not _REGEX_CHARS.search(name)


def _family_names(model: ModelFacts) -> str:
    mods = model.modules
    text = f"attention {', '.join(mods.attention)}; MLP {', '.join(mods.mlp)}"
    return f"{text}; output layer {model.head_module}"


def _blocks(model: ModelFacts) -> frozenset[str]:
    return _BLOCKS.get(model.module_family, frozenset())


def _problem(name: str, model: ModelFacts, targets: Targets, known: frozenset[str]) -> str:
    """What the name is and what PEFT does with it."""
    if name in _blocks(model):
        return (
            f"target module '{name}' is a block of {model.id}, not a Linear layer: PEFT stops"
            " with 'Target module ... is not supported'"
        )
    head = f"target module '{name}' does not exist in {model.id}"
    if targets.all_linear:
        return f"{head}: it matches nothing (every Linear layer is adapted anyway)"
    block = next((n for n in targets.names if n in _blocks(model)), None)
    if block is not None:
        return f"{head}, and PEFT stops on the block '{block}' in the same list"
    if not any(n in known for n in targets.names):
        names = ", ".join(sorted(set(targets.names)))
        return (
            f"{head}: no listed name matches, so PEFT stops with 'Target modules {{{names}}}"
            " not found in the base model'"
        )
    return f"{head}: PEFT ignores it silently and adapts only the names that match"


def _note(name: str, model: ModelFacts, all_linear: str) -> str:
    if all_linear and name == "all-linear":
        return f"; {all_linear}"
    if name in ("mlp", "attn"):
        return (
            "; `mlp`/`attn` are the quick reference's shorthands (Common Configurations),"
            " not module names: list the projections"
        )
    if name in QWEN1_NAMES and model.module_family != "qwen1":
        return (
            "; the quick reference's 'Qwen' list (c_attn, c_proj, w1, w2) is for"
            " first-generation Qwen only"
        )
    if model.module_family == "qwen1":
        return "; first-generation Qwen names its projections c_attn, c_proj, w1, w2"
    if name == "lm_head" and model.head_module != "lm_head":
        return f"; this model's output layer is {model.head_module}"
    return ""


def _nodes(field: Field[Targets]) -> list[tuple[str, Node | Field[Targets]]]:
    targets = field.value
    if len(targets.name_nodes) == len(targets.names):
        return list(zip(targets.names, targets.name_nodes, strict=True))
    return [(name, field) for name in targets.names]


def _attention_layers(ctx: Context) -> Iterator[Report]:
    ignored = ctx.config.extra.get("lora_attn_modules_ignored")
    if ignored is None:
        return
    entry = ctx.reader.entry(ignored.key)
    items = names_in(entry.value, ctx.reader) if entry is not None else []
    for name, node in items:
        if name in TORCHTUNE_NAMES:
            continue
        hint = " (torchtune calls the output projection output_proj)" if name == "o_proj" else ""
        rename = None
        if name == "o_proj" and "output_proj" not in [n for n, _ in items]:
            rename = fix(
                "unsafe", "o_proj -> output_proj", replace(node, _like(node, "output_proj"))
            )
        yield Report(
            node,
            f"'{name}' is not a torchtune attention projection ({', '.join(TORCHTUNE_NAMES)});"
            f" torchtune's LoRA builders skip it silently{hint} ({TORCHTUNE_AT})",
            source=f"torchtune LoRA builders: lora_attn_modules ({TORCHTUNE_AT})",
            fix=rename,
        )


def _like(node: Node, value: str) -> str:
    return quote_like(node if isinstance(node, Scalar) else None, value)


def _whole_list(ctx: Context, model: ModelFacts, known: frozenset[str]) -> Fix | None:
    """Every listed name is foreign: put the model's own projections in (keeping lm_head)."""
    field = ctx.config.target_modules
    if field is None or not isinstance(field.node, Sequence):
        return None
    names = field.value.names
    if not names or any(n in known for n in names if n not in ("lm_head", model.head_module)):
        return None
    wanted = list(model.modules.linear)
    if "lm_head" in names or model.head_module in names:
        wanted.append(model.head_module)
    edits = replace_items(ctx.text, field.node, wanted)
    if edits is None:
        return None
    return fix("unsafe", f"use {model.id}'s module names: {', '.join(wanted)}", *edits)


def _runaway(field: Field[Targets]) -> Iterator[Report]:
    from cfgguard.dialects.module_regex import runaway  # only for a regex of targets

    pattern = field.value.regex or ""
    why = runaway(pattern)
    if why is None:
        return
    shown = pattern if len(pattern) <= 60 else pattern[:57] + "..."
    yield Report(
        field,
        f"target-module pattern '{shown}' backtracks catastrophically: {why}. PEFT matches"
        " it with re.fullmatch against every module name of the model, so the run hangs"
        " while the adapter is set up; list the names, or write the pattern without nested"
        " repetition (peft 0.21.2 src/peft/utils/other.py:1521)",
        source="peft 0.21.2 src/peft/tuners/tuners_utils.py:2370-2371 (re.fullmatch)",
    )


def check(ctx: Context) -> Iterator[Report]:
    config, model = ctx.config, ctx.model
    if not config.uses_adapter:
        return
    if ctx.traits.lora_layer_list:
        yield from _attention_layers(ctx)
        return
    if config.target_modules is not None and config.target_modules.value.regex is not None:
        yield from _runaway(config.target_modules)
    if model is None or config.target_modules is None or _skipped(model):
        return
    targets = config.target_modules.value
    if targets.regex is not None or not targets.names:
        return
    known = known_names(model)
    whole = _whole_list(ctx, model, known)
    for name, at in _nodes(config.target_modules):
        if name in known or not _checkable(name):
            continue
        # with the all-linear switch in the union a non-block name is a dead entry
        dead = targets.all_linear and name not in _blocks(model)
        severity = Severity.INFO if dead else None
        yield Report(
            at,
            f"{_problem(name, model, targets, known)}. Its modules: {_family_names(model)}"
            f"{_note(name, model, ctx.traits.all_linear_note)} ({SHORT})",
            severity=severity,
            fix=whole,
        )
        whole = None  # one fix for the whole list, on its first wrong name


RULE = Rule(
    "L006", "unknown-target-module", Severity.ERROR, SOURCE, __doc__ or "", check, fixable=True
)
