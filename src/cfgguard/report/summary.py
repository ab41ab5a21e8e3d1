"""A Markdown summary of a check, for GitHub's job summary (``$GITHUB_STEP_SUMMARY``).

Counts per severity and per (code, severity), then every finding in a collapsed table
(at most ``MAX_ROWS``). Paths and messages are escaped: control characters made visible,
HTML special characters as entities, Markdown punctuation backslash-escaped, so a file
name or message cannot inject markup into the page.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence

from cfgguard.findings import Finding, Severity
from cfgguard.report.escape import visible

MAX_ROWS = 200
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return _MARKDOWN.sub(r"\\\1", html.escape(visible(text), quote=False))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _headline(findings: Sequence[Finding], fail_on: str, exit_code: int) -> list[str]:
    if exit_code == 2:  # never "passed": a path or setting could not be read
        head = "**The check failed**: usage or I/O errors (exit code 2); see the annotations."
        found = _plural(len(findings), "finding")
        return [head, "", f"{found} in the files that could be read."]
    if not findings:
        return ["**No findings.**"]
    files = len({f.path for f in findings})
    verdict = "failed" if exit_code == 1 else "passed"
    return [
        f"**{_plural(len(findings), 'finding')}** in {_plural(files, 'file')};"
        f" the check {verdict} (fail on: `{md(fail_on)}`).",
    ]


def _severity_table(findings: Sequence[Finding]) -> list[str]:
    counts = Counter(f.severity for f in findings)
    rows = [f"| {s.label} | {counts[s]} |" for s in sorted(counts, reverse=True)]
    return ["| Severity | Findings |", "|---|---:|", *rows]


def _code_table(findings: Sequence[Finding]) -> list[str]:
    counts = Counter((f.code, f.name, f.severity) for f in findings)
    order: list[tuple[str, str, Severity]] = sorted(counts, key=lambda k: (-k[2], k[0]))
    rows = [f"| {md(c)} | {md(n)} | {s.label} | {counts[(c, n, s)]} |" for c, n, s in order]
    return ["| Code | Name | Severity | Findings |", "|---|---|---|---:|", *rows]


def _finding_rows(findings: Sequence[Finding]) -> list[str]:
    rows = [
        f"| {md(f.path)} | {f.line}:{f.column} | {md(f.code)} | {f.severity.label}"
        f" | {md(f.message)} |"
        for f in findings[:MAX_ROWS]
    ]
    more = len(findings) - MAX_ROWS
    tail = ["", f"... and {more} more (see the annotations or the SARIF file)."] if more > 0 else []
    return [
        "<details><summary>All findings</summary>",
        "",
        "| File | Position | Code | Severity | Message |",
        "|---|---|---|---|---|",
        *rows,
        *tail,
        "",
        "</details>",
    ]


def render(findings: Sequence[Finding], fail_on: str, exit_code: int) -> str:
    lines = ["## cfgguard", "", *_headline(findings, fail_on, exit_code)]
    if findings:
        lines += ["", *_severity_table(findings), "", *_code_table(findings), ""]
        lines += _finding_rows(findings)
    return "\n".join(lines) + "\n"
