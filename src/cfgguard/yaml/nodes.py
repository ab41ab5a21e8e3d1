"""Positioned YAML nodes.

Every node keeps its start and end marks (0-based line and column, and the character
offset into the text), so that a finding points at the exact key or value and a fix
knows which characters to replace. Aliases share the anchored node object.
"""

from __future__ import annotations

from cfgguard.records import dataclass, field


@dataclass(frozen=True, slots=True)
class Mark:
    line: int  # 0-based
    column: int  # 0-based, in characters
    index: int  # character offset into the text (BOM excluded)

    # Written out: two marks per node make these the most built records, and a
    # hand-written __init__ spares the run compiling one (see cfgguard.records).
    def __init__(self, line: int, column: int, index: int) -> None:
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "index", index)


@dataclass(eq=False, slots=True)
class Scalar:
    value: str
    style: str  # "" plain, "'" single, '"' double, "|" literal, ">" folded
    start: Mark
    end: Mark
    tag: str | None = None  # explicit tag as written, e.g. "tag:yaml.org,2002:str"

    def __init__(  # written out, as Mark's
        self, value: str, style: str, start: Mark, end: Mark, tag: str | None = None
    ) -> None:
        self.value = value
        self.style = style
        self.start = start
        self.end = end
        self.tag = tag

    @property
    def plain(self) -> bool:
        return self.style == "" and self.tag is None


@dataclass(eq=False, slots=True)
class Sequence:
    items: list[Node]
    flow: bool
    start: Mark
    end: Mark
    tag: str | None = None


@dataclass(eq=False, slots=True)
class Mapping:
    pairs: list[tuple[Node, Node]]
    flow: bool
    start: Mark
    end: Mark
    tag: str | None = None
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
