"""A small evaluator for the JSON Schema keywords the generated canonical schema uses.

The check path validates one small instance per document; importing and building
jsonschema's validator costs more than all the rest of a run (about 80 ms of imports).
This evaluator covers exactly the keywords ``generate.py`` emits and reports failures
the way jsonschema does (the failing subschema and the instance path), so violations map
to rule codes the same way. tests/test_schema_evaluate.py checks it against jsonschema.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

SUPPORTED = frozenset(
    {
        "$schema", "$id", "title", "description", "x-cfgguard", "type", "enum", "const",
        "not", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "properties",
        "required", "allOf", "anyOf", "if", "then", "else",
    }
)  # fmt: skip

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "null": (type(None),),
}

Schema = Mapping[str, Any]
Failure = tuple[Schema, tuple[str, ...]]


def _is_type(value: object, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES[name])


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _leaf_ok(schema: Schema, value: object) -> bool:
    if "type" in schema:
        raw: object = schema["type"]
        names = [str(n) for n in cast("list[object]", raw)] if isinstance(raw, list) else [str(raw)]
        if not any(_is_type(value, n) for n in names):
            return False
    if "enum" in schema and not any(_equal(value, e) for e in _items(schema["enum"])):
        return False
    if "const" in schema and not _equal(value, schema["const"]):
        return False
    if _number(value):
        v = float(cast(float, value))
        if "minimum" in schema and v < schema["minimum"]:
            return False
        if "maximum" in schema and v > schema["maximum"]:
            return False
        if "exclusiveMinimum" in schema and v <= schema["exclusiveMinimum"]:
            return False
        if "exclusiveMaximum" in schema and v >= schema["exclusiveMaximum"]:
            return False
    return True


def _items(value: object) -> list[object]:
    return cast("list[object]", value) if isinstance(value, list) else []


def _as_dict(value: object) -> dict[str, object] | None:
    return cast("dict[str, object]", value) if isinstance(value, dict) else None


def _sub(value: object) -> Schema:
    return cast(Schema, value) if isinstance(value, Mapping) else {}  # pyright: ignore[reportUnknownArgumentType]


def _equal(a: object, b: object) -> bool:
    # JSON equality: True is not 1
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def failures(schema: Schema, value: object, path: tuple[str, ...] = ()) -> Iterator[Failure]:
    """Each failing subschema with the instance path, as jsonschema's leaf errors."""
    if not _leaf_ok(schema, value):
        yield schema, path
    obj = _as_dict(value)
    if obj is not None:
        for key, sub in _sub(schema.get("properties")).items():
            if key in obj:
                yield from failures(_sub(sub), obj[key], (*path, key))
        if any(key not in obj for key in _items(schema.get("required"))):
            yield schema, path
    for sub in _items(schema.get("allOf")):
        yield from failures(_sub(sub), value, path)
    if "anyOf" in schema and not any(valid(_sub(s), value) for s in _items(schema["anyOf"])):
        yield schema, path
    if "not" in schema and valid(_sub(schema["not"]), value):
        yield schema, path
    if "if" in schema:
        branch = "then" if valid(_sub(schema["if"]), value) else "else"
        if branch in schema:
            yield from failures(_sub(schema[branch]), value, path)


def valid(schema: Schema, value: object) -> bool:
    return next(failures(schema, value), None) is None


def unsupported(schema: object) -> set[str]:
    """Keywords the evaluator does not implement (must be empty for generated schemas)."""
    found: set[str] = set()
    mapping = _sub(schema)
    if mapping:
        for key, sub in mapping.items():
            if key == "properties":
                for inner in _sub(sub).values():
                    found |= unsupported(inner)
                continue
            if key not in SUPPORTED:
                found.add(key)
            if key not in ("enum", "const", "required", "x-cfgguard"):
                found |= unsupported(sub)
    else:
        for item in _items(schema):
            found |= unsupported(item)
    return found
