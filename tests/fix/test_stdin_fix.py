"""``--fix -`` and ``--diff -``: stdin keeps its bytes, a diff is a diff (issue 14, item 7)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cfgguard.cli import main

BOM = b"\xef\xbb\xbf"
CLEAN = (
    b"base_model: meta-llama/Llama-3.1-8B-Instruct\nadapter: lora\nlora_r: 32\nlora_alpha: 64\n"
    b"learning_rate: 2.0e-4\n"
)
TYPO = CLEAN + b"lora_dropuot: 0.05\n"


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(BOM + CLEAN, BOM + CLEAN, id="bom_noop"),
        pytest.param(
            BOM + CLEAN.replace(b"\n", b"\r\n"),
            BOM + CLEAN.replace(b"\n", b"\r\n"),
            id="bom-crlf_noop",
        ),
        pytest.param(BOM + TYPO, BOM + TYPO.replace(b"dropuot", b"dropout"), id="bom-fixed"),
    ],
)
def test_fix_stdin_keeps_the_bytes(
    data: bytes,
    expected: bytes,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    _stdin(monkeypatch, data)
    assert main(["check", "--fix", "--dialect", "axolotl", "-"]) == 0
    assert capsysbinary.readouterr().out == expected


def test_diff_on_stdin_prints_the_diff(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, TYPO)
    code = main(["check", "--diff", "--dialect", "axolotl", "--stdin-filename", "c.yaml", "-"])
    captured = capsys.readouterr()
    assert code == 1  # as --diff on a file with fixes
    assert captured.out == (
        "--- a/c.yaml\n+++ b/c.yaml\n@@ -3,4 +3,4 @@\n lora_r: 32\n lora_alpha: 64\n"
        " learning_rate: 2.0e-4\n-lora_dropuot: 0.05\n+lora_dropout: 0.05\n"
    )
    assert "would fix 1, 0 remaining" in captured.err
    assert "1 fixed" not in captured.err


def test_diff_on_stdin_and_file_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(CLEAN)
    assert main(["check", "--diff", "--dialect", "axolotl", str(path)]) == 0
    _stdin(monkeypatch, CLEAN)
    capsys.readouterr()
    assert main(["check", "--diff", "--dialect", "axolotl", "-"]) == 0
    assert capsys.readouterr().out == ""
