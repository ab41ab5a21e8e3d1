"""The type of each key path of a document, for Y003 (values the loader reads otherwise).

From the document's key space: the field's type at the newest release the repository
allows that has the key (its annotation, verl's trainer-config default, torchtune's
recipe read), turned into JSON types by ``knowledge.pytypes``, with the field's closed
value list; a field of the repository's own argument classes by its annotation. Where
the key space knows the key but gives no type (torchtune reads most keys untyped; a
component's arguments are the component's), the type the dialect reads the value as
(``optimizer.lr`` is the canonical learning rate: a number).
"""

from __future__ import annotations

from functools import cache

from cfgguard.canonical import Canonical
from cfgguard.keyspaces import DocumentKeys
from cfgguard.knowledge.keyspace import KeySpace, Verdict
from cfgguard.knowledge.pytypes import enum_name, json_types
from cfgguard.records import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    """A key's JSON types and closed value list."""

    json_types: frozenset[str]
    choices: tuple[str, ...] = ()
    enum: str = ""  # the Enum class the choices are the values of
    package: str = ""  # the package that defines the field

    @property
    def numeric(self) -> bool:
        return bool(self.json_types & {"number", "integer"})

    @property
    def integer(self) -> bool:
        return "integer" in self.json_types and "number" not in self.json_types

    @property
    def text(self) -> bool:
        return "string" in self.json_types and "boolean" not in self.json_types

    @property
    def container(self) -> bool:
        return bool(self.json_types & {"object", "array"})


# what the dialect read a number as (one of each: a record per document's numbers cost more)
_INTEGER = Kind(frozenset({"integer"}))
_NUMBER = Kind(frozenset({"number"}))


@cache
def kind_of(type_text: str, choices: tuple[str, ...] = (), package: str = "") -> Kind | None:
    """The kind of a field of type ``type_text`` (source text); None when unknown."""
    types = json_types(type_text, bool(choices), package)
    if not types:
        return None
    return Kind(types, choices, enum_name(type_text, package) if choices else "", package)


class Types:
    """The kinds of one document's key paths, and which paths are sections."""

    def __init__(self, keys: DocumentKeys | None, config: Canonical) -> None:
        self.keys = keys
        self.sections = keys.space.sections() if keys else frozenset[str]()
        self._kinds = _space_kinds(keys.space) if keys else {}
        self._read: dict[str, Kind] = {}
        for _, found in config.items():
            value = found.value
            if found.origin != "file" or isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                kind = _INTEGER if isinstance(value, int) else _NUMBER
                self._read.setdefault(found.key, kind)

    def of(self, path: str) -> Kind | None:
        """The kind of a key: declared, else read by the dialect; None for a key the
        allowed releases do not have (K001 and K002 judge it)."""
        if self.keys is None:
            return self._read.get(path)  # no key data describes the document
        gone, declared = self._look_up(path)
        if gone:
            return None
        return declared or self._read.get(path)

    def read(self, path: str) -> Kind | None:
        """The kind the dialect reads a value inside a free-form container as."""
        return self._read.get(path)

    def declared(self, path: str) -> Kind | None:
        """The type the key data gives the key (None: none given, or no such key)."""
        if self.keys is None:
            return None
        return self._look_up(path)[1]

    def _look_up(self, path: str) -> tuple[bool, Kind | None]:
        found = self._kinds.get(path)
        if found is None:
            assert self.keys is not None
            verdict = self.keys.verdict(path)
            found = self._kinds[path] = (verdict.status in ("none", "never"), _declared(verdict))
        return found

    def free_form(self, path: str) -> bool:
        return self.keys is not None and self.keys.space.free_form(path)


# path -> (absent from the allowed releases, declared kind), per key space: the documents
# that read one space share its verdicts, so each path is judged once for all of them
_KINDS: dict[int, tuple[KeySpace, dict[str, tuple[bool, Kind | None]]]] = {}


def _space_kinds(space: KeySpace) -> dict[str, tuple[bool, Kind | None]]:
    held = _KINDS.get(id(space))
    if held is None or held[0] is not space:  # an id is reused once its space is freed
        held = _KINDS[id(space)] = (space, {})
    return held[1]


def _declared(verdict: Verdict) -> Kind | None:
    if verdict.local is not None:
        return kind_of(verdict.local.type)
    definition = verdict.newest()
    if definition is None or definition.section:
        return None
    attrs = definition.run.attrs
    choices = tuple(str(c) for c in attrs.get("choices", ()))
    return kind_of(str(attrs.get("type", "")), choices, definition.package)
