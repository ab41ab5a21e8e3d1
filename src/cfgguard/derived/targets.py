"""What a config's adapter targets can name and whether they take the output layer.

``known_names`` is every leaf name a model has (L006 reports a target outside them; a
helper may name the same set). L004 reports a missing unembedding and ``triage``
proposes the same edit for poor generation: both read the targets with
``targets_head`` and add the head with ``add_head``.
"""

from __future__ import annotations

from cfgguard.canonical import Field, Targets
from cfgguard.derived.context import Context
from cfgguard.edits.build import append_to_list, fix, insert_key_after, quote_like, replace
from cfgguard.findings import Fix
from cfgguard.knowledge.models import ModelFacts
from cfgguard.yaml.nodes import Scalar, Sequence


def known_names(model: ModelFacts) -> frozenset[str]:
    """Every leaf name the model has that a target list may name."""
    mods = model.modules
    names = {*mods.attention, *mods.mlp, *mods.other, model.head_module}
    if model.head_module in ("lm_head", "embed_out"):  # GPT-NeoX's head is lm_head from
        names.add("lm_head")  # transformers 5.14.0 (embed_out before): both name it
    return frozenset(names)


def targets_head(targets: Targets, head: str) -> bool | None:
    """True/False when knowable from the targets, None when not (an odd regex)."""
    if targets.output is not None:
        return targets.output
    if head in targets.names or "lm_head" in targets.names:
        return True
    if targets.regex is not None:  # bounded work: never `re` on the config's pattern
        from cfgguard.dialects.module_regex import matches  # only for a regex of targets

        return matches(targets.regex, head)
    return False


def add_head(ctx: Context, at: Field[object], targets: Targets, head: str) -> Fix | None:
    """An edit that adds the output layer to the targets (L004's fix, triage's too)."""
    node = at.node
    if at.origin == "default" or node is None:
        return None
    if targets.output is False:
        if isinstance(node, Scalar) and node.value.lower() == "false":
            new = {"false": "true", "False": "True", "FALSE": "TRUE"}.get(node.value, "true")
            return fix("unsafe", f"set {at.key}: {new}", replace(node, new))
        return None
    if ctx.traits.lora_layer_list:  # the output layer is a switch (apply_lora_to_output)
        return None
    if isinstance(node, Sequence):
        edit = append_to_list(ctx.text, node, head)
        return fix("unsafe", f"add {head} to {at.key}", edit) if edit else None
    if not isinstance(node, Scalar) or at.key_node is None or at.parent is None:
        return None
    if targets.all_linear and at.key == "lora_target_linear":
        if at.parent.get("lora_target_modules") is not None:  # written but empty: no second key
            return None
        line = f"lora_target_modules: [{head}]"
        edit = insert_key_after(ctx.text, at.key_node, node, line)
        return fix("unsafe", f"add {line}", edit)
    if "," in node.value and not targets.all_linear and "${" not in node.value:
        new = quote_like(node, f"{node.value.rstrip(', ')},{head}")
        return fix("unsafe", f"add {head} to {at.key}", replace(node, new))
    return None
