"""Concise: ``path:line:col: CODE message``, one line per finding, then the summary line.

The shape editors' and CI problem matchers expect (``^(.+):(\\d+):(\\d+): (\\w+) (.*)$``).
Paths and messages are escaped like the text format's.
"""

from __future__ import annotations

from collections.abc import Sequence

from cfgguard.findings import Finding
from cfgguard.report.escape import visible
from cfgguard.report.terminal import PLAIN, Palette
from cfgguard.report.text import summary


def line(f: Finding, palette: Palette = PLAIN) -> str:
    where = f"{palette.bold(visible(f.path))}:{f.line}:{f.column}:"
    return f"{where} {palette.severity(f.code, f.severity)} {visible(f.message)}"


def render(
    findings: Sequence[Finding], files: int, palette: Palette = PLAIN, problems: int = 0
) -> str:
    lines = [line(f, palette) for f in findings]
    lines.append(summary(findings, files, problems))
    return "\n".join(lines) + "\n"
