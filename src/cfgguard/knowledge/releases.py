"""One package's release data (``data/releases/<package>.json``), read on demand.

Built by ``python -m cfgguard.knowledge.build`` from the package's released code. A run
``[first, last, attrs]`` says a class, key set or key exists, unchanged in meaning, from
release ``releases[first]`` through ``releases[last]``. A check loads only the packages its
dialect reads, and parses a version only when the repository pins one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

from cfgguard.knowledge import read_json
from cfgguard.records import dataclass

RunAttrs = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Run:
    first: int
    last: int
    attrs: RunAttrs

    # Written out: runs are built by the hundred per check, and a hand-written __init__
    # spares the run compiling one (see cfgguard.records).
    def __init__(self, first: int, last: int, attrs: RunAttrs) -> None:
        object.__setattr__(self, "first", first)
        object.__setattr__(self, "last", last)
        object.__setattr__(self, "attrs", attrs)

    def covers(self, index: int) -> bool:
        return self.first <= index <= self.last


@dataclass(frozen=True, slots=True)
class ClassRun:
    first: int
    last: int
    file: str
    line: int
    bases: tuple[str, ...]

    def __init__(self, first: int, last: int, file: str, line: int, bases: tuple[str, ...]) -> None:
        object.__setattr__(self, "first", first)
        object.__setattr__(self, "last", last)
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "bases", bases)


def _runs(rows: list[list[Any]]) -> tuple[Run, ...]:
    return tuple(Run(a, b, attrs) for a, b, attrs in rows)


class Table(Mapping[str, tuple[Run, ...]]):
    """One class's fields or one key set's keys: runs made when a key is asked for (a
    check asks for the few keys a file holds, out of up to a thousand)."""

    def __init__(self, raw: dict[str, list[list[Any]]]) -> None:
        self._raw = raw
        self._made: dict[str, tuple[Run, ...]] = {}

    def __getitem__(self, key: str) -> tuple[Run, ...]:
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _runs(self._raw[key])
        return made

    def runs(self, key: str) -> tuple[Run, ...]:
        """``self.get(key, ())`` without ``Mapping.get``'s KeyError round trip (asked for
        every key a check looks up, in every owner)."""
        made = self._made.get(key)
        if made is None:
            raw = self._raw.get(key)
            if raw is None:
                return ()
            made = self._made[key] = _runs(raw)
        return made

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def aliases(self) -> dict[str, str]:
        """alias -> key, over every run (no run is made)."""
        out: dict[str, str] = {}
        for key, rows in self._raw.items():
            for _, _, attrs in rows:
                for alias in attrs.get("aliases", ()):
                    if alias != key:
                        out.setdefault(alias, key)
        return out

    def names_at(self, index: int) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(key, its aliases) of every key some run of which covers the release."""
        for key, rows in self._raw.items():
            for a, b, attrs in rows:
                if a <= index <= b:
                    yield key, tuple(attrs.get("aliases", ()))
                    break


