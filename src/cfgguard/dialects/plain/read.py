"""plain's mapping: ``to_canonical(root)`` reads a plain-format file into the canonical config.

The field map (``FIELDS``), the method and adapter implied by the keys present, and the
``target_modules`` groups resolved through the model table. See the package docstring
(``cfgguard.dialects.plain``) for the format and its loader profile.
"""

from __future__ import annotations

from typing import TypeVar, cast

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.dialects.base import Reader, as_float
from cfgguard.dialects.fields import read_keys
from cfgguard.dialects.plain.detect import PROFILE
from cfgguard.dialects.plain.field_map import FIELDS
from cfgguard.dialects.targets import ALL_LINEAR, names_in
from cfgguard.knowledge.models import ModelFacts, resolve
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence

T = TypeVar("T")


def _derived(source: Field[T], value: str, note: str) -> Field[str]:
    return Field(value, "derived", source.key, source.node, source.key_node, source.parent, note)


def _method(r: Reader) -> Field[str]:
    for key, method in (("beta", "dpo"), ("group_size", "grpo"), ("temperature", "grpo")):
        found = r.field(key, lambda v: v)
        if found is not None:
            return _derived(found, method, f"{key} is a {method.upper()} setting")
    return Field("sft", "derived", "", parent=r.root, note="no beta or group_size: SFT")


def _adapter(r: Reader) -> Field[str]:
    rank = r.field("lora_rank", lambda v: v)
    if rank is not None:
        return _derived(rank, "lora", "lora_rank is set")
    return Field("full", "derived", "lora_rank", parent=r.root, note="no lora_rank: full")


def _group(name: str, facts: ModelFacts | None) -> tuple[str, ...] | None:
    """Leaf names for a plain-format name; None for a group the model table cannot expand."""
    if name in ("mlp", "attn"):
        if facts is None:
            return None
        return facts.modules.mlp if name == "mlp" else facts.modules.attention
    if name == "lm_head":
        return (facts.head_module if facts else "lm_head",)
    return (name,)


def _targets(r: Reader, c: Canonical, facts: ModelFacts | None) -> None:
    entry = r.entry("target_modules")
    if entry is None:
        return
    node = entry.value
    if isinstance(node, Scalar) and r.scalar_value(node) == ALL_LINEAR:
        targets = Targets(all_linear=True)
    elif isinstance(node, Scalar | Sequence):
        names: dict[str, Node] = {}
        groups: list[tuple[str, Node]] = []
        for name, item in names_in(node, r):
            leaves = _group(name, facts)
            if leaves is None:
                groups.append((name, item))
            for leaf in leaves or ():
                names.setdefault(leaf, item)
        listed = {n for n, _ in names_in(node, r)}
        targets = Targets(
            names=tuple(names),
            name_nodes=tuple(names.values()),
            output=True if "lm_head" in listed else None,
        )
        if groups:
            note = "module groups the model table cannot expand (unknown model)"
            kept = Field(tuple(n for n, _ in groups), "file", entry.path, groups[0][1],
                         entry.key, entry.parent, note)  # fmt: skip
            c.extra["target_module_groups"] = cast(Field[object], kept)
    else:
        return
    c.target_modules = Field(targets, "file", entry.path, node, entry.key, entry.parent)


def _betas(r: Reader, c: Canonical) -> None:
    entry = r.entry("betas")
    if entry is None or not isinstance(entry.value, Sequence) or len(entry.value.items) != 2:
        return
    out: list[Field[float] | None] = []
    for item in entry.value.items:
        v = as_float(r.scalar_value(item)) if isinstance(item, Scalar) else None
        out.append(None if v is None else Field(v, "file", "betas", item, entry.key, entry.parent))
    c.adam_beta1, c.adam_beta2 = out[0], out[1]


def to_canonical(root: Mapping) -> Canonical:
    r = Reader(root, PROFILE)
    c = Canonical()
    read_keys(r, c, FIELDS)
    c.method = _method(r)
    c.adapter = _adapter(r)
    _targets(r, c, resolve(c.base_model.value) if c.base_model else None)
    _betas(r, c)
    return c
