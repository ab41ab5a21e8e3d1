"""Where the cursor is in a config: the key under it, and the mapping it is in.

From the parsed nodes when the text parses (``node_at``); else, and for completion,
where the text being typed rarely parses, from indentation (``line_context``): the
mapping a line belongs to is the nearest line above with a key further left. Paths are
dotted as the key data writes them: ``actor_rollout_ref.actor.optim.lr``, and ``[]`` for
the items of a list (``datasets[].type``).
"""

from __future__ import annotations

import re
from typing import Literal

from cfgguard.records import dataclass, field
from cfgguard.server.positions import Lines
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence

_KEY = r"""(?P<key>[A-Za-z0-9_$][\w.\-/$]*|"[^"\n]*"|'[^'\n]*')"""
# a line that starts an entry: indentation, list dashes, a key and its colon
KEY_LINE = re.compile(rf"^(?P<lead> *)(?P<dashes>(?:- +)*){_KEY} *:(?: |$)")
# the text before the cursor: a key being typed, or a value after ``key:``
TYPING_KEY = re.compile(r"^(?P<lead> *)(?P<dashes>(?:- +)*)(?P<word>[\w.\-]*)$")
TYPING_VALUE = re.compile(rf"^(?P<lead> *)(?P<dashes>(?:- +)*){_KEY} *: +(?P<word>[^#\s'\"]*)$")


@dataclass(frozen=True, slots=True)
class Hit:
    """The key entry the cursor is on (on its key, or somewhere in its value)."""

    path: str
    key: Scalar
    value: Node
    on_key: bool


def node_at(root: Mapping, offset: int, nested: bool) -> Hit | None:
    """The innermost entry holding ``offset``; only top-level entries unless ``nested``."""
    mapping, prefix = root, ""
    while True:
        for key, value in mapping.pairs:
            if not isinstance(key, Scalar):
                continue
            path = prefix + key.value
            if key.start.index <= offset <= key.end.index:
                return Hit(path, key, value, on_key=True)
            if not value.start.index <= offset <= value.end.index:
                continue
            inner: Mapping | None = None
            if nested and isinstance(value, Mapping):
                inner, prefix = value, f"{path}."
            elif nested and isinstance(value, Sequence):
                inner = next(
                    (
                        item
                        for item in value.items
                        if isinstance(item, Mapping)
                        and item.start.index <= offset <= item.end.index
                    ),
                    None,
                )
                prefix = f"{path}[]."
            if inner is None:
                return Hit(path, key, value, on_key=False)
            mapping = inner
            break
        else:
            return None


def unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"" else key


@dataclass(frozen=True, slots=True)
class Context:
    """What is being typed at the cursor, read from the text's lines alone."""

    prefix: str  # the mapping the cursor is in ("" top level)
    word: str  # the key (or value) typed so far
    word_start: int  # its code-point column
    value_of: str | None = None  # typing the value of this key (its full path)
    present: frozenset[str] = field(default_factory=lambda: frozenset[str]())  # keys it has


def line_context(lines: Lines, line: int, column: int) -> Context | None:
    """The completion context at a code-point column, or None (in a comment, a flow
    collection, a quoted scalar)."""
    text = lines.line(line)
    before = text[:column]
    typing = TYPING_KEY.match(before)
    if typing is not None:
        indent = len(typing["lead"]) + len(typing["dashes"])
        item = _last_dash(typing) if typing["dashes"] else None
        prefix, present = _mapping(lines, line, indent, item)
        start = column - len(typing["word"])
        return Context(prefix, typing["word"], start, present=present)
    typing = TYPING_VALUE.match(before)
    if typing is None:
        return None
    indent = len(typing["lead"]) + len(typing["dashes"])
    item = _last_dash(typing) if typing["dashes"] else None
    prefix, _ = _mapping(lines, line, indent, item)
    name = unquote(typing["key"])
    path = f"{prefix}.{name}" if prefix else name
    start = column - len(typing["word"])
    return Context(prefix, typing["word"], start, value_of=path)