class Package:
    def __init__(self, data: dict[str, Any]) -> None:
        self.name: str = data["package"]
        self.versions: tuple[str, ...] = tuple(data["versions"])
        self.releases: tuple[str, ...] = tuple(data["releases"])
        self._data = data
        self._fields: dict[str, Table] = {}
        self._keys: dict[str, Table] = {}
        self._classes: dict[str, tuple[ClassRun, ...]] = {}
        self._help: dict[str, dict[str, str]] | None = None
        self._sections: dict[str, frozenset[str]] = {}
        self._parsed: list[object] | None = None
        self._parsed_versions: list[object] | None = None

    def parsed_releases(self) -> list[object]:
        """``releases`` as ``packaging`` versions (parsed once, when a pin needs them)."""
        if self._parsed is None:
            from packaging.version import Version

            self._parsed = [Version(v) for v in self.releases]
        return self._parsed

    def parsed_versions(self) -> list[object]:
        """``versions`` (every PyPI release covered) as ``packaging`` versions."""
        if self._parsed_versions is None:
            from packaging.version import Version

            self._parsed_versions = [Version(v) for v in self.versions]
        return self._parsed_versions

    @property
    def newest(self) -> int:
        return len(self.releases) - 1

    def classes(self) -> Iterator[str]:
        return iter(self._data["classes"])

    def annotation(self, text: str) -> tuple[list[str], list[str], str] | None:
        """A type text of this data, parsed at build time: its JSON types, those with a
        closed value list, and the Enum it names (``knowledge.typeparse``); None when
        the data holds no such text."""
        row = self._data.get("types", {}).get(text)
        return (row[0], row[1], row[2]) if row is not None else None

    def class_runs(self, name: str) -> tuple[ClassRun, ...]:
        if name not in self._classes:
            rows = self._data["classes"].get(name, ())
            self._classes[name] = tuple(
                ClassRun(a, b, f, line, tuple(bases)) for a, b, f, line, bases in rows
            )
        return self._classes[name]

    def class_at(self, name: str, index: int) -> ClassRun | None:
        for run in self.class_runs(name):
            if run.first <= index <= run.last:
                return run
        return None

    def fields(self, name: str) -> Table:
        """A class's own fields: name -> runs (help texts apart: ``help``)."""
        if name not in self._fields:
            raw = self._data["fields"].get(name, {})
            if isinstance(raw, str):  # the class's own file, read when first asked
                raw = read_json("releases", *raw.split("/"))
            self._fields[name] = Table(raw)
        return self._fields[name]

    def owners_of(self, key: str) -> tuple[str, ...] | None:
        """The classes that define ``key`` or an alias of it in some release (from the
        build's index: no class's table is read); None for data without the index (a
        vendored copy or a test's, merged in memory)."""
        index = self._data.get("owners", {}).get("fields")
        return None if index is None else tuple(index.get(key, ()))

    def help(self, owner: str, key: str) -> str:
        """The newest help text of a class's field or a key set's key ("" when none)."""
        helps = self._help
        if helps is None:
            try:
                helps = read_json("releases", self.name, "help.json")
            except OSError:
                helps = {}
            self._help = helps
        return helps.get(owner, {}).get(key, "")

    def key_sets(self) -> Iterator[str]:
        return iter(self._data["key_sets"])

    def key_set_runs(self, name: str) -> tuple[Run, ...]:
        return tuple(Run(a, b, {"file": f}) for a, b, f in self._data["key_sets"].get(name, ()))

    def keys(self, key_set: str) -> Table:
        if key_set not in self._keys:
            raw = self._data["keys"].get(key_set, {})
            if isinstance(raw, str):  # the key set's own file, read when first asked
                raw = read_json("releases", *raw.split("/"))
            self._keys[key_set] = Table(raw)
        return self._keys[key_set]

    def sections(self, key_set: str) -> frozenset[str]:
        """The dotted prefixes of a key set's keys in any release (written by the build)."""
        found = self._sections.get(key_set)
        if found is None:
            file = self._data["keys"].get(key_set)
            if isinstance(file, str):
                folder, _, name = file.rpartition("/")
                found = frozenset(read_json("releases", folder, "s." + name[2:]))
            else:  # data merged in memory: worked out here
                found = frozenset(_prefixes(file or {}))
            self._sections[key_set] = found
        return found

    def parser_at(self, name: str, index: int) -> tuple[str, ...] | None:
        for a, b, read in self._data["parsers"].get(name, ()):
            if a <= index <= b:
                return tuple(read)
        return None

    def parsers_at(self, index: int) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for name in self._data["parsers"]:
            read = self.parser_at(name, index)
            if read is not None:
                out[name] = read
        return out

    def newest_accepted_at(self, index: int) -> dict[str, str]:
        """Each dependency's newest release this release's requirement admits (precomputed
        by the build, so a check with no pin parses no specifier)."""
        out: dict[str, str] = {}
        for dependency, rows in self._data.get("newest_accepted", {}).items():
            for a, b, version in rows:
                if a <= index <= b:
                    out[dependency] = version
        return out

    def requires_at(self, index: int) -> dict[str, str]:
        out: dict[str, str] = {}
        for dependency, rows in self._data["requires"].items():
            for a, b, spec in rows:
                if a <= index <= b:
                    out[dependency] = spec
        return out

    def cite(self, index: int, file: str, line: int) -> str:
        where = f"{file}:{line}" if line else file
        return f"{self.name} {self.releases[index]} {where}".rstrip()


def load_data(name: str) -> dict[str, Any]:
    """A package's data as one JSON object, its key sets read in (for tools and tests)."""
    data: dict[str, Any] = read_json("releases", f"{name}.json")
    try:
        helps: dict[str, dict[str, str]] = read_json("releases", name, "help.json")
    except OSError:
        helps = {}
    for kind in ("keys", "fields"):
        tables: dict[str, Any] = data.get(kind) or {}
        data[kind] = {
            owner: _with_help(
                read_json("releases", *file.split("/")) if isinstance(file, str) else file,
                helps.get(owner, {}),
            )
            for owner, file in tables.items()
        }
    return data


def _with_help(table: dict[str, list[list[Any]]], helps: dict[str, str]) -> dict[str, Any]:
    """The newest run of each key gets its help text back (as the build merged it)."""
    for key, runs in table.items():
        if key in helps and runs:
            runs[-1][2]["help"] = helps[key]
    return table


def _prefixes(table: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for key in table:
        pieces = key.split(".")
        out.update(".".join(pieces[:i]) for i in range(1, len(pieces)))
    out.update(p.removesuffix("[]") for p in list(out) if p.endswith("[]"))
    return out


def available() -> frozenset[str]:
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "releases")
    try:
        return frozenset(n[:-5] for n in os.listdir(folder) if n.endswith(".json"))
    except OSError:
        return frozenset()


_LOADED: dict[str, Package | None] = {}


def package(name: str) -> Package | None:
    if name not in _LOADED:
        found = name in available()
        _LOADED[name] = Package(read_json("releases", f"{name}.json")) if found else None
    return _LOADED[name]


def use(*packages: Package) -> None:
    """Read these instead of the package data (tests build them with ``merge``)."""
    _LOADED.clear()
    _LOADED.update({p.name: p for p in packages})
    from cfgguard.knowledge import keyspace

    keyspace.part.cache_clear()
