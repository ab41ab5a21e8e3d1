"""Grouped: findings under their file's name, ``line:col CODE [severity] message``.

::

    configs/dpo.yaml:
      13:9  L002 [warning] LoRA rank 64 is above the RL range ...
      21:16 R002 [warning] learning rate 5e-7 is at the DPO full fine-tune level ...

    Found 2 findings (2 warnings) in 1 file.

Files appear in the order of their first finding; paths and messages are escaped
like the text format's.
"""

from __future__ import annotations

from collections.abc import Sequence

from cfgguard.findings import Finding
from cfgguard.report.escape import visible
from cfgguard.report.terminal import PLAIN, Palette
from cfgguard.report.text import summary


def _group(path: str, findings: list[Finding], palette: Palette) -> list[str]:
    width = max(len(f"{f.line}:{f.column}") for f in findings)
    lines = [f"{palette.bold(visible(path))}:"]
    for f in findings:
        where = f"{f.line}:{f.column}".ljust(width)
        what = palette.severity(f"{f.code} [{f.severity.label}]", f.severity)
        lines.append(f"  {palette.dim(where)} {what} {visible(f.message)}")
    lines.append("")
    return lines


def render(
    findings: Sequence[Finding], files: int, palette: Palette = PLAIN, problems: int = 0
) -> str:
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    lines: list[str] = []
    for path, group in by_path.items():
        lines.extend(_group(path, group, palette))
    lines.append(summary(findings, files, problems))
    return "\n".join(lines) + "\n"
