"""The README's rule table, generated from the registry (``python -m cfgguard.cli.docs``).

A test fails when the table in README.md drifts from the registry.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cfgguard.rules import RULES

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rules_table() -> str:
    lines = [
        "| Code | Name | Severity | Fix | What it checks | Source |",
        "|---|---|---|---|---|---|",
    ]
    for rule in RULES:
        fix = "yes" if rule.fixable else ""
        summary = rule.summary.rstrip(".")
        lines.append(
            f"| {rule.code} | {rule.name} | {rule.severity.label} | {fix} | {summary} |"
            f" {rule.source} |"
        )
    return "\n".join(lines) + "\n"


def replace_table(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{rules_table()}{END}{tail}"


def main() -> int:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"{path}: no {START} ... {END} block", file=sys.stderr)
        return 2
    path.write_text(replace_table(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
