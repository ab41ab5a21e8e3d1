"""Plain text: ``path:line:col: CODE [severity] message``, one per line, then a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from cfgguard.findings import Finding
from cfgguard.report.escape import visible
from cfgguard.report.terminal import PLAIN, Palette


def render(
    findings: Sequence[Finding], files: int, palette: Palette = PLAIN, problems: int = 0
) -> str:
    lines = [line(f, palette) for f in findings]
    lines.append(summary(findings, files, problems))
    return "\n".join(lines) + "\n"


def line(f: Finding, palette: Palette = PLAIN) -> str:
    """One finding; path and message escaped so they cannot drive the terminal."""
    where = f"{palette.bold(visible(f.path))}:{f.line}:{f.column}:"
    what = palette.severity(f"{f.code} [{f.severity.label}]", f.severity)
    return f"{where} {what} {visible(f.message)}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def summary(findings: Sequence[Finding], files: int, problems: int = 0) -> str:
    """The closing line: findings per severity, files with findings and files checked.

    ``problems`` counts the exit-2 errors printed after the report: a run that had any
    never says "All checks passed".
    """
    trouble = f", and {_count(problems, 'problem')} reported below (exit 2)" if problems else ""
    if not findings:
        checked = f"{_count(files, 'file')} checked"
        return (
            f"No findings ({checked}){trouble}." if problems else f"All checks passed ({checked})."
        )
    by_severity = Counter(f.severity.label for f in findings)
    parts = [_count(by_severity[label], label) for label in ("error", "warning", "info")]
    shown = ", ".join(p for p in parts if not p.startswith("0 "))
    with_findings = len({f.path for f in findings})
    return (
        f"Found {_count(len(findings), 'finding')} ({shown})"
        f" in {_count(with_findings, 'file')} ({files} checked){trouble}."
    )
