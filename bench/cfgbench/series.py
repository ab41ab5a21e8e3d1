"""Repetitions of the timed commands, interleaved, and their medians."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .launch import Crash, Run, crashed, run
from .tools import CFGGUARD


@dataclass
class Series:
    label: str
    runs: list[Run] = field(default_factory=list[Run])

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def wall_min(self) -> float:
        return min(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(r.maxrss_kb for r in self.runs) / 1024


def interleave(
    jobs: dict[str, Callable[[], Run]],
    reps: int,
    before: Callable[[str], None] | None = None,
) -> dict[str, Series]:
    """Run every job once per repetition, the order rotating; ``before`` runs untimed."""
    series = {name: Series(name) for name in jobs}
    names = list(jobs)
    for rep in range(reps):
        shift = rep % len(names)
        for name in names[shift:] + names[:shift]:
            if before is not None:
                before(name)
            result = jobs[name]()
            if name.startswith(CFGGUARD) and crashed(result):
                raise Crash(f"{name} exited {result.code}:\n{result.stderr}")
            series[name].runs.append(result)
    return series


def parse_importtime(stderr: str) -> list[tuple[str, float, float]]:
    """``-X importtime`` lines as (name with its indent, self s, cumulative s)."""
    out: list[tuple[str, float, float]] = []
    for line in stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not line.startswith("import time:") or "self [us]" in line:
            continue
        out.append((parts[2][1:], float(parts[0].split(":")[1]) / 1e6, float(parts[1]) / 1e6))
    return out


def importtime(python: str, code: str, cwd: Path) -> tuple[float, float]:
    """(sum of every module's self time, cumulative time of top-level cfgguard imports)."""
    result = run([python, "-X", "importtime", "-c", code], cwd)
    if crashed(result) or result.code != 0:
        raise Crash(f"python -c {code!r} exited {result.code}:\n{result.stderr}")
    lines = parse_importtime(result.stderr)
    ours = sum(cum for name, _, cum in lines if name.startswith("cfgguard"))
    return sum(self_s for _, self_s, _ in lines), ours


@dataclass(frozen=True)
class ImportTimes:
    """The startup runs, and ``-X importtime`` medians in seconds."""

    series: dict[str, Series]
    cli: float  # top-level cfgguard* cumulative time of ``import cfgguard.cli``
    total: float  # every module's self time, ``import cfgguard.cli``
    baseline: float  # the same, ``python -c pass``
    commands: float  # top-level cfgguard* cumulative time of ``import cfgguard.cli.commands``


def time_imports(python: str, work: Path, reps: int) -> ImportTimes:
    import_jobs: dict[str, Callable[[], Run]] = {
        "python -c pass": lambda: run([python, "-c", "pass"], work),
        "python -c 'import cfgguard.cli'": lambda: run([python, "-c", "import cfgguard.cli"], work),
        "python -c 'import cfgguard.cli.commands'": lambda: run(
            [python, "-c", "import cfgguard.cli.commands"], work
        ),
    }
    import_series = interleave(import_jobs, reps)
    cli_totals: list[float] = []
    cli_ours: list[float] = []
    pass_totals: list[float] = []
    commands_ours: list[float] = []
    for _ in range(reps):
        pass_totals.append(importtime(python, "pass", work)[0])
        total, ours = importtime(python, "import cfgguard.cli", work)
        cli_totals.append(total)
        cli_ours.append(ours)
        commands_ours.append(importtime(python, "import cfgguard.cli.commands", work)[1])
    return ImportTimes(
        import_series,
        statistics.median(cli_ours),
        statistics.median(cli_totals),
        statistics.median(pass_totals),
        statistics.median(commands_ours),
    )
