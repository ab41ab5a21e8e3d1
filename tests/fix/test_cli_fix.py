"""``cfgguard check --fix`` and friends, end to end through main()."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cfgguard.cli import main

BAD = (
    "base_model: meta-llama/Llama-3.1-8B-Instruct\n"
    "adapter: lora\n"
    "lora_r: 32\n"
    "lora_alpha: 32\n"
    "lora_dropuot: 0.05  # typo\n"
    "micro_batch_size: 4\n"
    "sequence_len: 2048\n"
    "num_epochs: 1\n"
    "learning_rate: 2e-5\n"
)
SAFE_FIXED = BAD.replace("lora_dropuot", "lora_dropout")
ALL_FIXED = SAFE_FIXED.replace("2e-5", "2e-4")


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "cfg.yaml"
    path.write_bytes(data)
    return path


def test_fix_applies_safe_fixes_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, BAD.encode())
    assert main(["check", "--fix", str(path)]) == 1  # R002 (warning) remains
    assert path.read_text() == SAFE_FIXED
    captured = capsys.readouterr()
    assert "1 fixed, 1 remaining (1 fixable with --unsafe-fixes)" in captured.err
    assert f"{path}:9:16: R002 [warning]" in captured.out


def test_unsafe_fixes_keep_bom_and_crlf(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + BAD.replace("\n", "\r\n").encode()
    path = _file(tmp_path, data)
    assert main(["check", "--unsafe-fixes", str(path)]) == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + ALL_FIXED.replace("\n", "\r\n").encode()


def test_diff_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, BAD.encode())
    assert main(["check", "--diff", str(path)]) == 1
    assert path.read_text() == BAD
    out = capsys.readouterr().out
    assert "-lora_dropuot: 0.05  # typo\n+lora_dropout: 0.05  # typo\n" in out
    clean = _file(tmp_path, SAFE_FIXED.replace("2e-5", "2e-4").encode())
    assert main(["check", "--diff", str(clean)]) == 0


def test_fix_only_and_exit_non_zero_on_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, BAD.encode())
    assert main(["check", "--fix-only", str(path)]) == 0
    assert "R002" not in capsys.readouterr().out
    path.write_text(BAD)
    assert main(["check", "--fix", "--fail-on", "error", "--exit-non-zero-on-fix", str(path)]) == 1
    assert main(["check", "--fix", "--fail-on", "error", "--exit-non-zero-on-fix", str(path)]) == 0


def test_show_fixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, BAD.encode())
    main(["check", "--unsafe-fixes", "--show-fixes", str(path)])
    err = capsys.readouterr().err
    assert f"Fixed {path}:5:1: K001 rename 'lora_dropuot' to 'lora_dropout'" in err
    assert f"Fixed {path}:9:16: R002 learning rate 2e-5 -> 2e-4" in err


def test_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code = main(["check", "--unsafe-fixes", "--stdin-filename", "cfg.yaml", "-"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == ALL_FIXED
    assert "2 fixed, 0 remaining" in captured.err
