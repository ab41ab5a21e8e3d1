"""Inline suppressions in YAML comments.

* ``# cfgguard: ignore[R002, L004]`` on a line silences those codes on that line; on
  the line of a key whose value is a block (mapping or list on the following lines), it
  silences them in the whole block. ``# cfgguard: ignore`` without codes silences all.
* On the line where a value written over several lines ends (a multi-line plain or
  quoted scalar, a flow collection), it covers every line of that value: a comment
  cannot stand inside it.
* ``# cfgguard: disable-file`` (all codes) or ``# cfgguard: disable-file[CODE, ...]``
  anywhere in the file silences the whole file.

A suppression that silences nothing, or names a code no rule has, is reported as S001.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from cfgguard.patterns import Pattern
from cfgguard.records import dataclass, field
from cfgguard.yaml.nodes import Document, Mapping, Node, Scalar
from cfgguard.yaml.nodes import Sequence as SeqNode

_DIRECTIVE = Pattern(
    r"#\s*cfgguard:\s*(?P<kind>ignore|disable-file)(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE
)


@dataclass
class Suppression:
    line: int  # 1-based line of the comment
    column: int  # 1-based column of the directive
    kind: str  # "ignore" or "disable-file"
    codes: tuple[str, ...]  # () = every code
    first: int  # 1-based line range it covers
    last: int
    used: set[str] = field(default_factory=lambda: set[str]())

    def covers(self, code: str, line: int) -> bool:
        return self.first <= line <= self.last and (not self.codes or code in self.codes)


def comment_start(line: str) -> int | None:
    """Index of the ``#`` that starts a comment on a YAML line (outside quotes), or None."""
    quote: str | None = None
    for i, ch in enumerate(line):
        if quote is not None:
            if ch == quote:
                quote = None
        elif ch in "'\"" and (i == 0 or line[i - 1] in " \t[{,:-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None


def block_scalar_lines(documents: Sequence[Document]) -> set[int]:
    """0-based lines inside ``|``/``>`` block scalars, where ``#`` is content, not a comment."""
    lines: set[int] = set()
    for node in _walk(documents):
        if isinstance(node, Scalar) and node.style in ("|", ">"):
            lines.update(range(node.start.line + 1, _last_line(node) + 1))
    return lines


def spanning_lines(documents: Sequence[Document]) -> set[int]:
    """0-based lines whose end is inside a value that goes on (a multi-line plain or quoted
    scalar, a flow collection): a comment there would be part of the value or break it."""
    lines: set[int] = set()
    for node in _walk(documents):
        if (isinstance(node, Scalar) and node.style not in ("|", ">")) or (
            isinstance(node, Mapping | SeqNode) and node.flow
        ):
            lines.update(range(node.start.line, node.end.line))
    return lines


def _last_line(node: Node) -> int:
    """The last line a node's text is on (a block scalar ends at the next line's start)."""
    end = node.end
    return end.line - 1 if end.column == 0 and end.line > node.start.line else end.line


def _walk(documents: Sequence[Document]) -> Iterator[Node]:
    stack: list[Node] = [d.root for d in documents if d.root is not None]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, Mapping):
            for key, value in node.pairs:
                stack.extend((key, value))
        elif isinstance(node, SeqNode):
            stack.extend(node.items)


def _block_ends(documents: Sequence[Document]) -> dict[int, int]:
    """1-based key line -> last line of its block value (block collections only)."""
    ends: dict[int, int] = {}
    for node in _walk(documents):
        if not isinstance(node, Mapping):
            continue
        for key, value in node.pairs:
            if isinstance(value, Mapping | SeqNode) and not value.flow:
                end = value.end.line + (1 if value.end.column > 0 else 0)
                ends[key.start.line + 1] = max(end, key.start.line + 1)
    return ends


def parse(text: str, documents: Sequence[Document]) -> list[Suppression]:
    skip = block_scalar_lines(documents)
    spanning = spanning_lines(documents)
    blocks = _block_ends(documents)
    total = text.count("\n") + 1
    found: list[Suppression] = []
    for number, line in enumerate(text.splitlines()):
        if number in skip or "cfgguard" not in line:
            continue
        start = comment_start(line)
        if start is None:
            continue
        match = _DIRECTIVE.search(line, start)
        if match is None:
            continue
        codes = tuple(c.strip().upper() for c in (match["codes"] or "").split(",") if c.strip())
        kind = match["kind"].lower()
        first, last = (1, total) if kind == "disable-file" else (number + 1, number + 1)
        if kind == "ignore":
            while first - 2 in spanning:  # the line before ends inside a value ending here
                first -= 1
            last = max(blocks.get(first, last), blocks.get(number + 1, last))
        found.append(Suppression(number + 1, match.start() + 1, kind, codes, first, last))
    return found
