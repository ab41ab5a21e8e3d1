"""Every key of a generated file against the dialect's key space (newest releases).

Stricter than K001: every mapping key at every depth must be a key every newest release
defines, a section of such keys, a key every file of the dialect may carry (``defaults``,
``hydra``, ``_component_``), or sit under a free mapping (a component's keyword
arguments, a kwargs dict) whose keys are not listed.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.dialects import BY_NAME
from cfgguard.keyspaces import ALWAYS_KNOWN, DocumentKeys, NoProject, document_keys
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping, Node, Sequence

# Hydra's own section (verl): not a verl key, read by Hydra before composition.
HYDRA = frozenset({"hydra", "hydra.searchpath"})


def _paths(node: Node, prefix: str, keys: DocumentKeys) -> Iterator[str]:
    if isinstance(node, Mapping):
        if prefix and node.get("_component_") is not None:
            return  # instantiated: its keys are the component's arguments
        for key, value in node.entries():
            path = f"{prefix}{key.value}"
            yield path
            if not keys.space.free_form(path):
                yield from _paths(value, f"{path}.", keys)
    elif isinstance(node, Sequence):
        for item in node.items:
            if isinstance(item, Mapping):
                yield from _paths(item, prefix.rstrip(".") + "[].", keys)


def unknown_keys(text: str, dialect: str) -> list[str]:
    """Dotted paths (``a.b``, ``a[].b``) the newest releases do not all define."""
    reading = BY_NAME[dialect].keys
    out: list[str] = []
    for document in compose(text).documents:
        root = document.root
        if not isinstance(root, Mapping) or reading is None:
            continue
        keys = document_keys(reading, root, BY_NAME[dialect].to_canonical(root), NoProject())
        if keys is None:
            continue
        for path in _paths(root, "", keys):
            leaf = path.rsplit(".", 1)[-1]
            if path in HYDRA or leaf in ALWAYS_KNOWN or leaf.startswith("_"):
                continue
            if keys.space.verdict(path).status != "all":
                out.append(path)
    return out
