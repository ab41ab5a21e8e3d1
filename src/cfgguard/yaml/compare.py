"""Whether two texts hold the same YAML data (what a comment-only edit must keep)."""

from __future__ import annotations

from collections.abc import Sequence as Seq

from cfgguard.yaml.nodes import Document, Mapping, Node, Scalar, Sequence


def data_change(before: Seq[Document], after: Seq[Document]) -> str | None:
    """Where the data of ``after`` differs from ``before`` (None: the same).

    Values, tags and quoting styles count; comments and positions do not.
    """
    if len(before) != len(after):
        return f"{len(before)} documents became {len(after)}"
    for old, new in zip(before, after, strict=True):
        found = _node_change(old.root, new.root)
        if found is not None:
            return found
    return None


def _node_change(old: Node | None, new: Node | None) -> str | None:
    stack: list[tuple[Node | None, Node | None]] = [(old, new)]
    seen: set[tuple[int, int]] = set()
    while stack:
        a, b = stack.pop()
        if (id(a), id(b)) in seen:  # an alias: compared once
            continue
        seen.add((id(a), id(b)))
        if a is None or b is None:
            if a is not b:
                return "a document became empty" if b is None else "an empty document got data"
            continue
        if type(a) is not type(b) or a.tag != b.tag:
            return f"the node at line {a.start.line + 1} changed its kind or tag"
        if isinstance(a, Scalar) and isinstance(b, Scalar):
            if (a.value, a.style) != (b.value, b.style):
                return f"the value at line {a.start.line + 1} became {b.value!r}"
        elif isinstance(a, Sequence) and isinstance(b, Sequence):
            if len(a.items) != len(b.items):
                return f"the list at line {a.start.line + 1} changed its length"
            stack.extend(zip(a.items, b.items, strict=True))
        elif isinstance(a, Mapping) and isinstance(b, Mapping):
            if len(a.pairs) != len(b.pairs):
                return f"the mapping at line {a.start.line + 1} changed its keys"
            for (ka, va), (kb, vb) in zip(a.pairs, b.pairs, strict=True):
                stack.extend(((ka, kb), (va, vb)))
    return None
