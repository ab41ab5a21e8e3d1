"""The printed report: what ran on what, the tables of medians and of ratios."""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Sequence

from .fixset import FixTiming
from .series import ImportTimes, Series
from .tools import CFGGUARD, JSONSCHEMA, YAMLLINT, JsonSchemaArgv, Tool


def fmt_s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(ours: float, other: float | None) -> str:
    return "n/a" if other is None or other == 0 else f"{ours / other:.2f}x"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines: list[str] = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_header(
    quick: bool,
    source: str,
    median_size: float,
    one: str,
    found: dict[str, Tool],
    files: Sequence[str],
    notes: list[str],
) -> None:
    print(
        f"cfgguard benchmark, {time.strftime('%Y-%m-%d')}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f}{' (--quick: times not judged)' if quick else ''}"
    )
    print(f"files: {source}; median size {median_size / 1024:.1f} KiB; 1-file case: {one}")
    for tool in found.values():
        print(f"  {tool.name}: {tool.version}")
    cjs_argv = found[JSONSCHEMA].argv if JSONSCHEMA in found else None
    if isinstance(cjs_argv, JsonSchemaArgv):
        print(
            f"  check-jsonschema --schemafile: {cjs_argv.describe([one])} for 1 file; "
            f"{cjs_argv.describe(files[:200])} for more"
        )
    if YAMLLINT in found:
        print("  yamllint config: -d default, -f parsable")
    for note in notes:
        print(note)
    sys.stdout.flush()


def print_medians(results: dict[str, dict[str, Series]], counts: dict[str, int]) -> None:
    rows = [
        ["workload", "tool", "runs", "wall median", "wall min", "CPU median", "per file", "max RSS"]
    ]
    for label, series in results.items():
        n = counts[label]
        for i, (name, s) in enumerate(series.items()):
            rows.append(
                [
                    label if i == 0 else "",
                    name,
                    str(len(s.runs)),
                    fmt_s(s.wall),
                    fmt_s(s.wall_min),
                    fmt_s(s.cpu),
                    f"{s.wall / n * 1000:.2f} ms",
                    f"{s.rss_mb:.0f} MiB",
                ]
            )
    print()
    print(table(rows))


def print_imports_and_fix(imports: ImportTimes, fix: FixTiming) -> None:
    print()
    print(
        f"-X importtime: import cfgguard.cli {fmt_s(imports.cli)} (top-level cfgguard* "
        f"cumulative); all modules {fmt_s(imports.total)} vs python -c pass "
        f"{fmt_s(imports.baseline)} (difference {fmt_s(imports.total - imports.baseline)}); "
        "import cfgguard.cli.commands, which `cfgguard check` also imports: "
        f"{fmt_s(imports.commands)}"
    )
    print(
        f"--fix: {fix.fixed} fixed by the last timed run; "
        f"{fix.changed}/{fix.files} files changed; fixes wanted: "
        + ", ".join(f"{n} {code}" for code, n in sorted(fix.mix.items()))
    )


def print_ratios(results: dict[str, dict[str, Series]], quick: bool) -> None:
    ratio_rows = [["workload", "vs check-jsonschema: wall", "CPU", "vs yamllint: wall", "CPU"]]
    for label, series in results.items():
        if CFGGUARD not in series:
            continue
        ours = series[CFGGUARD]
        row = [label]
        for other in (JSONSCHEMA, YAMLLINT):
            theirs = series.get(other)
            row.append(fmt_ratio(ours.wall, theirs.wall if theirs else None))
            row.append(fmt_ratio(ours.cpu, theirs.cpu if theirs else None))
        ratio_rows.append(row)
    print()
    print("ratios cfgguard / other tool, of the medians (below 1: cfgguard is faster)")
    print(table(ratio_rows))
    busy = [
        f"{label} {name} ({s.wall / s.cpu - 1:.0%})"
        for label, series in results.items()
        for name, s in series.items()
        if s.cpu > 0 and s.wall > 1.15 * s.cpu
    ]
    if busy and not quick:
        print(
            "note: the machine was busy: wall time exceeds CPU time by more than 15% for "
            + ", ".join(busy)
            + "; the CPU-time ratios are the steadier ones"
        )
