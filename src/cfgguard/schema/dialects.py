"""Editor schemas, one per dialect: keys, types, enums and descriptions.

Made from the release data: the key space of a document that names no entry point, at
the releases a repository without pins gets (the framework's newest, and the newest of
the packages whose classes it extends that this release accepts): every parser but the
dialect's non-training entry points, their classes followed through their bases, or the
key sets of a YAML-tree framework as nested sections. Types come
from the fields' annotations (``knowledge.pytypes``), ``enum`` from their closed value
lists, ``deprecated`` from the framework's own deprecation text, descriptions from the
field's help with its upstream source (package, release, file:line).

Meant for yaml-language-server (``# yaml-language-server: $schema=<path>/axolotl.schema.json``):
completion, hover and type errors. Written against draft-07 keywords, which every editor
supports. Unknown keys are not rejected (no ``additionalProperties: false``): plugins
add keys, and cfgguard's own K001 explains each case better than an editor squiggle. In
the OmegaConf frameworks (torchtune, verl) any value may be a ``${...}`` interpolation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cfgguard.dialects import BY_NAME, DIALECTS
from cfgguard.dialects.base import Dialect, KeyReading
from cfgguard.knowledge.keyspace import Definition, KeySpace, assemble
from cfgguard.knowledge.pytypes import json_types
from cfgguard.knowledge.releases import package
from cfgguard.knowledge.targets import resolve
from cfgguard.records import dataclass

DIALECT_NAMES = tuple(d.name for d in DIALECTS)
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
_INTERPOLATION = {"type": "string", "pattern": r"^\$\{.+\}$"}
_MAX_TEXT = 300
_MAX_DEFAULT = 60
_OPEN_TEXT = re.compile(r"\bstr\b")  # a plain ``str`` beside the choices: others allowed
Schema = dict[str, Any]
# Values a framework's parser takes beyond the field's annotation, (package, class, field):
# TRL sets each YAML value as the argparse default as it is (trl 1.16.0
# trl/scripts/utils.py:378), so a string reaches ``ModelConfig`` unconverted; the class
# documents ``str | list[str]`` for both (trl/trainer/model_config.py:51-54) and PEFT's
# ``LoraConfig`` takes either (a string is ``all-linear`` or a full-match regex).
_WIDER: dict[tuple[str, str, str], frozenset[str]] = {
    ("trl", "ModelConfig", "lora_target_modules"): frozenset({"string"}),
    ("trl", "ModelConfig", "lora_target_parameters"): frozenset({"string"}),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One definition of a key at the release the schema describes."""

    definition: Definition
    index: int  # the release

    @property
    def attrs(self) -> dict[str, Any]:
        return self.definition.run.attrs

    @property
    def types(self) -> frozenset[str]:
        attrs = self.attrs
        found = json_types(str(attrs.get("type", "")), bool(attrs.get("choices")))
        default = str(attrs.get("default", ""))
        return found | {"null"} if found and default in ("None", "null") else found


def _newest_space(reading: KeyReading) -> tuple[KeySpace, str]:
    """The key space of a document that names no entry point (every parser but the
    dialect's non-training ones) at the releases an unpinned repository gets: the
    newest framework, and the newest dependency it accepts. Also those releases, as
    words ("trl 1.16.0, transformers 5.24.0")."""
    source = reading.source
    names = (source.lead, *source.dependencies)
    packages = [p for p in (package(n) for n in names) if p is not None]
    space = assemble(source, (), resolve(packages, {}), reading.local)
    releases = ", ".join(
        f"{p.package.name} {p.package.releases[a.indexes[-1]]}" for p, a in space.parts
    )
    return space, releases


def _entries(space: KeySpace) -> dict[str, list[Entry]]:
    """key -> its definitions at the newest release, by every class or key set read."""
    out: dict[str, list[Entry]] = {}
    for part, allowed in space.parts:
        index = allowed.indexes[-1]
        pkg = part.package
        for owner in part.owners_at(index):
            table = pkg.fields(owner) if part.kind == "classes" else pkg.keys(owner)
            for name, runs in table.items():
                run = next((r for r in runs if r.covers(index)), None)
                if run is None:
                    continue
                out.setdefault(name, []).append(Entry(Definition(pkg, owner, run), index))
                for alias in run.attrs.get("aliases", ()):
                    found = Entry(Definition(pkg, owner, run, name), index)
                    out.setdefault(str(alias), []).append(found)
    return out


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _description(key: str, entries: list[Entry]) -> str:
    """The help most definitions share (cited), then the defaults and who sets them."""
    helps = [_help(e, key) for e in entries]
    best = max(range(len(entries)), key=lambda i: (bool(helps[i]), helps.count(helps[i]), -i))
    chosen = entries[best]
    words = [helps[best] if not helps[best] or helps[best][-1] in ".!?" else helps[best] + "."]
    if chosen.definition.name and chosen.definition.name != key:
        words.append(f"Another name for {chosen.definition.name}.")
    words.append(_defaults(entries))
    text = _short(" ".join(w for w in words if w), _MAX_TEXT)
    return f"{text} ({chosen.definition.cite(chosen.index)})".strip()


def _help(entry: Entry, key: str) -> str:
    """The field's help text (kept apart from the runs: ``Package.help``)."""
    definition = entry.definition
    name = definition.name or key
    text = str(entry.attrs.get("help", "")) or definition.pkg.help(definition.owner, name)
    return text.strip()


