"""Snapshots of consecutive releases -> one package's data (runs over release indexes).

A run is ``[first, last, attrs]`` with inclusive release indexes. A key's attributes
that change what a config means (type, default, choices, aliases, deprecation,
replacement) start a new run when they change; where it is written (line, file) and
its help text do not, and are those of the run's first release, so a citation reads
"<package> <first release of the run> <file>:<line>".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from cfgguard.knowledge.extract.snapshot import FieldInfo, Snapshot

SPLITTING = ("type", "default", "choices", "aliases", "deprecated", "replacement")
CARRIED = ("line", "file", "help")
Run = list[Any]  # [first, last, attrs]


def attrs(info: FieldInfo) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in SPLITTING + CARRIED:
        value: object = getattr(info, name)
        if isinstance(value, tuple):
            value = [str(v) for v in cast("tuple[object, ...]", value)]
        if value:
            out[name] = value
    return out


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(k) == b.get(k) for k in SPLITTING)


def runs(per_release: Iterable[tuple[int, dict[str, Any] | None]]) -> list[Run]:
    """Consecutive releases with equal meaning joined; ``None`` = absent there."""
    out: list[Run] = []
    previous = -2
    for index, value in per_release:
        if value is None:
            continue
        if out and previous == index - 1 and _same(out[-1][2], value):
            out[-1][1] = index
        else:
            out.append([index, index, value])
        previous = index
    return out


def merge(package: str, versions: Sequence[str], snapshots: Sequence[Snapshot]) -> dict[str, Any]:
    """The package data file for ``snapshots`` (ascending releases)."""
    releases = [s.version for s in snapshots]
    classes: dict[str, list[tuple[int, dict[str, Any] | None]]] = {}
    fields: dict[str, dict[str, list[tuple[int, dict[str, Any] | None]]]] = {}
    sets: dict[str, list[tuple[int, dict[str, Any] | None]]] = {}
    keys: dict[str, dict[str, list[tuple[int, dict[str, Any] | None]]]] = {}
    requires: dict[str, list[tuple[int, dict[str, Any] | None]]] = {}
    parsers: dict[str, list[tuple[int, dict[str, Any] | None]]] = {}
    for index, snap in enumerate(snapshots):
        for cls in snap.classes:
            head = {"file": cls.file, "line": cls.line, "bases": list(cls.bases)}
            head["type"] = " ".join(cls.bases)  # bases split runs (``type`` is splitting)
            classes.setdefault(cls.name, []).append((index, head))
            own = fields.setdefault(cls.name, {})
            for info in cls.fields:
                own.setdefault(info.name, []).append((index, attrs(info)))
        for name, entries in snap.key_sets.items():
            files = sorted({e.file for e in entries if e.file})
            sets.setdefault(name, []).append((index, {"file": files[0] if files else ""}))
            own = keys.setdefault(name, {})
            for info in entries:
                own.setdefault(info.name, []).append((index, attrs(info)))
        for name, read in snap.parsers.items():
            parsers.setdefault(name, []).append((index, {"type": list(read)}))
        for dependency, spec in snap.requires.items():
            requires.setdefault(dependency, []).append((index, {"type": spec}))
    return {
        "package": package,
        "versions": list(versions),
        "releases": releases,
        "requires": {
            dep: [[a, b, v["type"]] for a, b, v in runs(rows)]
            for dep, rows in sorted(requires.items())
        },
        "parsers": {
            name: [[a, b, v["type"]] for a, b, v in runs(rows)]
            for name, rows in sorted(parsers.items())
        },
        "classes": {
            name: [_class_run(r) for r in runs(rows)] for name, rows in sorted(classes.items())
        },
        "fields": {
            cls: {name: runs(rows) for name, rows in sorted(own.items())}
            for cls, own in sorted(fields.items())
        },
        "key_sets": {
            name: [[a, b, v["file"]] for a, b, v in runs(rows)]
            for name, rows in sorted(sets.items())
        },
        "keys": {
            name: {key: runs(rows) for key, rows in sorted(own.items())}
            for name, own in sorted(keys.items())
        },
    }


def _class_run(run: Run) -> Run:
    first, last, head = run
    return [first, last, head["file"], head["line"], head["bases"]]
