#!/usr/bin/env python3
"""This checkout's ``cfgguard check`` against an earlier one, in instructions.

Usage (from the repository root, with the project's virtualenv; valgrind installed)::

    git worktree add --detach /tmp/cfgguard-before ded72ce
    .venv/bin/python bench/versus.py /tmp/cfgguard-before

Both trees run the same bench corpus (``bench/run.py --corpus``'s files: the shared corpus
cycled to 284 files, dialects in turn) from byte-code, in one process pinned to one core
(so neither side starts worker processes), with ``PYTHONHASHSEED=0``, under valgrind's
callgrind, which counts the instructions the whole process executes: the same count every
run on any load, where wall-clock ratios on a shared machine swing by 20 %. Printed: one
row per case (each dialect's first file, then all 284) with both counts and their ratio;
``--limit 1.15`` makes the exit status 1 when a ratio is above it.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cfgbench import SHARED_CORPUS
from cfgbench.configs import copy_corpus

HERE = Path(__file__).resolve().parent.parent
COLLECTED = re.compile(rb"Collected : (\d+)")


def instructions(src: Path, files: list[str], cwd: Path) -> int:
    """Instructions of one ``cfgguard check`` process with ``src`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [
        *(["taskset", "-c", "0"] if shutil.which("taskset") else []),
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, "-m", "cfgguard", "check", "--output-format", "concise", *files,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    found = COLLECTED.search(done.stderr)
    if found is None:
        raise SystemExit(f"versus: no instruction count from valgrind for {src}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/versus.py", description="cfgguard check against an earlier checkout"
    )
    parser.add_argument("baseline", type=Path, help="the earlier checkout (its root)")
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    parser.add_argument("--files", type=int, default=284)
    parser.add_argument("--limit", type=float, default=None, help="fail above this ratio")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("versus: needs valgrind (apt install valgrind)", file=sys.stderr)
        return 2
    trees = {"baseline": args.baseline.resolve() / "src", "this": HERE / "src"}
    for src in trees.values():
        if not (src / "cfgguard").is_dir():
            print(f"versus: no cfgguard package in {src}", file=sys.stderr)
            return 2
        compileall.compile_dir(str(src), quiet=1)
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = copy_corpus(args.corpus, args.files, work)
        firsts: dict[str, str] = {}
        for path in paths:
            firsts.setdefault(path.split("/")[1], path)
        cases = [(f"1 file ({d})", [p]) for d, p in sorted(firsts.items())]
        cases.append((f"{len(paths)} files", paths))
        print(f"{'case':<24} {'baseline':>14} {'this':>14} {'ratio':>7}")
        for name, files in cases:
            before = instructions(trees["baseline"], files, work)
            now = instructions(trees["this"], files, work)
            worst = max(worst, now / before)
            print(f"{name:<24} {before:>14,} {now:>14,} {now / before:>7.3f}")
    if args.limit is not None and worst > args.limit:
        print(f"versus: a ratio is above {args.limit}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
