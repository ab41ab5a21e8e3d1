#!/usr/bin/env python3
"""Benchmark ``cfgguard check`` against check-jsonschema and yamllint on the same YAML files.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python bench/run.py            # full run: 1, 200 and 10,000 files (several minutes)
    .venv/bin/python bench/run.py --quick    # CI smoke run: small N, one repetition, no judging
    .venv/bin/python bench/run.py --corpus   # ../shared/corpus's files instead of generated ones
    .venv/bin/python bench/run.py --profile  # where cfgguard's time goes (imports, cProfile)

What it measures, all in one run and interleaved (each repetition runs every tool once, in a
rotating order, so that load from other processes on the machine hits all of them alike):

* ``cfgguard check --output-format concise FILES`` (the console script next to this Python),
* ``check-jsonschema --schemafile SCHEMA FILES``, SCHEMA being the files' own dialect schema
  that cfgguard generates (``schemas/<dialect>.schema.json``, what an editor or a
  check-jsonschema pre-commit hook would use on such a file): for the 1-file case that
  file's dialect schema; for the mixed sets one schema that is the ``anyOf`` of the dialect
  schemas (built in the temporary directory), so that check-jsonschema, like the other two
  tools, validates all files in one process (one process per dialect would charge it five
  more start-ups). Not ``schemas/canonical.schema.json``: that schema describes cfgguard's
  canonical instance, not a file, so on raw files it reports nonsense, and it is also the
  slowest to load (about 0.40 s for 1 file against 0.25-0.30 s with a dialect schema, which
  would flatter cfgguard); ``--jsonschema-schema canonical`` selects it anyway,
* ``yamllint -d default -f parsable FILES``: yamllint's default rule set (what ``yamllint
  FILES`` and its pre-commit hook run without a config file; ``-d default`` keeps a
  ``.yamllint`` file from being picked up) with its one-line output format,

on 1, 200 and 10,000 files; ``cfgguard check --fix --unsafe-fixes`` on 200 files that each need
exactly one fix (a LoRA learning rate at full-fine-tune level -> R002, or a typo'd key -> K001;
the files are chosen by cfgguard's own JSON output and restored before each repetition);
peak memory (max RSS of each child, from ``os.wait4`` in a small launcher process);
CPU time (user + system) next to wall time; ``python -X importtime -c "import cfgguard.cli"``
against a ``python -c pass`` baseline (and ``import cfgguard.cli.commands``, which ``cfgguard
check`` imports as well). Every tool runs from byte-code: the children get
PYTHONPYCACHEPREFIX in the temporary directory and no PYTHONDONTWRITEBYTECODE, and untimed
warm-up runs fill that cache (an editable install would otherwise recompile cfgguard's
sources on every start while pip-installed tools read their .pyc files).

The configs are generated into a temporary directory from the repository's ``examples/`` and
``tests/fixtures/dialects/*/`` files (and ``../shared/corpus`` when it is present, unless
``--no-shared``), dialects in turn, with varied values (learning rates, ranks, batch sizes,
models, ...), extra known keys from cfgguard's key lists, comments and an occasional typo'd
key. Nothing is written into the repository.

The medians are printed as a table with the ratios cfgguard / check-jsonschema and cfgguard /
yamllint and the targets (met / not met): 1 file <= 0.3x check-jsonschema and <= 1.0x
yamllint; 200 files >= 4x faster than either; 10,000 files linear (marginal per-file time at
10,000 within 1.25x of that at 200); ``import cfgguard.cli`` <= 60 ms.

check-jsonschema and yamllint are not project dependencies and this script installs nothing.
For a full run install them into the virtualenv::

    .venv/bin/pip install check-jsonschema yamllint

A tool that is not installed is skipped with a line saying so. Exit status: 1 when cfgguard
crashed (exit status 2, a signal, or a traceback on stderr), else 0 (also with ``--quick``);
``--check-targets`` also exits 1 when a target is not met. POSIX only (``os.wait4``).

This file parses the options and runs the workloads in order; the parts are modules of
``bench/cfgbench/``, one per job (launching, the tools, generating the configs, the
``--fix`` set, the series, the report, the verdict, the profile).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from cfgbench import REPO, SHARED_CORPUS
from cfgbench.configs import Template, copy_corpus, generate, load_templates
from cfgbench.fixset import time_fix
from cfgbench.launch import Crash, Run, close_launcher, run, set_env
from cfgbench.profiling import profile
from cfgbench.report import print_header, print_imports_and_fix, print_medians, print_ratios
from cfgbench.series import Series, interleave, time_imports
from cfgbench.tools import CFGGUARD, Tool, tools
from cfgbench.verdict import Target, judge, print_targets


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="CI smoke run: small N, one repetition, no judging"
    )
    parser.add_argument(
        "--corpus",
        nargs="?",
        const=str(SHARED_CORPUS),
        default=None,
        metavar="DIR",
        help=f"the corpus's files as they are, cycled (default: {SHARED_CORPUS})",
    )
    parser.add_argument(
        "--no-shared", action="store_true", help="generate from the repository's files only"
    )
    parser.add_argument("--sizes", default="1,200,10000", help="file counts (default 1,200,10000)")
    parser.add_argument(
        "--fix-files", type=_positive, default=200, help="files for the --fix run (default 200)"
    )
    parser.add_argument(
        "--reps-small", type=int, default=15, help="repetitions for 1 file and imports"
    )
    parser.add_argument(
        "--reps-medium", type=int, default=7, help="repetitions for up to 1,000 files"
    )
    parser.add_argument("--reps-large", type=int, default=2, help="repetitions above 1,000 files")
    parser.add_argument(
        "--jsonschema-schema",
        default="dialect",
        metavar="NAME",
        help="check-jsonschema's schema: 'dialect' (default): the files' own dialect schemas; "
        "else schemas/NAME.schema.json, e.g. canonical",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--profile", action="store_true", help="print import and cProfile profiles and stop"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files; print where")
    parser.add_argument(
        "--json", default=None, metavar="FILE", help="also write the medians as JSON"
    )
    parser.add_argument(
        "--check-targets", action="store_true", help="exit 1 when a target is not met"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = "1,20"
        args.fix_files = min(args.fix_files, 10)
        args.reps_small = args.reps_medium = args.reps_large = 1
    return args


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = sorted({int(s) for s in str(args.sizes).split(",") if s.strip()})
    work = Path(tempfile.mkdtemp(prefix="cfgguard-bench-"))
    set_env(work / "pycache")
    try:
        return _main(args, sizes, work)
    except Crash as exc:
        print(f"\nbench: cfgguard crashed: {exc}", file=sys.stderr)
        return 1
    finally:
        close_launcher()
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _reps(args: argparse.Namespace, size: int) -> int:
    if size <= 1:
        return int(args.reps_small)
    return int(args.reps_medium) if size <= 1000 else int(args.reps_large)


def _main(args: argparse.Namespace, sizes: list[int], work: Path) -> int:
    notes: list[str] = []
    mode = str(args.jsonschema_schema)
    if mode != "dialect" and not (REPO / "schemas" / f"{mode}.schema.json").is_file():
        raise SystemExit(f"bench: no schema schemas/{mode}.schema.json")
    found = tools(mode, work, notes)
    python = sys.executable
    templates = load_templates(None if args.no_shared else SHARED_CORPUS)
    files, source = _files(args, templates, max(sizes), work)
    median_size = statistics.median((work / f).stat().st_size for f in files[:200])
    one = min(files[:200], key=lambda f: abs((work / f).stat().st_size - median_size))

    if args.profile:
        profile(files[: sizes[1] if len(sizes) > 1 else 200], work, python)
        return 0

    print_header(bool(args.quick), source, median_size, one, found, files, notes)
    # warm-up (untimed): byte-code caches, page cache
    for tool in found.values():
        run(tool.argv([one]), work)
    results, counts = _time_sizes(args, sizes, found, files, one, work)
    fix = time_fix(templates, args.fix_files, work, found[CFGGUARD], lambda n: _reps(args, n))
    results[fix.label] = fix.series
    counts[fix.label] = fix.files
    print(f"timing imports x {args.reps_small} ...", file=sys.stderr, flush=True)
    imports = time_imports(python, work, int(args.reps_small))
    results["startup"] = imports.series
    counts["startup"] = 1

    print_medians(results, counts)
    print_imports_and_fix(imports, fix)
    print_ratios(results, bool(args.quick))
    targets = judge(results, sizes, imports.cli, quick=bool(args.quick))
    print_targets(targets, bool(args.quick))
    if args.json:
        _write_json(Path(args.json), source, results, imports.cli, imports.commands, targets)
    if args.check_targets and not args.quick and any(t.met is False for t in targets):
        return 1
    return 0


def _files(
    args: argparse.Namespace, templates: list[Template], largest: int, work: Path
) -> tuple[list[str], str]:
    """The benchmark's files (relative to ``work``) and a line saying where they come from."""
    if args.corpus is not None:
        files = copy_corpus(Path(args.corpus), largest, work)
        return files, f"--corpus {args.corpus} (files as they are, cycled to {largest})"
    files = generate(templates, largest, work, random.Random(args.seed))
    counts = Counter(t.name.split("/", 1)[0] for t in templates)
    return files, (
        "generated from " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + " templates"
    )


