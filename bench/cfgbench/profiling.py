"""``--profile``: where cfgguard's time goes (-X importtime by package, cProfile)."""

from __future__ import annotations

import pstats
import subprocess
from pathlib import Path

from .launch import ENV, run
from .report import fmt_s
from .series import parse_importtime

PROFILE_CODE = """
import cProfile, io, sys
out, files = sys.argv[1], sys.argv[2:]
prof = cProfile.Profile()
stdout = sys.stdout
sys.stdout = io.StringIO()
prof.enable()
from cfgguard.cli import main
main(["check", "--output-format", "concise", *files])
prof.disable()
sys.stdout = stdout
prof.dump_stats(out)
"""


def _where(filename: str) -> str:
    """A profiled function's file, shortened: ``cfgguard/rules/x.py``, ``yaml/x.py``."""
    if filename == "~":
        return "(built-in functions: exec, isinstance, ...)"
    if filename.startswith("<"):
        return filename
    for marker in ("/src/", "/site-packages/", "/python3.", "/lib/"):
        if marker in filename:
            tail = filename.rsplit(marker, 1)[1]
            return tail.split("/", 1)[1] if marker == "/python3." else tail
    return filename


def print_profile(path: Path, total_files: int) -> None:
    stats = pstats.Stats(str(path))
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = getattr(
        stats, "stats", {}
    )
    by_file: dict[str, float] = {}
    rules: list[tuple[float, str]] = []
    for (filename, _line, func), (_cc, _nc, tottime, cumtime, _callers) in raw.items():
        where = _where(filename)
        by_file[where] = by_file.get(where, 0.0) + tottime
        if "cfgguard/rules/" in where and func == "check":
            rules.append((cumtime, where.rsplit("/", 1)[1].removesuffix(".py")))
    total = sum(by_file.values())
    print(f"-- own time (tottime) by source file, of {fmt_s(total)} profiled")
    for where, seconds in sorted(by_file.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {seconds * 1000:8.1f} ms  {seconds / total:5.1%}  {where}")
    if total_files > 1:
        print(f"-- rules: cumulative time of check() over {total_files} files")
        for seconds, rule in sorted(rules, reverse=True)[:15]:
            print(f"  {seconds * 1000:8.1f} ms  {seconds / total:5.1%}  {rule}")
    print("-- top 25 functions by cumulative time")
    stats.sort_stats("cumulative").print_stats(25)


def profile(files: list[str], cwd: Path, python: str) -> None:
    """Print -X importtime grouped by package and cProfile for 1 file and all ``files``."""
    run([python, "-m", "cfgguard", "check", *files], cwd)  # warm-up: .pyc files
    result = run(
        [
            python,
            "-X",
            "importtime",
            "-m",
            "cfgguard",
            "check",
            "--output-format",
            "concise",
            files[0],
        ],
        cwd,
    )
    per: dict[str, float] = {}
    groups: dict[str, float] = {}
    for name, self_s, _ in parse_importtime(result.stderr):
        name = name.strip()  # noqa: PLW2901
        per[name] = self_s
        pieces = name.split(".")
        group = ".".join(pieces[:2]) if pieces[0] == "cfgguard" else pieces[0]
        groups[group] = groups.get(group, 0.0) + self_s
    print(f"== -X importtime of `cfgguard check` on 1 file: {fmt_s(sum(per.values()))} in total")
    print("-- by package (self time summed; cfgguard split by subpackage)")
    for name, seconds in sorted(groups.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {seconds * 1000:8.1f} ms  {name}")
    print("-- slowest single modules (self time)")
    for name, seconds in sorted(per.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {seconds * 1000:8.1f} ms  {name}")
    for subset in (files[:1], files):
        print(f"\n== cProfile of cfgguard.cli.main(['check', ...]), {len(subset)} file(s)")
        prof = cwd / f"profile-{len(subset)}.prof"
        proc = subprocess.run(
            [python, "-c", PROFILE_CODE, str(prof), *subset],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            env=ENV,
        )
        if proc.returncode != 0 or not prof.exists():
            print(proc.stderr)
            continue
        print_profile(prof, len(subset))
