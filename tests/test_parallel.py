"""Checking many files in parallel gives exactly the serial output, in the same order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cfgguard.parallel
from cfgguard.check import Options
from cfgguard.cli import main

CFG = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: {rank}
lora_alpha: 32
learning_rate: {lr}
batch_size: 16
num_steps: 5000
"""


def test_parallel_matches_serial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(80):
        text = CFG.format(rank=[8, 16, 32, 64][i % 4], lr=["2e-5", "2e-4", "9e-4"][i % 3])
        (tmp_path / f"c{i:03}.yaml").write_text(text)
    (tmp_path / "bad.yaml").write_bytes(b"lr: \xff\n")
    assert main(["check", str(tmp_path)]) == 2
    parallel = capsys.readouterr()
    monkeypatch.setattr(cfgguard.parallel, "PARALLEL_MIN_FILES", 10**9)
    assert main(["check", str(tmp_path)]) == 2
    serial = capsys.readouterr()
    assert parallel.out == serial.out
    assert parallel.err == serial.err
    assert "(80 checked), and 1 problem reported below (exit 2)." in parallel.out


def _files(tmp_path: Path, count: int) -> list[str]:
    for i in range(count):
        text = CFG.format(rank=[8, 16, 32, 64][i % 4], lr=["2e-5", "2e-4", "9e-4"][i % 3])
        (tmp_path / f"c{i:03}.yaml").write_text(text)
    return sorted(str(p) for p in tmp_path.glob("*.yaml"))


def _serial(paths: list[str]) -> list[cfgguard.parallel.Result]:
    return [cfgguard.parallel._check((p, Options())) for p in paths]  # pyright: ignore[reportPrivateUsage]


def test_a_worker_that_dies_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _files(tmp_path, 64)
    expected = _serial(paths)
    parent = os.getpid()
    check = cfgguard.parallel._check  # pyright: ignore[reportPrivateUsage]

    def dying(job: cfgguard.parallel.Job) -> cfgguard.parallel.Result:
        if os.getpid() != parent:
            os._exit(3)  # a killed worker: no results, non-zero status
        return check(job)

    monkeypatch.setattr(cfgguard.parallel, "_cores", lambda: 2)
    monkeypatch.setattr(cfgguard.parallel, "_check", dying)
    assert cfgguard.parallel.check_all([(p, Options()) for p in paths]) == expected


def test_no_fork_checks_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _files(tmp_path, 64)
    expected = _serial(paths)

    def no_fork() -> int:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(cfgguard.parallel, "_cores", lambda: 4)
    monkeypatch.setattr(os, "fork", no_fork)
    assert cfgguard.parallel.check_all([(p, Options()) for p in paths]) == expected


def test_workers_deliver_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _files(tmp_path, 100)
    monkeypatch.setattr(cfgguard.parallel, "_cores", lambda: 3)
    got = cfgguard.parallel.check_all([(p, Options()) for p in paths])
    assert [r[0] for r in got] == paths
    assert got == _serial(paths)


TYPO = "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: 16\nlearning_rte: 2e-4\n"


@pytest.mark.parametrize("flags", [["--fix"], ["--diff"], ["--fix", "--show-fixes"]])
def test_parallel_fix_matches_serial(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
) -> None:
    seen: dict[str, tuple[int, str, str, dict[str, bytes]]] = {}
    monkeypatch.setattr(cfgguard.parallel, "_cores", lambda: 2)  # fork even on one core
    for run in ("parallel", "serial"):
        root = tmp_path / run
        root.mkdir()
        for i in range(70):
            text = TYPO if i % 3 else CFG.format(rank=16, lr="2e-5")
            (root / f"c{i:03}.yaml").write_text(text)
        (root / "bad.yaml").write_bytes(b"lr: \xff\n")
        if run == "serial":
            monkeypatch.setattr(cfgguard.parallel, "PARALLEL_MIN_FILES", 10**9)
        code = main(["check", *flags, str(root)])
        out = capsys.readouterr()
        files = {p.name: p.read_bytes() for p in sorted(root.iterdir())}
        seen[run] = (code, out.out.replace(str(root), "R"), out.err.replace(str(root), "R"), files)
    assert seen["parallel"] == seen["serial"]
    fixed = seen["parallel"][3]["c001.yaml"]
    assert (b"learning_rate: 2e-4" in fixed) == (flags[0] == "--fix")