def _time_sizes(
    args: argparse.Namespace,
    sizes: list[int],
    found: dict[str, Tool],
    files: list[str],
    one: str,
    work: Path,
) -> tuple[dict[str, dict[str, Series]], dict[str, int]]:
    """Every tool on 1 file and on each larger set: the series and the file count per label."""
    results: dict[str, dict[str, Series]] = {}
    counts: dict[str, int] = {}
    for size in sizes:
        subset = [one] if size == 1 else files[:size]
        jobs: dict[str, Callable[[], Run]] = {
            name: (lambda tool=tool, subset=subset: run(tool.argv(subset), work))
            for name, tool in found.items()
        }
        label = f"{size:,} file{'s' if size != 1 else ''}"
        print(f"timing {label} x {_reps(args, size)} ...", file=sys.stderr, flush=True)
        results[label] = interleave(jobs, _reps(args, size))
        counts[label] = size
    return results, counts


def _write_json(
    path: Path,
    source: str,
    results: dict[str, dict[str, Series]],
    import_cli: float,
    import_commands: float,
    targets: list[Target],
) -> None:
    payload = {
        "date": time.strftime("%Y-%m-%d"),
        "cpus": os.cpu_count(),
        "source": source,
        "results": {
            label: {
                name: {
                    "wall": s.wall,
                    "cpu": s.cpu,
                    "wall_min": s.wall_min,
                    "rss_mb": s.rss_mb,
                    "runs": len(s.runs),
                }
                for name, s in series.items()
            }
            for label, series in results.items()
        },
        "import_cfgguard_cli": import_cli,
        "import_cfgguard_commands": import_commands,
        "targets": [{"target": t.text, "value": t.value, "met": t.met} for t in targets],
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
