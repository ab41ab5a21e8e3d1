"""Validate a canonical config against the generated canonical schema.

The instance holds the canonical values that are set (a field the config does not
state and no default fills is absent, so nothing is reported about it), ``is_rl``, and
the model's facts when the model is known: ``size_class``, ``is_moe``,
``active_experts``, ``hidden_size``. For an unknown model those are absent, so the
size-dependent branches do not apply. Each validation error whose subschema carries an
``x-cfgguard`` annotation becomes a ``Violation``; errors without one (plain type
checks) are not findings. A value can fail several subschemas of one code (outside a
range, and far outside it): one violation per code and field is kept, the most severe.
Validation uses ``schema.evaluate`` (only the generated keywords, no jsonschema import
on the check path); tests/test_schema_evaluate.py compares it with jsonschema.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, cast

from cfgguard.canonical import Canonical
from cfgguard.findings import Severity
from cfgguard.knowledge.models import ModelFacts
from cfgguard.schema.evaluate import failures, valid
from cfgguard.schema.generate import PROPERTIES, canonical_schema
from cfgguard.schema.violation import Violation


@cache
def _schema() -> Mapping[str, Any]:
    return canonical_schema()


def instance(config: Canonical, model: ModelFacts | None) -> dict[str, object]:
    """The JSON instance for one config (only set, JSON-representable fields)."""
    out: dict[str, object] = {}
    for name, fld in config.items():
        if name in PROPERTIES and isinstance(fld.value, str | int | float | bool):
            out[name] = fld.value
    out["is_rl"] = config.is_rl
    if model is not None:
        out["size_class"] = model.size_class
        out["is_moe"] = model.is_moe
        out["hidden_size"] = model.hidden_size
        if model.active_experts is not None:
            out["active_experts"] = model.active_experts
    return out


def _violation(
    schema: Mapping[str, Any], path: tuple[str, ...], inst: Mapping[str, object]
) -> Violation | None:
    note = cast("dict[str, Any] | None", schema.get("x-cfgguard"))
    if note is None or len(path) != 1:
        return None
    field = path[0]
    return Violation(
        code=note["code"],
        field=field,
        value=inst[field],
        minimum=note.get("minimum"),
        maximum=note.get("maximum"),
        row=note["row"],
        detail=note.get("detail", ""),
        severity=Severity.parse(note["severity"]),
    )


@cache
def _conditions() -> tuple[str, ...]:
    """The fields the ``if`` of any branch reads (method, adapter, size class, ...)."""
    names: set[str] = set()
    for branch in _schema().get("allOf", ()):
        if "if" in branch:
            names |= _reads(branch["if"])
    return tuple(sorted(names))


def _reads(schema: object) -> set[str]:
    """The instance's top-level fields a (sub)schema reads: its ``properties`` and ``required``,
    also under ``not`` / ``allOf`` / ``anyOf`` / ``if`` / ``then`` / ``else``."""
    if not isinstance(schema, Mapping):
        return set()
    node = cast("Mapping[str, Any]", schema)
    names = set(node.get("properties", {})) | set(node.get("required", ()))
    for key in ("not", "if", "then", "else"):
        names |= _reads(node.get(key))
    for key in ("allOf", "anyOf"):
        for sub in node.get(key, ()):
            names |= _reads(sub)
    return names


@cache
def _active(key: tuple[tuple[str, object], ...]) -> dict[str, Any]:
    """The schema reduced to the branches that apply for these condition values.

    A branch ``{if, then, else}`` becomes its ``then`` when the ``if`` holds and its
    ``else`` otherwise (either may be absent: nothing applies); its other keywords stay.
    Configs share a handful of (method, adapter, size class) combinations, so the 41
    ``if`` evaluations run once per combination instead of once per file.
    """
    selector = dict(key)
    schema = {k: v for k, v in _schema().items() if k != "allOf"}
    kept: list[Mapping[str, Any]] = []
    for branch in _schema().get("allOf", ()):
        if "if" not in branch:
            kept.append(branch)
            continue
        rest = {k: v for k, v in branch.items() if k not in ("if", "then", "else")}
        chosen = branch.get("then" if valid(branch["if"], selector) else "else")
        kept.extend(part for part in (rest, chosen) if part is not None and part != {})
    schema["allOf"] = kept
    return schema


def violations(config: Canonical, model: ModelFacts | None) -> list[Violation]:
    inst = instance(config, model)
    kept: dict[tuple[str, str], Violation] = {}
    key = tuple((name, inst[name]) for name in _conditions() if name in inst)
    for schema, path in failures(_active(key), inst):
        found = _violation(schema, path, inst)
        if found is None:
            continue
        key = (found.code, found.field)
        before = kept.get(key)
        if before is None or (found.severity or 0) > (before.severity or 0):
            kept[key] = found
    return list(kept.values())
