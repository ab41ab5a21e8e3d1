"""Map a JSON Schema error back to the YAML node it is about.

A jsonschema error carries the path of the failing instance (``error.absolute_path``)
and the keyword that failed. Most errors point at the value at that path. Two point
elsewhere, as a reader expects: ``required`` (the value is absent) points at the key of
the mapping that lacks it, and ``additionalProperties`` points at the extra key itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cfgguard.records import dataclass
from cfgguard.yaml.nodes import Mapping, Node, Scalar
from cfgguard.yaml.nodes import Sequence as SeqNode


@dataclass(frozen=True, slots=True)
class Located:
    node: Node  # the node the finding should underline
    key: Scalar | None  # the key whose value it is, when it sits in a mapping


def walk(root: Node, path: Iterable[str | int]) -> Located | None:
    """Follow a JSON path (keys and list indexes) through the nodes."""
    node: Node = root
    key: Scalar | None = None
    for part in path:
        if isinstance(node, Mapping) and isinstance(part, str):
            entry = node.get(part)
            if entry is None:
                return None
            key, node = entry
        elif isinstance(node, SeqNode) and isinstance(part, int) and part < len(node.items):
            node, key = node.items[part], None
        else:
            return None
    return Located(node, key)


def locate_error(
    root: Node, path: Sequence[str | int], validator: str, extra: Sequence[str] = ()
) -> Located | None:
    """Where an error should point: see the module docstring.

    ``extra`` names the unexpected properties of an ``additionalProperties`` error
    (jsonschema lists them in its message; callers pass them explicitly).
    """
    here = walk(root, path)
    if here is None:
        return None
    if validator == "required":
        # the value is missing: point at the key of the mapping that should hold it
        return Located(here.key or here.node, here.key)
    if validator == "additionalProperties" and isinstance(here.node, Mapping) and extra:
        entry = here.node.get(extra[0])
        if entry is not None:
            return Located(entry[0], entry[0])
    return here
