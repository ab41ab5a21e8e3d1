"""Each dialect's known keys (``data/keys/<dialect>.json``, built by scripts/build_keys.py).

One ``KeyRow`` per source row: a key defined by several classes (TRL's ``beta`` in
DPOConfig, GRPOConfig, ...) has several rows. Dotted keys are nested mappings;
``a[].b`` is key ``b`` of every item of list ``a``.
"""

from __future__ import annotations

from functools import cache

from cfgguard.knowledge import read_json
from cfgguard.records import dataclass

DIALECTS = ("axolotl", "llamafactory", "trl", "torchtune", "verl", "plain")


@dataclass(frozen=True, slots=True)
class KeyRow:
    key: str
    type: str  # the framework's type, as source text
    json_types: tuple[str, ...]  # JSON Schema types; () when unknown
    default: str
    allowed: tuple[str, ...]  # a closed value list, when the source gives one
    description: str
    source: str
    context: str  # class, parser group, scope or config file
    note: str
    removed: bool  # not defined by the newest versions checked (TRL)
    user_key: bool  # False: defined but not accepted from YAML


@cache
def key_rows(dialect: str) -> tuple[KeyRow, ...]:
    data = read_json("keys", f"{dialect}.json")
    return tuple(
        KeyRow(
            **{k: v for k, v in row.items() if k not in ("json_types", "allowed")},
            json_types=tuple(row["json_types"]),
            allowed=tuple(row["allowed"]),
        )
        for row in data["keys"]
    )


@cache
def key_types(dialect: str) -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """Each key's JSON types and closed value list, merged over its rows.

    Read from ``<dialect>.types.json`` (built with the full list by
    scripts/build_keys.py): what checking needs, without parsing the full list's
    descriptions and sources on every run.
    """
    keys: dict[str, list[list[str]]] = read_json("keys", f"{dialect}.types.json")["keys"]
    return {key: (frozenset(types), tuple(allowed)) for key, (types, allowed) in keys.items()}


@cache
def key_sections(dialect: str) -> frozenset[str]:
    """The dotted prefixes of the keys: sections whose children the key list describes."""
    sections: set[str] = set()
    for key in key_types(dialect):
        parts = key.split(".")
        for i in range(1, len(parts)):
            sections.add(".".join(parts[:i]))
    return frozenset(sections)


def provenance(dialect: str) -> tuple[str, ...]:
    return tuple(read_json("keys", f"{dialect}.json")["provenance"])