def key_on_line(lines: Lines, line: int) -> tuple[str, int, int] | None:
    """(path, start column, end column) of the key a line starts, by indentation."""
    found = KEY_LINE.match(lines.line(line))
    if found is None:
        return None
    indent = found.start("key")
    item = _last_dash(found) if found["dashes"] else None
    prefix, _ = _mapping(lines, line, indent, item)
    name = unquote(found["key"])
    return (f"{prefix}.{name}" if prefix else name), found.start("key"), found.end("key")


def _last_dash(found: re.Match[str]) -> int:
    """The column of the innermost list dash of a line."""
    return found.start("dashes") + found["dashes"].rstrip(" ").rfind("-")


def _mapping(lines: Lines, line: int, indent: int, item: int | None) -> tuple[str, frozenset[str]]:
    """(dotted path of the mapping whose keys start at ``indent`` on ``line``, the keys
    it already has). ``item``: the column of the list dash that starts it, if any."""
    present = _siblings(lines, line, indent, starts_item=item is not None)
    owners = _Owners(indent, item)
    for number in range(line - 1, -1, -1):
        text = lines.line(number)
        body = text.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        if text.startswith(("---", "...")):
            break
        move = owners.take(KEY_LINE.match(text), len(text) - len(body), body)
        if move == "stop" or (move == "up" and owners.want == 0 and owners.dash is None):
            break
    return ".".join(reversed(owners.parts)), present


_Move = Literal["skip", "up", "stop"]  # the line above: not an owner, the next owner, no owner


class _Owners:
    """The keys holding a line, innermost first, found going up line by line: ``want`` is
    the column of the keys of the mapping reached, ``dash`` that of the list dash that
    starts its item (the key holding the list is looked for next)."""

    def __init__(self, want: int, dash: int | None) -> None:
        self.parts: list[str] = []
        self.want, self.dash = want, dash

    def take(self, found: re.Match[str] | None, column: int, body: str) -> _Move:
        if self.dash is None:
            return self._in_mapping(found, column)
        if column > self.dash or (column == self.dash and body.startswith("-")):
            return "skip"  # deeper, or another item of the same list
        return "stop" if found is None else self._climb(found, "[]")

    def _in_mapping(self, found: re.Match[str] | None, column: int) -> _Move:
        if found is None:
            # below the mapping's keys: a list of scalars or a multi-line value, no key to name
            return "stop" if column < self.want else "skip"
        at = found.start("key")
        if at > self.want:
            return "skip"
        if at == self.want:
            if found["dashes"]:  # the first key of a list item: the list's owner is next
                self.dash = _last_dash(found)
            return "skip"
        return self._climb(found, "")

    def _climb(self, found: re.Match[str], suffix: str) -> _Move:
        self.parts.append(unquote(found["key"]) + suffix)
        self.want, self.dash = found.start("key"), _last_dash(found) if found["dashes"] else None
        return "up"


def _siblings(lines: Lines, line: int, indent: int, starts_item: bool) -> frozenset[str]:
    """The keys at ``indent`` in the block around ``line`` (up and down to a line that
    starts further left, or another list item)."""
    found: set[str] = set()
    for step in (1,) if starts_item else (-1, 1):
        number = line + step
        while 0 <= number < lines.count:
            text = lines.line(number)
            body = text.lstrip(" ")
            number += step
            if not body or body.startswith("#"):
                continue
            entry = KEY_LINE.match(text)
            at = entry.start("key") if entry is not None else len(text) - len(body)
            if at < indent or text.startswith(("---", "...")):
                break
            if entry is not None and at == indent:
                if entry["dashes"] and step == 1:
                    break  # the next item's first key
                found.add(unquote(entry["key"]))
                if entry["dashes"]:
                    break  # this item's first key: the keys above are other items'
    return frozenset(found)
