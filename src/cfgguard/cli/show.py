"""``cfgguard show``: what cfgguard understood of a file (dialect, model, canonical fields)."""

from __future__ import annotations

import json
from typing import Any, cast

from cfgguard.canonical import Field, Targets
from cfgguard.check import Analysis
from cfgguard.derived.context import Settings
from cfgguard.derived.figures import effective_batch, lora_params
from cfgguard.edits.numbers import fmt
from cfgguard.keyspaces import ProjectView, document_keys
from cfgguard.records import asdict
from cfgguard.report.escape import visible
from cfgguard.yaml.nodes import Mapping


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


def describe(
    path: str, analysis: Analysis, settings: Settings, project: ProjectView | None = None
) -> dict[str, object]:
    """One JSON-ready object for a document (with ``project``: its target releases)."""
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
        "targets": [],
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
    out["targets"] = _targets(analysis, project)
    return out


def _targets(analysis: Analysis, project: ProjectView | None) -> list[dict[str, object]]:
    """Each release range the key checks use, and where it came from."""
    detection, root, config = analysis.detection, analysis.document.root, analysis.config
    reading = detection.dialect.keys if detection else None
    if project is None or reading is None or config is None or not isinstance(root, Mapping):
        return []
    keys = document_keys(reading, root, config, project)
    if keys is None:
        return []
    out: list[dict[str, object]] = []
    for name, allowed in keys.allowed.items():
        pkg = keys.package(name)
        if pkg is None:
            continue
        releases = [pkg.releases[i] for i in allowed.indexes]
        out.append(
            {
                "package": name,
                "releases": releases,
                "specifier": allowed.spec,
                "origin": allowed.origin,
                "assumed": allowed.assumed,
            }
        )
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
        for target in cast("list[dict[str, Any]]", obj.get("targets") or []):
            releases = target["releases"]
            span = releases[0] if len(releases) == 1 else f"{releases[0]} .. {releases[-1]}"
            if target["assumed"]:
                why = f"assumed: {target['origin']}"
            elif str(target["origin"]).startswith("implied by"):
                why = target["origin"]
            else:
                why = f"{target['specifier']}: {target['origin']}"
            lines.append(f"  target: {target['package']} {span} ({why})")
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
