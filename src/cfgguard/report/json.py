"""JSON: a list with one object per finding, 1-based positions, fix or null."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cfgguard.findings import Finding, Fix


def _fix(fix: Fix | None) -> object:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability,
        "message": fix.message,
        "edits": [
            {
                "line": e.line,
                "column": e.column,
                "end_line": e.end_line,
                "end_column": e.end_column,
                "content": e.content,
            }
            for e in fix.edits
        ],
    }


def as_dict(f: Finding) -> dict[str, object]:
    return {
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "code": f.code,
        "name": f.name,
        "severity": f.severity.label,
        "message": f.message,
        "source": f.source,
        "dialect": f.dialect,
        "fix": _fix(f.fix),
    }


def render(findings: Sequence[Finding]) -> str:
    return json.dumps([as_dict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"
