"""jsonschema errors map back to YAML positions (value, parent key, or extra key)."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cfgguard.schema.locate import locate_error
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "lr": {"type": "number"},
        "model": {
            "type": "object",
            "properties": {"rank": {"type": "integer"}, "path": {"type": "string"}},
            "required": ["path"],
            "additionalProperties": False,
        },
        "targets": {"type": "array", "items": {"type": "string"}},
    },
}


def _json(node: Node) -> object:
    # a tiny YAML -> JSON conversion that is enough for these cases
    if isinstance(node, Mapping):
        return {k.value: _json(v) for k, v in node.entries()}
    if isinstance(node, Sequence):
        return [_json(i) for i in node.items]
    assert isinstance(node, Scalar)
    text = node.value
    if node.style == "" and text.lstrip("-").isdigit():
        return int(text)
    return text


def _positions(text: str) -> list[tuple[str, int, int]]:
    root = compose(text).documents[0].root
    assert root is not None
    out: list[tuple[str, int, int]] = []
    instance: Any = _json(root)
    validator: Any = Draft202012Validator(SCHEMA)
    for error in validator.iter_errors(instance):
        extra: list[str] = []
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema["properties"]))
        located = locate_error(root, list(error.absolute_path), str(error.validator), extra)
        assert located is not None
        start = located.node.start
        out.append((str(error.validator), start.line + 1, start.column + 1))
    return sorted(out)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lr: fast\n", [("type", 1, 5)]),
        ("model:\n  rank: 8\n", [("required", 1, 1)]),
        ("model:\n  path: x\n  rnak: 8\n", [("additionalProperties", 3, 3)]),
        ("targets: [q_proj, 7]\n", [("type", 1, 19)]),
        ("model:\n  path: x\n  rank: big\n", [("type", 3, 9)]),
        ("lr: 1\nmodel: {path: x}\n", []),
    ],
)
def test_error_positions(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert _positions(text) == expected
