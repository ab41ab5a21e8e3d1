"""JSON types of a field's type text, and the Enum its closed value list comes from.

Looked up in the table the knowledge build stores per package (``types`` in
``<package>.json``, made by ``knowledge.typeparse`` from every type text that package's
data holds); a text the table lacks (an annotation of the repository's own argument
classes) is parsed then, by ``knowledge.typeparse``.
"""

from __future__ import annotations

from functools import cache

from cfgguard.knowledge.releases import package as package_data

Types = frozenset[str]
UNKNOWN: Types = frozenset()


@cache
def json_types(text: str, enums: bool = False, package: str = "") -> Types:
    """The JSON types of a value of type ``text``; empty when not known.

    ``enums``: the field has a closed value list (see ``typeparse.json_types``).
    ``package``: the package whose data records ``text`` (its table is asked first).
    """
    if not text.strip():
        return UNKNOWN  # no type written down
    row = _row(text, package)
    if row is not None:
        return frozenset(row[1] if enums else row[0])
    from cfgguard.knowledge import typeparse

    return typeparse.json_types(text, enums)


@cache
def enum_name(text: str, package: str = "") -> str:
    """The Enum class ``text`` names (see ``typeparse.enum_name``); ""."""
    if not text.strip():
        return ""
    row = _row(text, package)
    if row is not None:
        return row[2]
    from cfgguard.knowledge import typeparse

    return typeparse.enum_name(text)


def _row(text: str, package: str) -> tuple[list[str], list[str], str] | None:
    data = package_data(package) if package else None
    return data.annotation(text) if data is not None else None
