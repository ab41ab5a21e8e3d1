"""Every key of a generated file against the dialect's key list (``knowledge/keys.py``).

Stricter than K001 (which checks the sections each key list fully describes): every
mapping key at every depth must be a listed key, a section of listed keys, a key every
file of the dialect may carry (``defaults``, ``hydra``, ``_component_``), or a keyword
of a component the list names but whose keywords it does not enumerate (``allowed``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from cfgguard.knowledge.keys import key_rows
from cfgguard.rules._keys import ALWAYS_KNOWN
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping, Node, Sequence

# Hydra's own section (verl): not a verl key, read by Hydra before composition.
HYDRA = frozenset({"hydra.searchpath"})
# torchtune keywords of components the key list names without enumerating them (the
# shipped recipes/configs write them): the Qwen/Phi-4 BPE tokenizers' merges file and
# the metric loggers' directory. ``ref_checkpointer`` takes ``checkpointer``'s keywords.
TORCHTUNE_KWARGS = frozenset({"tokenizer.merges_file", "metric_logger.log_dir"})
ALIASES = {"torchtune": (("ref_checkpointer.", "checkpointer."),)}


@cache
def _known(dialect: str) -> tuple[frozenset[str], frozenset[str]]:
    keys = frozenset(row.key for row in key_rows(dialect) if row.user_key)
    sections = {".".join(k.split(".")[:i]) for k in keys for i in range(1, k.count(".") + 1)}
    return keys, frozenset(sections)


def _paths(node: Node, prefix: str) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.entries():
            path = f"{prefix}{key.value}"
            yield path
            yield from _paths(value, f"{path}.")
    elif isinstance(node, Sequence):
        for item in node.items:
            if isinstance(item, Mapping):
                yield from _paths(item, prefix.rstrip(".") + "[].")


def unknown_keys(text: str, dialect: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Dotted paths (``a.b``, ``a[].b``) the key list does not know."""
    keys, sections = _known(dialect)
    out: list[str] = []
    for document in compose(text).documents:
        if document.root is None:
            continue
        for found in _paths(document.root, ""):
            path = _alias(found, dialect)
            leaf = path.rsplit(".", 1)[-1]
            if path in keys or path in sections or path in allowed or path in HYDRA:
                continue
            if dialect == "torchtune" and path in TORCHTUNE_KWARGS:
                continue
            if leaf in ALWAYS_KNOWN or leaf.startswith("_"):
                continue
            out.append(found)
    return out


def _alias(path: str, dialect: str) -> str:
    for old, new in ALIASES.get(dialect, ()):
        if path.startswith(old):
            return new + path[len(old) :]
    return path
