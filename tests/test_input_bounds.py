"""Big inputs: a file over 10 MiB is one finding (Y007) and is skipped; reads are bounded
(issue 14, item 14)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cfgguard import source
from cfgguard.cli import main
from cfgguard.source import SourceError, read
from cfgguard.yaml.compose import MAX_TEXT, compose

HEAD = "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_target_modules:\n"


def _padded(size: int) -> str:
    """A config with a comment line that brings it to ``size`` characters."""
    body = HEAD + "  - q_proj\n"
    return body + "#" * (size - len(body) - 1) + "\n"


def test_over_the_limit_is_one_finding_without_composing() -> None:
    started = time.perf_counter()
    result = compose(_padded(MAX_TEXT + 1))
    assert time.perf_counter() - started < 1
    assert [(p.kind, p.start.line, p.start.column) for p in result.problems] == [
        ("too-large", 0, 0)
    ]
    assert result.problems[0].message == (
        "file of 10,485,761 characters is larger than cfgguard checks (10,485,760, 10 MiB);"
        " it was not checked"
    )
    assert result.documents == []


def test_at_the_limit_is_checked_noop() -> None:
    result = compose(_padded(MAX_TEXT))
    assert result.problems == []
    assert len(result.documents) == 1


@pytest.mark.parametrize("flag", ["--fix", "--add-ignore"])
def test_big_file_is_reported_and_never_written(
    flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.yaml"
    text = _padded(MAX_TEXT + 10).replace("lora\n", "lora\nlora_dropuot: 0.1\n", 1)
    path.write_text(text)
    assert main(["check", flag, "--dialect", "axolotl", str(path)]) == 1
    assert path.read_text() == text
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"{path}:1:1: Y007 [warning] file of 10,485,")
    assert "K001" not in out


def test_reads_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_READ", 1024)
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\n" * 300)
    with pytest.raises(SourceError, match=r"c\.yaml: larger than 1,024 bytes; not read"):
        read(str(path))
