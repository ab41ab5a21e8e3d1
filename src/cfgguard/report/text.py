"""Plain text: ``path:line:col: CODE [severity] message``, one per line, then a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from cfgguard.findings import Finding
from cfgguard.report.escape import visible
from cfgguard.report.terminal import PLAIN, Palette


def render(findings: Sequence[Finding], files: int, palette: Palette = PLAIN) -> str:
    lines = [line(f, palette) for f in findings]
    lines.append(summary(findings, files))
    return "\n".join(lines) + "\n"


def line(f: Finding, palette: Palette = PLAIN) -> str:
    """One finding; path and message escaped so they cannot drive the terminal."""
    where = f"{palette.bold(visible(f.path))}:{f.line}:{f.column}:"
    what = palette.severity(f"{f.code} [{f.severity.label}]", f.severity)
    return f"{where} {what} {visible(f.message)}"


def summary(findings: Sequence[Finding], files: int) -> str:
    noun = "file" if files == 1 else "files"
    if not findings:
        return f"All checks passed ({files} {noun} checked)."
    by_severity = Counter(f.severity.label for f in findings)
    parts = [
        f"{by_severity[label]} {label}{'s' if by_severity[label] != 1 else ''}"
        for label in ("error", "warning", "info")
        if by_severity[label]
    ]
    count = len(findings)
    return (
        f"Found {count} finding{'s' if count != 1 else ''} ({', '.join(parts)}) in {files} {noun}."
    )
