"""Deprecated, removed and renamed keys per dialect (``data/deprecations.json``).

Each ``Deprecation`` says what happened to one key (or one value of a key) in one
dialect, from which release on (``package`` + ``version``; ``None``: at the commit the
dialect notes read), and what to write instead. A dialect may list the same key twice
with different versions (transformers deprecated ``warmup_ratio`` in 5.0 and removed it
in 5.15): ``applicable`` picks the newest entry at or below a set of target versions.

Keys are dotted paths (``a[].b`` for key ``b`` of every item of list ``a``); a key may be
an ``fnmatch`` pattern (``fsdp_config.fsdp_*``) with ``exclude`` exceptions.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import cache
from typing import Any, Literal

from cfgguard.knowledge import read_json
from cfgguard.records import dataclass

Status = Literal["error", "warning", "deprecated"]
When = Literal["present", "set", "truthy"]
_STATUSES: tuple[Status, ...] = ("error", "warning", "deprecated")
_WHENS: tuple[When, ...] = ("present", "set", "truthy")


@dataclass(frozen=True, slots=True)
class Deprecation:
    dialect: str
    key: str  # dotted path or fnmatch pattern
    replacement: str | None
    status: Status  # error: refused; warning: ignored; deprecated: still mapped
    package: str  # whose release the version is (transformers, trl, axolotl...)
    version: str | None  # where this status begins; None: at the commit the notes read
    change: str  # what happened, in words ("removed in transformers 5.15.0")
    source: str  # the notes' section and the framework's code
    when: When = "set"  # present (even null), set (not null), truthy
    values: tuple[str, ...] = ()  # only these values (fnmatch patterns)
    methods: tuple[str, ...] = ()  # only for these canonical methods
    exclude: tuple[str, ...] = ()  # paths a pattern key does not cover
    conflicts_with: str | None = None  # with this key also set, the framework refuses both

    @property
    def is_pattern(self) -> bool:
        return _is_pattern(self.key)

    def matches(self, path: str) -> bool:
        if path in self.exclude:
            return False
        if self.is_pattern:
            return fnmatchcase(path, self.key)
        return path == self.key


def _is_pattern(key: str) -> bool:
    return "*" in key or "?" in key  # `[]` marks list items, never a class


def parse_version(text: str) -> tuple[int, ...]:
    """``"5.15.0"`` -> ``(5, 15, 0)``; suffixes (``.dev0``, ``rc1``) are dropped."""
    parts: list[int] = []
    for piece in text.strip().lstrip("v").split("."):
        match = re.match(r"\d+", piece)
        if match is None:
            break
        parts.append(int(match.group()))
    return tuple(parts)


def _entry(raw: dict[str, Any]) -> Deprecation:
    status = raw["status"]
    when = raw.get("when", "set")
    if status not in _STATUSES or when not in _WHENS:
        raise ValueError(f"bad deprecation entry: {raw}")
    return Deprecation(
        dialect=raw["dialect"],
        key=raw["key"],
        replacement=raw.get("replacement"),
        status=status,
        package=raw["package"],
        version=raw.get("version"),
        change=raw["change"],
        source=raw["source"],
        when=when,
        values=tuple(raw.get("values", ())),
        methods=tuple(raw.get("methods", ())),
        exclude=tuple(raw.get("exclude", ())),
        conflicts_with=raw.get("conflicts_with"),
    )


@cache
def _raw(dialect: str | None) -> tuple[dict[str, Any], ...]:
    entries: list[dict[str, Any]] = read_json("deprecations.json")["deprecations"]
    return tuple(e for e in entries if dialect is None or e["dialect"] == dialect)


@cache
def _entry_at(dialect: str | None, position: int) -> Deprecation:
    return _entry(_raw(dialect)[position])


def deprecations(dialect: str | None = None) -> tuple[Deprecation, ...]:
    """Every entry, or one dialect's, in file order."""
    return tuple(_entry_at(dialect, i) for i in range(len(_raw(dialect))))


def has_entries(dialect: str) -> bool:
    return bool(_raw(dialect))


@cache
def _index(dialect: str) -> tuple[dict[str, list[int]], tuple[int, ...]]:
    """Exact key -> entry positions, and the positions of glob entries.

    Read from the raw data: a check looks up a few dozen keys, so only the entries it
    meets are built.
    """
    exact: dict[str, list[int]] = {}
    patterns: list[int] = []
    for i, raw in enumerate(_raw(dialect)):
        key: str = raw["key"]
        if _is_pattern(key):
            patterns.append(i)
        else:
            exact.setdefault(key, []).append(i)
    return exact, tuple(patterns)


@cache
def lookup(dialect: str, path: str) -> tuple[Deprecation, ...]:
    """The entries for a key path (any version, value or method), in file order."""
    exact, patterns = _index(dialect)
    found = (_entry_at(dialect, i) for i in sorted([*exact.get(path, ()), *patterns]))
    return tuple(entry for entry in found if entry.matches(path))


def listed(dialect: str, path: str) -> bool:
    """Whether K002 owns this key path (K001 leaves such keys to it)."""
    return bool(lookup(dialect, path))


def applicable(entries: tuple[Deprecation, ...], targets: dict[str, str]) -> Deprecation | None:
    """The newest entry whose release is at or below the targets.

    An entry without a version applies always; an entry for a package the targets do
    not name applies too (the notes read that package's newest code).
    """
    best: Deprecation | None = None
    best_version: tuple[int, ...] = ()
    for entry in entries:
        version = parse_version(entry.version) if entry.version else ()
        target = targets.get(entry.package)
        if version and target is not None and parse_version(target) < version:
            continue
        if best is None or version >= best_version:
            best, best_version = entry, version
    return best
