"""Several ``cfgguard check --fix --unsafe-fixes`` processes on overlapping file sets.

As when pre-commit runs hooks in parallel or two fixers race: every file ends as its
original or as the single-process fixed output, never truncated or a mix; a process
that loses a race says so in one line and exits 2; no temp file is left behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("cfgguard")
SEEDS = sorted([*ROOT.glob("tests/fixtures/dialects/*/*.yaml"), *ROOT.glob("examples/*.yaml")])
PROCESSES = 6
ROUNDS = 3
LOST_RACE = "changed while it was being fixed; left as it is"


def _copy(directory: Path) -> list[str]:
    directory.mkdir()
    names: list[str] = []
    for seed in SEEDS:
        name = f"{seed.parent.name}-{seed.name}"
        shutil.copyfile(seed, directory / name)
        names.append(name)
    return names


def _fix(names: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(SCRIPT), "check", "--fix", "--unsafe-fixes", "--output-format", "concise", *names],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Each file as one process fixes it."""
    if not SCRIPT.exists():
        pytest.skip(f"no installed cfgguard script at {SCRIPT}")
    directory = tmp_path_factory.mktemp("single") / "configs"
    names = _copy(directory)
    proc = _fix(names, directory)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 1), err
    return {name: (directory / name).read_bytes() for name in names}


def _windows(names: list[str]) -> list[list[str]]:
    """Overlapping halves: each file is in about half the processes."""
    n = len(names)
    size = n // 2
    return [
        [names[(start + k) % n] for k in range(size)]
        for start in (i * n // PROCESSES for i in range(PROCESSES))
    ]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_overlapping_fixers(round_: int, tmp_path: Path, expected: dict[str, bytes]) -> None:
    directory = tmp_path / "configs"
    names = _copy(directory)
    originals = {name: (directory / name).read_bytes() for name in names}
    assert any(expected[n] != originals[n] for n in names), "nothing to fix: a useless test"
    windows = _windows(names)
    if round_ % 2:  # half the rounds: the same order in every process, the rest reversed
        windows = [list(reversed(w)) for w in windows]
    procs = [_fix(window, directory) for window in windows]
    results = [(p, *p.communicate(timeout=120)) for p in procs]
    for proc, _, err in results:
        text = err.decode("utf-8", "replace")
        assert "Traceback" not in text, text
        errors = [line for line in text.splitlines() if line.startswith("cfgguard: error: ")]
        assert all(line.endswith(LOST_RACE) for line in errors), errors
        assert proc.returncode == (2 if errors else proc.returncode), text
        assert proc.returncode in (0, 1, 2), text
    for name in names:
        data = (directory / name).read_bytes()
        assert data in (originals[name], expected[name]), name
        # every file was in some process; losing a race means another process fixed it
        assert data == expected[name], name
    assert sorted(p.name for p in directory.iterdir()) == sorted(names)  # no temp files


def test_one_file_many_fixers(tmp_path: Path, expected: dict[str, bytes]) -> None:
    """The worst overlap: every process fixes the same file at once."""
    name = "examples-verl-grpo-sft-rank.yaml"
    directory = tmp_path / "configs"
    names = _copy(directory)
    assert name in names
    procs = [_fix([name], directory) for _ in range(PROCESSES)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        text = err.decode("utf-8", "replace")
        assert "Traceback" not in text, text
        assert proc.returncode in (0, 1, 2), text
    assert (directory / name).read_bytes() == expected[name]
    assert sorted(p.name for p in directory.iterdir()) == sorted(names)
