"""A config being written by ``convert``: nested keys, values, and what did not map.

Writers put values at dotted paths (``trl.beta``, ``model.lora_rank``); the tree keeps
insertion order and renders as block YAML through ``yamltext``. Each canonical field
ends up in one of three lists: mapped (re-reads equal), approximated (written through a
conversion that does not re-read equal) or not mapped (no key in the target).
"""

from __future__ import annotations

from typing import Union

from cfgguard.helpers.yamltext import Scalar, Text
from cfgguard.records import dataclass, field

Value = Union[Scalar, list[Scalar], "Tree"]


@dataclass
class Tree:
    entries: dict[str, tuple[Value, str]] = field(
        default_factory=lambda: dict[str, tuple[Value, str]]()
    )

    def put(self, path: str, value: Value, why: str = "") -> None:
        head, _, rest = path.partition(".")
        if not rest:
            self.entries[head] = (value, why)
            return
        child = self.entries.get(head)
        if child is None or not isinstance(child[0], Tree):
            child = (Tree(), child[1] if child else "")
            self.entries[head] = child
        sub = child[0]
        assert isinstance(sub, Tree)
        sub.put(rest, value, why)

    def get(self, path: str) -> Value | None:
        head, _, rest = path.partition(".")
        found = self.entries.get(head)
        if found is None:
            return None
        if not rest:
            return found[0]
        return found[0].get(rest) if isinstance(found[0], Tree) else None

    def tidy(self, order: tuple[str, ...] = ()) -> None:
        """``_component_`` first in every mapping; then the keys of ``order`` first."""
        first = ("_component_", *order)
        keys = [k for k in first if k in self.entries]
        keys += [k for k in self.entries if k not in keys]
        self.entries = {k: self.entries[k] for k in keys}
        for value, _ in self.entries.values():
            if isinstance(value, Tree):
                value.tidy()

    def emit(self, text: Text, indent: int = 0) -> None:
        for key, (value, why) in self.entries.items():
            if isinstance(value, Tree):
                text.open(key, why, indent)
                value.emit(text, indent + 2)
            elif isinstance(value, list):
                text.flow(key, value, why, indent)
            else:
                text.kv(key, value, why, indent)


@dataclass
class Out:
    """A target config and the fate of every source field."""

    dialect: str
    tree: Tree = field(default_factory=Tree)
    mapped: list[str] = field(default_factory=lambda: list[str]())
    approx: list[tuple[str, str]] = field(default_factory=lambda: list[tuple[str, str]]())
    unmapped: list[tuple[str, str]] = field(default_factory=lambda: list[tuple[str, str]]())
    placeholders: list[str] = field(default_factory=lambda: list[str]())

    def put(self, name: str, path: str, value: Value, why: str = "") -> None:
        self.tree.put(path, value, why)
        if name not in self.mapped:
            self.mapped.append(name)

    def approximate(self, name: str, path: str, value: Value, note: str) -> None:
        self.tree.put(path, value)
        self.approx.append((name, note))

    def skip(self, name: str, reason: str) -> None:
        self.unmapped.append((name, reason))

    def placeholder(self, path: str, value: Value, why: str = "replace") -> None:
        if self.tree.get(path) is None:
            self.tree.put(path, value, why)
            if why:
                self.placeholders.append(path)


class Refused(Exception):
    """The target cannot express the run at all (its method, or its model)."""


def whole(x: object) -> Scalar:
    """An int when the float is whole (``lora_alpha: 32``, not ``32.0``)."""
    if isinstance(x, float) and x.is_integer():
        return int(x)
    if isinstance(x, bool | int | float | str) or x is None:
        return x
    return str(x)
