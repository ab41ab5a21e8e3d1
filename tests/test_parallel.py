"""Checking many files in parallel gives exactly the serial output, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

import cfgguard.parallel
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
    assert "in 80 files." in parallel.out
