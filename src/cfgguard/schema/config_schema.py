"""JSON Schema of cfgguard's own project configuration (``[tool.cfgguard]``).

Generated from the same constants ``cfgguard.config`` validates with, so the published
schema and the loader cannot disagree.
"""

from __future__ import annotations

from typing import Any

from cfgguard.config import DIALECTS, FAIL_ON, KEYS, SEVERITIES
from cfgguard.knowledge.models import SIZE_CLASSES, module_families

_CODES = {
    "type": "array",
    "items": {"type": "string", "pattern": "^([A-Za-z][0-9]{0,3}|[Aa][Ll][Ll])$"},
}


def config_schema() -> dict[str, Any]:
    model = {
        "type": "object",
        "additionalProperties": False,
        "required": ["family", "size", "hidden_size"],
        "properties": {
            "family": {"enum": sorted(module_families())},
            "size": {"enum": list(SIZE_CLASSES)},
            "hidden_size": {"type": "integer", "minimum": 1},
            "layers": {"type": "integer", "minimum": 0},
            "tied_embeddings": {"type": "boolean"},
            "context": {"type": "integer", "minimum": 0},
        },
    }
    positive = {"type": "integer", "minimum": 1}
    properties: dict[str, Any] = {
        "select": _CODES,
        "extend-select": _CODES,
        "ignore": _CODES,
        "per-file-ignores": {"type": "object", "additionalProperties": _CODES},
        "fail-on": {"enum": list(FAIL_ON)},
        "exclude": {"type": "array", "items": {"type": "string"}},
        "dialect": {"type": "object", "additionalProperties": {"enum": list(DIALECTS)}},
        "severity": {"type": "object", "additionalProperties": {"enum": list(SEVERITIES)}},
        "models": {"type": "object", "additionalProperties": model},
        "gpu-memory": positive,
        "devices": positive,
        "dataset-size": positive,
        "target-versions": {"type": "object", "additionalProperties": {"type": "string"}},
    }
    assert set(properties) == set(KEYS)
    for key, spec in KEYS.items():
        properties[key] = {**properties[key], "description": spec.doc}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/cfgguard/cfgguard/schemas/cfgguard-config.schema.json",
        "title": "cfgguard project configuration ([tool.cfgguard] or .cfgguard.toml)",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
