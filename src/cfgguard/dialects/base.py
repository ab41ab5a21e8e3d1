"""What a dialect is, and the helpers every dialect uses to read its keys.

A dialect package knows one framework's YAML: its loader profile, how to recognise a
file (``detect`` returns a score; the best wins), and how its keys map onto the
canonical config (``to_canonical``). It knows no rules and no output formats.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, TypeVar

from cfgguard.canonical import Canonical, Field
from cfgguard.dialects.fields import Key, Layout
from cfgguard.dialects.traits import Traits
from cfgguard.knowledge.keyspace import KeySource, LocalField
from cfgguard.patterns import Pattern
from cfgguard.records import dataclass, field
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence
from cfgguard.yaml.scalars import Profile, Value, looks_numeric, resolve

if TYPE_CHECKING:  # the helpers' side: a check does not import it
    from cfgguard.dialects.writing import Writing

T = TypeVar("T")


def _every_parser(root: Mapping, config: Canonical) -> tuple[str, ...]:
    return ()


def _always(root: Mapping) -> bool:
    return True


@dataclass(frozen=True)
class KeyReading:
    """Which keys a document of the dialect may hold: its loader's, over releases.

    ``parsers`` names the lead package's parsers that read the document (``()``: any of
    them); ``applies`` says whether the key data describes this document at all (a Hydra
    fragment or another entry point's format is not checked); ``extra`` are keys every
    document may carry that no release lists (Hydra's ``defaults``).
    """

    source: KeySource
    parsers: Callable[[Mapping, Canonical], tuple[str, ...]] = _every_parser
    applies: Callable[[Mapping], bool] = _always
    extra: frozenset[str] = frozenset()
    complete: bool = True  # False: the data may miss keys the loader reads
    local: tuple[LocalField, ...] = ()  # keys of a format no package defines (plain)


@dataclass(frozen=True)
class Dialect:
    """A dialect's declaration: its package's ``__init__`` builds it, the registry lists it.

    The package (``package``, its ``__name__``) holds the rest, imported on first use so a
    check loads only what its files need: ``read`` (``to_canonical``) and ``field_map``
    (``FIELDS``, or ``LAYOUTS`` for a format whose trainers read different keys) for the
    dialects its files are in; ``writing``, ``init_writer`` and ``convert_writer`` for the
    helpers alone."""

    name: str
    profile: Profile
    detect: Callable[[Mapping], float]
    package: str
    title: str = ""
    keys: KeyReading | None = None
    traits: Traits = field(default_factory=Traits)  # what rules need to know of its framework

    def _module(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.{name}")

    def to_canonical(self, root: Mapping) -> Canonical:
        """The document as the canonical config (the package's ``read.to_canonical``)."""
        read = _READERS.get(self.package)
        if read is None:
            read = _READERS[self.package] = self._module("read").to_canonical
        return read(root)

    @property
    def fields(self) -> tuple[Key, ...]:
        """The canonical fields it reads from one key each (``field_map.FIELDS``)."""
        found: tuple[Key, ...] = getattr(self._module("field_map"), "FIELDS", ())
        return found

    @property
    def layouts(self) -> tuple[Layout, ...]:
        """A format whose trainers read different keys (verl): each trainer's map, by the
        methods it runs (``field_map.LAYOUTS``)."""
        found: tuple[Layout, ...] = getattr(self._module("field_map"), "LAYOUTS", ())
        return found

    def writer(self, kind: str) -> ModuleType:
        """The package's ``<kind>_writer`` module (``init``, ``convert``), imported only by
        the helper that writes."""
        return self._module(f"{kind}_writer")

    @property
    def writing(self) -> Writing:
        """Where ``triage`` edits settings, the value style, what ``init`` refuses."""
        from cfgguard.dialects.writing import Writing

        found: object = self._module("writing").WRITING
        assert isinstance(found, Writing), self.package
        return found


# each package's to_canonical, once imported (a dialect is read once per document)
_READERS: dict[str, Callable[[Mapping], Canonical]] = {}


_INTERPOLATION = Pattern(r"^\$\{([A-Za-z0-9_.\-]+)\}$")
_MAX_HOPS = 8


# not frozen: one per key looked up, thousands a run (see Y003's Slot)
@dataclass(slots=True)
class Entry:
    key: Scalar
    value: Node
    parent: Mapping
    path: str


class Reader:
    """Reads dotted key paths of one document under a loader profile."""

    def __init__(self, root: Mapping, profile: Profile) -> None:
        self.root = root
        self.profile: Profile = profile

    def entry(self, path: str, base: Mapping | None = None) -> Entry | None:
        mapping = base or self.root
        parts = path.split(".")
        for i, part in enumerate(parts):
            found = mapping.get(part)
            if found is None:
                return None
            key, value = found
            if i == len(parts) - 1:
                return Entry(key, value, mapping, path)
            if not isinstance(value, Mapping):
                return None
            mapping = value
        return None

    def mapping(self, path: str) -> Mapping | None:
        if not path:
            return self.root
        found = self.entry(path)
        return found.value if found and isinstance(found.value, Mapping) else None

    def has(self, path: str) -> bool:
        return self.entry(path) is not None

    def scalar_value(self, node: Node) -> Value | Node:
        """The loaded value of a scalar (following same-file ``${a.b}`` interpolations)."""
        for _ in range(_MAX_HOPS):
            if not isinstance(node, Scalar):
                return node
            value = resolve(node, self.profile)
            if self.profile != "omegaconf" or not isinstance(value, str):
                return value
            match = _INTERPOLATION.match(value)
            if match is None:
                return value
            target = self.entry(match.group(1))
            if target is None:
                return value
            node = target.value
        return node

    def value(self, path: str) -> Value | Node:
        found = self.entry(path)
        return None if found is None else self.scalar_value(found.value)

    def text(self, path: str) -> str | None:
        v = self.value(path)
        return v if isinstance(v, str) else None

    # -- fields -----------------------------------------------------------------

    def field(self, path: str, convert: Callable[[object], T | None]) -> Field[T] | None:
        """A canonical field read from ``path`` when present and convertible."""
        found = self.entry(path)
        if found is None:
            return None
        value = convert(self.scalar_value(found.value))
        if value is None:
            return None
        return Field(value, "file", path, found.value, found.key, found.parent)

    def first(self, paths: list[str], convert: Callable[[object], T | None]) -> Field[T] | None:
        for path in paths:
            got = self.field(path, convert)
            if got is not None:
                return got
        return None

    def default(self, path: str, value: T, note: str) -> Field[T]:
        """A framework default for an absent key; ``parent`` is where it would go."""
        parent_path, _, _ = path.rpartition(".")
        return Field(value, "default", path, parent=self.mapping(parent_path), note=note)

    def field_or_default(
        self, path: str, convert: Callable[[object], T | None], default: T | None, note: str
    ) -> Field[T] | None:
        got = self.field(path, convert)
        if got is not None or self.has(path):
            return got
        return None if default is None else self.default(path, default, note)


# -- converters -------------------------------------------------------------------


def as_float(v: object) -> float | None:
    """A finite number; ``.inf``, ``.nan`` and values beyond a float are no number to judge."""
    if isinstance(v, bool):
        return None
    try:
        if isinstance(v, int | float):
            f = float(v)
        elif isinstance(v, str) and looks_numeric(v):
            f = float(v.replace("_", ""))
        else:
            return None
    except (OverflowError, ValueError):
        return None
    return f if math.isfinite(f) else None


def as_int(v: object) -> int | None:
    f = as_float(v)
    if f is None or f != int(f):
        return None
    return int(f)


def known_text(v: object) -> str | None:
    """A string value (stripped), or None for unresolved ``${...}`` interpolations and ``???``."""
    if not isinstance(v, str) or "${" in v or v.strip() in ("", "???"):
        return None
    return v.strip()


def as_str(v: object) -> str | None:
    if isinstance(v, bool) or v is None or isinstance(v, Mapping | Sequence | Scalar):
        return None
    return str(v)


def as_bool(v: object) -> bool | None:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    return None


def score_keys(root: Mapping, strong: frozenset[str], weak: frozenset[str] = frozenset()) -> float:
    """Detection score from distinctive top-level keys: 2 per strong key, 1 per weak."""
    keys = set(root.keys())
    return 2.0 * len(keys & strong) + 1.0 * len(keys & weak)


TREE_DEPTH = 8  # what detectors look at sits near the top; compose bounds alias expansion
_last_tree: list[tuple[Mapping, list[tuple[Scalar, Node]]]] = []


def tree_entries(root: Mapping) -> list[tuple[Scalar, Node]]:
    """Every scalar-keyed entry of the mappings in the top ``TREE_DEPTH`` levels.

    Depth-first, in file order (a list item is one level below its list). Kept for the
    last root asked about: each dialect's detector walks the same tree.
    """
    if _last_tree and _last_tree[0][0] is root:
        return _last_tree[0][1]
    found: list[tuple[Scalar, Node]] = []
    stack: list[tuple[Iterator[tuple[Scalar | None, Node]], int]] = [(iter(root.entries()), 0)]
    while stack:
        children, depth = stack[-1]
        for key, value in children:
            if key is not None:
                found.append((key, value))
            if depth < TREE_DEPTH and isinstance(value, Mapping | Sequence):
                stack.append((_children(value), depth + 1))
                break
        else:
            stack.pop()
    _last_tree[:] = [(root, found)]
    return found


def _children(node: Mapping | Sequence) -> Iterator[tuple[Scalar | None, Node]]:
    if isinstance(node, Mapping):
        return iter(node.entries())
    return ((None, item) for item in node.items)
