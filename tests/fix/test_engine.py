"""The fix loop's safety stops and the atomic writer."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from cfgguard.check import Options
from cfgguard.findings import Edit, Finding, Fix
from cfgguard.fix import engine
from cfgguard.fix.apply import apply, choose
from cfgguard.fix.write import WriteError, write_atomic
from cfgguard.source import Source, decode

PLAIN = "base_model: meta-llama/Llama-3.1-8B-Instruct\nlora_rank: 32\nlearning_rate: 2e-5\n"


def test_choose_skips_overlapping_fixes() -> None:
    a = Fix("safe", "a", (Edit(1, 1, 1, 3, "x"),))
    b = Fix("safe", "b", (Edit(1, 2, 1, 4, "y"),))
    c = Fix("safe", "c", (Edit(2, 1, 2, 1, "z"),))
    assert choose("abcd\nef\n", [a, b, c]) == [a, c]
    assert apply("abcd\nef\n", [a, c]) == "xcd\nzef\n"


def test_apply_uses_the_files_line_ending() -> None:
    fix = Fix("safe", "ins", (Edit(1, 5, 1, 5, "\nb: 2"),))
    assert apply("a: 1\r\nc: 3\r\n", [fix], "\r\n") == "a: 1\r\nb: 2\r\nc: 3\r\n"


def test_unparseable_result_leaves_text(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine.check_source

    def broken(source: Source, options: Options) -> list[Finding]:
        bad = Fix("unsafe", "break it", (Edit(1, 1, 1, 1, "[: "),))
        return [f if f.fix is None else replace(f, fix=bad) for f in real(source, options)]

    monkeypatch.setattr(engine, "check_source", broken)
    outcome = engine.fix_source(decode(PLAIN.encode(), "t.yaml"), Options(), unsafe=True)
    assert outcome.text == PLAIN
    assert outcome.error == "the fixed text would not parse as YAML; the file was left unchanged"


def test_non_convergence_leaves_text(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine.check_source

    def endless(source: Source, options: Options) -> list[Finding]:
        grow = Fix("unsafe", "grow", (Edit(1, 1, 1, 1, "# x\n"),))
        return [replace(f, fix=grow) for f in real(source, options)[:1]]

    monkeypatch.setattr(engine, "check_source", endless)
    outcome = engine.fix_source(decode(PLAIN.encode(), "t.yaml"), Options(), unsafe=True)
    assert outcome.text == PLAIN
    assert outcome.error == "fixes did not converge in 10 rounds; the file was left unchanged"


def test_write_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\n")
    path.chmod(0o640)
    write_atomic(str(path), b"a: 2\n", b"a: 1\n")
    assert path.read_bytes() == b"a: 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]


@pytest.mark.parametrize("case", ["symlink", "changed", "readonly"])
def test_write_refusals(tmp_path: Path, case: str) -> None:
    target = tmp_path / "c.yaml"
    target.write_bytes(b"a: 1\n")
    path = target
    expected = b"a: 1\n"
    if case == "symlink":
        path = tmp_path / "link.yaml"
        path.symlink_to(target)
    elif case == "changed":
        expected = b"a: 0\n"
    else:
        target.chmod(0o444)
    with pytest.raises(WriteError):
        write_atomic(str(path), b"a: 2\n", expected)
    assert target.read_bytes() == b"a: 1\n"


def test_failed_rename_leaves_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\n")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(WriteError, match="No space left on device"):
        write_atomic(str(path), b"a: 2\n", b"a: 1\n")
    assert path.read_bytes() == b"a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]
