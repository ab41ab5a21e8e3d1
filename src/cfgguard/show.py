"""``cfgguard show``: what cfgguard understood of a file (dialect, model, canonical fields)."""

from __future__ import annotations

import json
from typing import Any, cast

from cfgguard.canonical import Field, Targets
from cfgguard.check import Analysis
from cfgguard.derived import effective_batch, lora_params
from cfgguard.records import asdict
from cfgguard.report.escape import visible
from cfgguard.rules.base import Settings, fmt


def _plain(value: object) -> Any:
    if isinstance(value, Targets):
        out: dict[str, object] = {"names": list(value.names)}
        if value.all_linear:
            out["all_linear"] = True
        if value.regex is not None:
            out["regex"] = value.regex
        if value.output is not None:
            out["output"] = value.output
        return out
    return value


def _field(f: Field[object]) -> dict[str, object]:
    node = f.node or f.key_node
    return {
        "value": _plain(f.value),
        "line": node.start.line + 1 if node else None,
        "column": node.start.column + 1 if node else None,
        "origin": f.origin,
        "key": f.key,
        "note": f.note,
    }


def describe(path: str, analysis: Analysis, settings: Settings) -> dict[str, object]:
    """One JSON-ready object for a document."""
    detection = analysis.detection
    out: dict[str, object] = {
        "path": path,
        "document": analysis.document.number + 1,
        "dialect": detection.dialect.name if detection else None,
        "score": detection.score if detection else None,
        "runner_up": (
            {"dialect": detection.runner_up[0], "score": detection.runner_up[1]}
            if detection and detection.runner_up
            else None
        ),
        "model": None,
        "fields": {},
    }
    if analysis.model is not None:
        facts = asdict(analysis.model)
        facts["size_class"] = analysis.model.size_class
        out["model"] = facts
    config = analysis.config
    if config is None:
        return out
    fields: dict[str, object] = {name: _field(f) for name, f in config.items()}
    batch = effective_batch(config, settings.devices)
    if batch is not None:
        fields["effective_batch_size"] = _derived(batch.value, batch.note)
    params = lora_params(config, analysis.model)
    if params is not None:
        fields["lora_trainable_params"] = _derived(params.value, params.note)
    out["fields"] = fields
    return out


def _derived(value: object, note: str) -> dict[str, object]:
    return {"value": value, "line": None, "column": None, "origin": "derived", "note": note}


def render_json(objects: list[dict[str, object]]) -> str:
    return json.dumps(objects, indent=2, ensure_ascii=False, default=str) + "\n"


def render_text(objects: list[dict[str, object]]) -> str:
    lines: list[str] = []
    for raw in objects:
        obj = cast("dict[str, Any]", raw)
        lines.append(f"{obj['path']} (document {obj['document']})")
        if obj["dialect"] is None:
            lines.append("  dialect: none recognised")
            lines.append("")
            continue
        runner = cast("dict[str, object] | None", obj["runner_up"])
        why = f"score {fmt(obj['score'])}"
        if runner is not None:
            why += f"; runner-up {runner['dialect']} with score {fmt(runner['score'])}"
        lines.append(f"  dialect: {obj['dialect']} ({why})")
        model = obj["model"]
        if isinstance(model, dict):
            lines.append(
                f"  model: {model['id']} ({model['family']}, {model['params_b']}B,"
                f" size class {model['size_class']}, hidden {model['hidden_size']},"
                f" {model['layers']} layers, tied embeddings"
                f" {'yes' if model['tied_embeddings'] else 'no'}, head {model['head_module']},"
                f" native context {model['max_position_embeddings']})"
            )
        else:
            lines.append("  model: not in the model table")
        lines.append("  fields:")
        fields = cast("dict[str, dict[str, object]]", obj["fields"])
        for name, info in fields.items():
            lines.append(f"    {name:<28} {_value_text(info['value']):<36} {_where(info)}")
        lines.append("")
    # keys, values and paths come from the file: escaped, one field per line
    return "\n".join(visible(line) for line in lines)


def _value_text(value: object) -> str:
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return fmt(value)


def _where(info: dict[str, object]) -> str:
    origin = info["origin"]
    if origin == "file":
        return f"{info['line']}:{info['column']} ({info['key']})"
    note = info.get("note") or ""
    at = f" at {info['line']}:{info['column']}" if info.get("line") else ""
    return f"{origin}{at}: {note}" if note else f"{origin}{at}"
