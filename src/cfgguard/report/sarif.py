"""SARIF 2.1.0 (OASIS), for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` lists every registered rule (id = code, name, short and
full description, help = the rule's Markdown documentation, ``helpUri``, default level);
``results`` reference them by ``ruleId`` and ``ruleIndex``. Locations are relative URIs
(forward slashes, percent-encoded) resolved against the repository root, columns are
Unicode code points (``run.columnKind``), ``endColumn`` is exclusive. A finding with a fix
carries ``fixes[].artifactChanges[].replacements[]``.

``helpUri`` scheme: ``HELP_URI`` (the README's "Rules" section, which lists every code);
the rule's full documentation is in ``help`` itself and in ``cfgguard rule CODE``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import Protocol

from cfgguard import __version__
from cfgguard.findings import Finding, Fix, Severity
from cfgguard.report.paths import artifact_uri

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/cfgguard/cfgguard"
HELP_URI = f"{INFORMATION_URI}#rules"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

Json = dict[str, object]


class RuleMeta(Protocol):
    """What SARIF needs of a rule (``cfgguard.rules.base.Rule`` provides it)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def source(self) -> str: ...
    @property
    def doc(self) -> str: ...
    @property
    def summary(self) -> str: ...


def _section(doc: str, title: str) -> str | None:
    """The text of ``## title`` in a rule's documentation, as one paragraph."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
    if match is None or not match.group(1).strip():
        return None
    return " ".join(match.group(1).split())


def rule_descriptor(rule: RuleMeta) -> Json:
    doc = rule.doc.strip() or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _section(doc, "What it does") or rule.summary},
        "help": {"text": doc, "markdown": doc},
        "helpUri": HELP_URI,
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"source": rule.source},
    }


def _ad_hoc_descriptor(f: Finding) -> Json:
    """A descriptor for a code the registry does not list (kept valid, never dropped)."""
    return {
        "id": f.code,
        "name": f.name,
        "shortDescription": {"text": f.name},
        "helpUri": HELP_URI,
        "defaultConfiguration": {"level": LEVEL[f.severity]},
    }


def _region(line: int, column: int, end_line: int, end_column: int) -> Json:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _fixes(fix: Fix | None, uri: str) -> list[Json]:
    if fix is None or not fix.edits:
        return []
    replacements: list[Json] = [
        {
            "deletedRegion": _region(e.line, e.column, e.end_line, e.end_column),
            "insertedContent": {"text": e.content},
        }
        for e in fix.edits
    ]
    return [
        {
            "description": {"text": fix.message or "cfgguard fix"},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
            "properties": {"applicability": fix.applicability},
        }
    ]


def _properties(f: Finding) -> Json:
    props: Json = {"name": f.name, "source": f.source}
    if f.dialect is not None:
        props["dialect"] = f.dialect
    return props


def result(f: Finding, rule_index: int, root: str) -> Json:
    uri = artifact_uri(f.path, root)
    out: Json = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": _region(f.line, f.column, f.end_line, f.end_column),
                }
            }
        ],
        "properties": _properties(f),
    }
    fixes = _fixes(f.fix, uri)
    if fixes:
        out["fixes"] = fixes
    return out


def sarif_log(findings: Sequence[Finding], rules: Sequence[RuleMeta], root: str) -> Json:
    descriptors = [rule_descriptor(r) for r in rules]
    index = {r.code: i for i, r in enumerate(rules)}
    results: list[Json] = []
    for f in findings:
        if f.code not in index:
            index[f.code] = len(descriptors)
            descriptors.append(_ad_hoc_descriptor(f))
        results.append(result(f, index[f.code], root))
    driver: Json = {
        "name": "cfgguard",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": descriptors,
    }
    run: Json = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(findings: Sequence[Finding], rules: Sequence[RuleMeta], root: str | None = None) -> str:
    log = sarif_log(findings, rules, os.getcwd() if root is None else root)
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
