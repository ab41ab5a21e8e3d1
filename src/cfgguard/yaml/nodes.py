"""Positioned YAML nodes.

Every node keeps its start and end marks (0-based line and column, and the character
offset into the text), so that a finding points at the exact key or value and a fix
knows which characters to replace. Aliases share the anchored node object.
"""

from __future__ import annotations

from bisect import bisect_right

from cfgguard.records import dataclass, field


@dataclass(frozen=True, slots=True)
class Mark:
    line: int  # 0-based
    column: int  # 0-based, in characters
    index: int  # character offset into the text (BOM excluded)

    # Written out: marks are the most built records, and a hand-written __init__
    # spares the run compiling one (see cfgguard.records).
    def __init__(self, line: int, column: int, index: int) -> None:
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "index", index)


class LineStarts:
    """Line and column from a character offset, counting ``\n`` only."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text  # what the offsets count in (fixes check their spans against it)
        self.starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            self.starts.append(at + 1)
            at = find("\n", at + 1)

    def at(self, index: int) -> Mark:
        starts = self.starts
        line = bisect_right(starts, index) - 1
        return Mark(line, index - starts[line], index)


class Scalar:
    """A scalar as written: its text, quoting style, explicit tag and position.

    Not a record: nine nodes in ten are scalars and few of their positions are ever
    read, so a scalar made by ``compose`` keeps two offsets and the file's
    ``LineStarts`` and makes its marks when asked (building them all was half the cost
    of composing a file).
    """

    __slots__ = ("_end", "_lines", "_start", "shared", "style", "tag", "value")

    def __init__(
        self,
        value: str,
        style: str,  # "" plain, "'" single, '"' double, "|" literal, ">" folded
        start: Mark | int,  # an offset needs ``lines``
        end: Mark | int,
        tag: str | None = None,  # explicit tag as written, e.g. "tag:yaml.org,2002:str"
        lines: LineStarts | None = None,
    ) -> None:
        self.value = value
        self.style = style
        self._start = start
        self._end = end
        self.tag = tag
        self._lines = lines
        self.shared = False  # an alias stands for it (or for a collection around it)

    @property
    def start(self) -> Mark:
        if isinstance(self._start, int):
            self._start = self._mark(self._start)
        return self._start

    @property
    def end(self) -> Mark:
        if isinstance(self._end, int):
            self._end = self._mark(self._end)
        return self._end

    @property
    def start_index(self) -> int:
        """The start's character offset (no mark made)."""
        start = self._start
        return start if isinstance(start, int) else start.index

    @property
    def end_index(self) -> int:
        end = self._end
        return end if isinstance(end, int) else end.index

    @property
    def value_start(self) -> Mark:
        """Where the scalar as written begins: after its tag and anchor (``!!float &lr``)."""
        start, text = self.start, self.text
        if text is None or text[start.index : start.index + 1] not in ("&", "!"):
            return start
        return self._mark(_after_properties(text, start.index, self.end.index))

    def _mark(self, index: int) -> Mark:
        if self._lines is None:
            raise ValueError("a Scalar made from offsets needs the file's LineStarts")
        return self._lines.at(index)

    @property
    def text(self) -> str | None:
        """The text the scalar was composed from (None for a hand-made scalar)."""
        return None if self._lines is None else self._lines.text

    @property
    def plain(self) -> bool:
        return self.style == "" and self.tag is None

    def __repr__(self) -> str:
        return (
            f"Scalar(value={self.value!r}, style={self.style!r}, start={self.start!r},"
            f" end={self.end!r}, tag={self.tag!r})"
        )


def _after_properties(text: str, index: int, end: int) -> int:
    """Skip the node properties (anchor, tag) at ``index`` and the space after them."""
    while index < end and text[index] in "&!":
        if text.startswith("!<", index):  # verbatim tag
            close = text.find(">", index)
            index = end if close < 0 else close + 1
        while index < end and text[index] not in " \t\r\n,[]{}":
            index += 1
        while index < end:  # separation: blanks, line breaks, comments
            if text[index] in " \t\r\n":
                index += 1
            elif text[index] == "#":
                newline = text.find("\n", index)
                index = end if newline < 0 else newline
            else:
                break
    return min(index, end)


@dataclass(eq=False, slots=True)
class Sequence:
    items: list[Node]
    flow: bool
    start: Mark
    end: Mark
    tag: str | None = None
    shared: bool = False  # an alias stands for it (or for a collection around it)


@dataclass(eq=False, slots=True)
class Mapping:
    pairs: list[tuple[Node, Node]]
    flow: bool
    start: Mark
    end: Mark
    tag: str | None = None
    shared: bool = False  # an alias stands for it (or for a collection around it)
    _index: dict[str, tuple[Scalar, Node]] | None = field(default=None, repr=False)
    _entries: list[tuple[Scalar, Node]] | None = field(default=None, repr=False)

    def entries(self) -> list[tuple[Scalar, Node]]:
        """Scalar-keyed entries in file order, merge keys (`<<`) expanded after own keys.

        Worked out once: every dialect reader and rule walks them.
        """
        if self._entries is not None:
            return self._entries
        found: list[tuple[Scalar, Node]] = []
        own: set[str] = set()
        merges: list[Node] = []
        for key, value in self.pairs:
            if not isinstance(key, Scalar):
                continue
            if key.value == "<<" and key.plain:
                merges.append(value)
                continue
            own.add(key.value)
            found.append((key, value))
        for merged in merges:
            sources = merged.items if isinstance(merged, Sequence) else [merged]
            for source in sources:
                if isinstance(source, Mapping):
                    for key, value in source.entries():
                        if key.value not in own:
                            own.add(key.value)
                            found.append((key, value))
        self._entries = found
        return found

    def get(self, key: str) -> tuple[Scalar, Node] | None:
        """The entry for a key (last occurrence wins, as in PyYAML), or None."""
        if self._index is None:
            index: dict[str, tuple[Scalar, Node]] = {}
            for k, v in self.entries():
                index[k.value] = (k, v)
            self._index = index
        return self._index.get(key)

    def value(self, key: str) -> Node | None:
        entry = self.get(key)
        return entry[1] if entry else None

    def keys(self) -> list[str]:
        return [k.value for k, _ in self.entries()]


Node = Scalar | Sequence | Mapping


@dataclass(slots=True)
class Document:
    root: Node | None
    start: Mark
    end: Mark
    number: int  # 0-based position in the stream
