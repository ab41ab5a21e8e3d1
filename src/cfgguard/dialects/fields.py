"""A dialect's field map: the canonical fields it reads straight from one key each.

Each ``Key`` says which canonical field (or extra, ``canonical.EXTRAS``) a key of the
dialect fills, how its value is read, and what the loader uses when the key is absent
(with the upstream line that says so). The dialect's ``to_canonical`` reads its map with
``read_keys`` and works out the rest (methods, adapters, targets, precision: fields that
depend on more than one key), and ``convert`` writes a field to the same key it is read
from (``Dialect.fields``: the package's ``field_map.FIELDS``; or the ``Layout`` of the
trainer a run's method needs, ``field_map.LAYOUTS``), so the two cannot disagree on a
key's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from cfgguard.canonical import EXTRAS, Canonical, Field
from cfgguard.records import dataclass

if TYPE_CHECKING:
    from cfgguard.dialects.base import Reader


@dataclass(frozen=True, slots=True)
class Key:
    field: str  # the Canonical attribute, or the name of an extra (``canonical.EXTRAS``)
    path: str  # the dialect's key (dotted for nested sections)
    codec: Callable[[object], object]  # the value as read (None: not a value of the field)
    default: object = None  # the loader's own value when the key is absent (None: none)
    source: str = ""  # where upstream that default is set (file:line at a release)
    also: tuple[str, ...] = ()  # the key in the format's other layouts, read when ``path`` is not

    # Written out: the maps declare about seventy at import, and a generated __init__
    # would make every run parse Python source for it (see cfgguard.records)
    def __init__(
        self,
        field: str,
        path: str,
        codec: Callable[[object], object],
        default: object = None,
        source: str = "",
        also: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "codec", codec)
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "also", also)


def read_keys(reader: Reader, config: Canonical, keys: Iterable[Key]) -> None:
    """Fill each key's field: its value when written, else the loader's default."""
    for key in keys:
        found: Field[object] | None
        if key.also:  # the first layout the file uses (convert writes ``path``)
            paths = [key.path, *key.also]
            found = reader.first(paths, key.codec)
            written = found is not None or any(reader.has(p) for p in paths)
            if not written and key.default is not None:
                found = reader.default(_where(reader, paths), key.default, key.source)
        elif key.default is None:
            found = reader.field(key.path, key.codec)
        else:
            found = reader.field_or_default(key.path, key.codec, key.default, key.source)
        if key.field not in EXTRAS:
            setattr(config, key.field, found)
        elif found is not None:
            config.extra[key.field] = found


def _where(reader: Reader, paths: list[str]) -> str:
    """Where an absent key's default would go: in the first layout whose section the file
    has (``policy_model.lora_rank`` in a PPO recipe), else in the main one."""
    for path in paths:
        section = path.rpartition(".")[0]
        if section and reader.has(section):
            return path
    return paths[0]


def key_for(keys: Iterable[Key], field: str) -> str | None:
    """The dialect's key for a canonical field (None: not in the map)."""
    return next((key.path for key in keys if key.field == field), None)


@dataclass(frozen=True, slots=True)
class Layout:
    """The keys of one of a format's trainers (verl: the PPO trainer's, the SFT trainer's):
    ``convert`` writes a run in the layout of the trainer its method needs."""

    title: str  # "verl's SFT trainer": said of a field the layout has no key for
    methods: frozenset[str]  # the methods written in this layout (empty: every other)
    keys: tuple[Key, ...]

    def __init__(self, title: str, methods: frozenset[str], keys: tuple[Key, ...]) -> None:
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "methods", methods)
        object.__setattr__(self, "keys", keys)


def layout_for(layouts: Iterable[Layout], method: str | None) -> Layout:
    """The layout a run of ``method`` is written in: the one naming it, else the catch-all."""
    every = list(layouts)
    named = next((lay for lay in every if method is not None and method in lay.methods), None)
    return named or next(lay for lay in every if not lay.methods)


__all__ = ["Key", "Layout", "key_for", "layout_for", "read_keys"]
