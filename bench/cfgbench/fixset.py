"""The files of the ``--fix`` run: each has exactly one finding cfgguard fixes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .configs import TOP_KEY, Template
from .launch import ENV, Crash, run
from .series import Series, interleave
from .tools import Tool

LR_LINE = re.compile(
    r"^(?P<head>[ \t]*(learning_rate|lr)[ \t]*:[ \t]+)(?P<value>[^#\n]+?)(?P<tail>[ \t]+#.*)?$"
)
TYPO_KEYS = (
    "gradient_accumulation_steps",
    "learning_rate",
    "lr_scheduler",
    "lr_scheduler_type",
    "num_train_epochs",
    "num_epochs",
    "warmup_ratio",
    "per_device_train_batch_size",
    "micro_batch_size",
    "output_dir",
)


def fix_candidate(template: Template, index: int, kind: str) -> str | None:
    """``template`` with one problem cfgguard can fix: an R002 learning rate or a K001 typo."""
    lines = [f"# bench fix config {index} from {template.name}", *template.text.splitlines()]
    for i, line in enumerate(lines):
        match = LR_LINE.match(line) if kind == "R002" else TOP_KEY.match(line)
        if match is None:
            continue
        if kind == "R002":
            value = match["value"].strip()
            new = "2.0e-5" if ".0e" in value else "2e-5" if "e" in value.lower() else "0.00002"
            lines[i] = f"{match['head']}{new}{match['tail'] or ''}"
            break
        key = match.group(1)
        if key in TYPO_KEYS:
            j = len(key) // 2
            lines[i] = key[:j] + key[j + 1] + key[j] + key[j + 2 :] + line[len(key) :]
            break
    else:
        return None
    return "\n".join(lines) + "\n"


def _kind(candidate: str) -> str:
    return Path(candidate).stem.split("-")[1]


def _cfgguard(cfgguard: str, args: list[str], cwd: Path) -> tuple[str, str]:
    """stdout and stderr of ``cfgguard check ARGS``; Crash on exit 2 or a traceback."""
    proc = subprocess.run(
        [cfgguard, "check", *args], cwd=cwd, capture_output=True, text=True, check=False, env=ENV
    )
    if proc.returncode not in (0, 1) or "Traceback (most recent call last)" in proc.stderr:
        raise Crash(f"cfgguard check {args[0]} ... exited {proc.returncode}:\n{proc.stderr}")
    return proc.stdout, proc.stderr


def fix_set(
    templates: list[Template], count: int, out_dir: Path, cfgguard: str
) -> tuple[list[str], Counter[str]]:
    """``count`` files that each have exactly one fixable finding (checked with cfgguard)."""
    cand_dir = out_dir / "fix-candidates"
    candidates: list[str] = []
    for t_index, template in enumerate(templates):
        for kind in ("R002", "K001"):
            text = fix_candidate(template, t_index, kind)
            if text is not None:
                rel = f"{t_index:04d}-{kind}{template.suffix}"
                (cand_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                (cand_dir / rel).write_text(text, encoding="utf-8")
                candidates.append(rel)
    # 1. exactly one fixable finding, and it is the one put in
    out, _ = _cfgguard(cfgguard, ["--output-format", "json", *candidates], cand_dir)
    try:
        findings: list[dict[str, Any]] = json.loads(out)
    except ValueError as exc:
        raise Crash(f"cfgguard check --output-format json printed no JSON: {exc}") from exc
    fixable: dict[str, list[str]] = {}
    for finding in findings:
        if finding.get("fix"):
            fixable.setdefault(finding["path"], []).append(finding["code"])
    good = [c for c in candidates if fixable.get(c) == [_kind(c)]]
    # 2. and --fix applies exactly that one fix (a fix can uncover another, e.g. a renamed key)
    trial = out_dir / "fix-trial"
    shutil.copytree(cand_dir, trial)
    _, err = _cfgguard(cfgguard, ["--fix", "--unsafe-fixes", "--show-fixes", *good], trial)
    applied: dict[str, list[str]] = {}
    for match in re.finditer(r"^Fixed (.+?):\d+:\d+: ([A-Z]\d{3}) ", err, re.MULTILINE):
        applied.setdefault(match.group(1), []).append(match.group(2))
    good = [c for c in good if applied.get(c) == [_kind(c)]]
    if not good:
        raise SystemExit("bench: no template yields a config with exactly one fix")
    pristine = out_dir / "fix-pristine"
    paths: list[str] = []
    mix: Counter[str] = Counter()
    for index in range(count):
        source = good[index % len(good)]
        rel = f"{index:04d}-{source}"
        text = (cand_dir / source).read_text(encoding="utf-8")
        pristine.joinpath(rel).parent.mkdir(parents=True, exist_ok=True)
        pristine.joinpath(rel).write_text(f"# copy {index}\n{text}", encoding="utf-8")
        paths.append(rel)
        mix[_kind(source)] += 1
    return paths, mix


@dataclass(frozen=True)
class FixTiming:
    label: str
    series: dict[str, Series]
    files: int
    fixed: str  # as the last timed run counted them ("?": it printed no count)
    changed: int  # files the --fix run changed
    mix: Counter[str]  # files per fix wanted (R002, K001)


def time_fix(
    templates: list[Template], count: int, work: Path, cfgguard: Tool, reps: Callable[[int], int]
) -> FixTiming:
    """Time ``--fix --unsafe-fixes`` against a plain check of the same files."""
    fix_paths, mix = fix_set(templates, count, work, cfgguard.exe)
    pristine, fixing = work / "fix-pristine", work / "fix-work"
    fix_argv = [
        cfgguard.exe,
        "check",
        "--fix",
        "--unsafe-fixes",
        "--output-format",
        "concise",
        *fix_paths,
    ]

    def restore(_name: str) -> None:
        shutil.rmtree(fixing, ignore_errors=True)
        shutil.copytree(pristine, fixing)

    fix_label = f"--fix, {len(fix_paths)} files"
    print(f"timing {fix_label} x {reps(len(fix_paths))} ...", file=sys.stderr, flush=True)
    restore("")
    fix_series = interleave(
        {
            "cfgguard --fix --unsafe-fixes": lambda: run(fix_argv, fixing),
            "cfgguard check (same files)": lambda: run(cfgguard.argv(fix_paths), fixing),
        },
        reps(len(fix_paths)),
        before=restore,
    )
    last_fix = fix_series["cfgguard --fix --unsafe-fixes"].runs[-1]
    fixed = re.search(r"(\d+) fixed", last_fix.stderr)
    restore("")
    run(fix_argv, fixing)
    changed = sum((pristine / p).read_bytes() != (fixing / p).read_bytes() for p in fix_paths)
    return FixTiming(
        fix_label, fix_series, len(fix_paths), fixed.group(1) if fixed else "?", changed, mix
    )