def _defaults(entries: list[Entry]) -> str:
    """``Default: 1e-06.``, or each default with the classes (or key sets) that set it."""
    by_default: dict[str, list[str]] = {}
    for entry in entries:
        default = str(entry.attrs.get("default", ""))
        if default:
            owners = by_default.setdefault(_short(default, _MAX_DEFAULT), [])
            owners.append(entry.definition.owner)
    if len(by_default) == 1 and sum(map(len, by_default.values())) == len(entries):
        return f"Default: {next(iter(by_default))}."
    groups = [
        f"{d} ({', '.join(o[:3])}{', ...' if len(o) > 3 else ''})" for d, o in by_default.items()
    ]
    return f"Defaults: {'; '.join(groups)}." if groups else ""


def _wider(entry: Entry, key: str) -> frozenset[str]:
    d = entry.definition
    return _WIDER.get((d.pkg.name, d.owner, d.name or key), frozenset())


def _types(entries: list[Entry], key: str) -> list[str]:
    found = [e.types | _wider(e, key) if e.types else e.types for e in entries]
    if not found or not all(found):
        return []  # one definition's type is not known: no constraint
    return sorted(frozenset[str]().union(*found))


def _choices(entries: list[Entry]) -> tuple[list[str], bool]:
    """The closed value list every definition gives (empty when one gives none), and
    whether the type also takes other text (a plain ``str`` beside the choices)."""
    lists = [e.attrs.get("choices") for e in entries]
    if not all(lists):
        return [], False
    values = [str(v) for found in lists for v in found or ()]
    open_text = any(_OPEN_TEXT.search(str(e.attrs.get("type", ""))) for e in entries)
    return list(dict.fromkeys(values)), open_text


def _leaf(key: str, entries: list[Entry], interpolation: bool) -> Schema:
    types = _types(entries, key)
    choices, open_text = _choices(entries)
    out: Schema = {}
    others = [t for t in types if t not in ("string", "null")]
    enum: list[object] = [*choices, *([None] if "null" in types else [])]
    if choices and types and not others:
        out = {"anyOf": [{"enum": enum}, {"type": "string"}]} if open_text else {"enum": enum}
    elif choices and types:
        out["anyOf"] = [{"type": others if len(others) > 1 else others[0]}, {"enum": enum}]
    elif types:
        out["type"] = types if len(types) > 1 else types[0]
    if interpolation and out and "string" not in types:
        out = {"anyOf": [out, _INTERPOLATION]}
    out["description"] = _description(key, entries)
    texts = [str(e.attrs.get("deprecated", "")) for e in entries]
    if all(texts):
        out["deprecated"] = True
        replacement = str(entries[0].attrs.get("replacement", ""))
        use = f" Use {replacement}." if replacement and replacement not in texts[0] else ""
        out["deprecationMessage"] = _short(texts[0], _MAX_TEXT) + use
    return out


def _child(node: Schema, part: str) -> Schema:
    """The schema of key ``part`` under ``node`` (``a[]``: the items of list ``a``)."""
    is_list = part.endswith("[]")
    name = part[:-2] if is_list else part
    props: Schema = node.setdefault("properties", {})
    child: Schema = props.setdefault(name, {})
    return child.setdefault("items", {}) if is_list else child


def _with_children(node: Schema) -> None:
    """A key that also has children takes a mapping (or a list of them) as well."""
    shape = "object" if "properties" in node else "array" if "items" in node else ""
    kind = node.get("type")
    if not shape or kind is None:
        return
    kinds = [kind] if isinstance(kind, str) else list(kind)
    if shape not in kinds:
        node["type"] = sorted({*kinds, shape})


def _tree(entries: dict[str, list[Entry]], interpolation: bool) -> Schema:
    root: Schema = {}
    # parents first, so a section's own entry and its children's meet in one node
    for key in sorted(entries, key=lambda k: (k.count("."), k)):
        node = root
        for part in key.split(".")[:-1]:
            node = _child(node, part)
        target = _child(node, key.split(".")[-1])
        nested = {k: target.pop(k) for k in ("properties", "items") if k in target}
        target.update(_leaf(key, entries[key], interpolation))
        target.update(nested)
    for node in _nodes(root):
        _with_children(node)
    return root


def _nodes(node: Schema) -> Iterator[Schema]:
    for child in node.get("properties", {}).values():
        yield child
        yield from _nodes(child)
        if "items" in child:
            yield from _nodes(child["items"])


def _plain(reading: KeyReading) -> dict[str, Schema]:
    """A format no framework reads: its keys as the dialect declares them."""
    out: dict[str, Schema] = {}
    for local in reading.local:
        types = sorted(json_types(local.type))
        schema: Schema = {"type": types if len(types) > 1 else types[0]} if types else {}
        schema["description"] = f"{local.owner} ({local.file})" if local.file else local.owner
        out[local.name] = schema
    return out


def _interpolated(dialect: Dialect) -> bool:
    """Hydra/OmegaConf trainer configs (a YAML tree read by OmegaConf): values may be
    ``${...}`` interpolations, resolved when the config is read."""
    source = dialect.keys.source if dialect.keys else None
    return dialect.profile == "omegaconf" and source is not None and source.kind == "key_sets"


def dialect_schema(name: str) -> Schema:
    dialect = BY_NAME[name]
    reading = dialect.keys
    properties: Schema = {}
    releases = ""
    if reading is not None and reading.source.lead:
        space, releases = _newest_space(reading)
        properties = _tree(_entries(space), _interpolated(dialect)).get("properties", {})
    elif reading is not None:
        properties = _plain(reading)
    where = f" at {releases}" if releases else ""
    return {
        "$schema": DRAFT_07,
        "title": f"{name} config (cfgguard)",
        "description": (
            f"Keys of {dialect.title} training configs{where}, generated by cfgguard"
            " (python -m cfgguard.schema) from the released code. In an editor, put"
            " '# yaml-language-server: $schema=<path to this file>' on the config's first line."
        ),
        "type": "object",
        "properties": properties,
    }
