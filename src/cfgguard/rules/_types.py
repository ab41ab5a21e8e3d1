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
from cfgguard.knowledge.keyspace import Verdict
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


@cache
def kind_of(type_text: str, choices: tuple[str, ...] = (), package: str = "") -> Kind | None:
    """The kind of a field of type ``type_text`` (source text); None when unknown."""
    types = json_types(type_text, bool(choices))
    if not types:
        return None
    return Kind(types, choices, enum_name(type_text) if choices else "", package)


class Types:
    """The kinds of one document's key paths, and which paths are sections."""

    def __init__(self, keys: DocumentKeys | None, config: Canonical) -> None:
        self.keys = keys
        self.sections = keys.space.sections() if keys else frozenset[str]()
        self._read: dict[str, Kind] = {}
        for _, found in config.items():
            value = found.value
            if found.origin != "file" or isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                kind = "integer" if isinstance(value, int) else "number"
                self._read.setdefault(found.key, Kind(frozenset({kind})))

    def of(self, path: str) -> Kind | None:
        """The kind of a key: declared, else read by the dialect; None for a key the
        allowed releases do not have (K001 and K002 judge it)."""
        if self.keys is None:
            return self._read.get(path)  # no key data describes the document
        if self.keys.verdict(path).status in ("none", "never"):
            return None
        return self.declared(path) or self._read.get(path)

    def read(self, path: str) -> Kind | None:
        """The kind the dialect reads a value inside a free-form container as."""
        return self._read.get(path)

    def declared(self, path: str) -> Kind | None:
        """The type the key data gives the key (None: none given, or no such key)."""
        if self.keys is None:
            return None
        verdict = self.keys.verdict(path)
        # kept per verdict: a key space's verdicts are shared by the documents that read it
        known = _DECLARED.get(id(verdict))
        if known is not None and known[0] is verdict:
            return known[1]
        kind = _declared(verdict)
        _DECLARED[id(verdict)] = (verdict, kind)  # holding the verdict keeps its id unique
        return kind

    def free_form(self, path: str) -> bool:
        return self.keys is not None and self.keys.space.free_form(path)


_DECLARED: dict[int, tuple[Verdict, Kind | None]] = {}


def _declared(verdict: Verdict) -> Kind | None:
    if verdict.local is not None:
        return kind_of(verdict.local.type)
    definition = verdict.newest()
    if definition is None or definition.section:
        return None
    attrs = definition.run.attrs
    choices = tuple(str(c) for c in attrs.get("choices", ()))
    return kind_of(str(attrs.get("type", "")), choices, definition.package)
