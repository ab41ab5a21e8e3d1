"""The fix loop's safety stops and the atomic writer."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO, cast

import pytest

from cfgguard.check import Options
from cfgguard.findings import Edit, Finding, Fix
from cfgguard.fix import engine
from cfgguard.fix.apply import apply, choose
from cfgguard.fix.write import WriteError, write_atomic
from cfgguard.records import replace
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

    def fail(src: str, dst: str, **dir_fds: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(WriteError, match="No space left on device"):
        write_atomic(str(path), b"a: 2\n", b"a: 1\n")
    assert path.read_bytes() == b"a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]


class _FullDisk:
    """A temp-file handle on a full disk: half the data lands, then ENOSPC."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return self.handle.fileno()


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_full_disk_leaves_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\n" * 1000)
    if where == "write":
        real_fdopen = os.fdopen

        def fdopen(fd: int, mode: str = "r", *args: object, **kwargs: object) -> _FullDisk:
            return _FullDisk(cast(BinaryIO, real_fdopen(fd, mode)))

        monkeypatch.setattr(os, "fdopen", fdopen)
    else:  # the page cache took it; the disk did not

        def fsync(fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(WriteError, match=r"c\.yaml: cannot write \(No space left on device\)"):
        write_atomic(str(path), b"a: 2\n" * 1000, b"a: 1\n" * 1000)
    assert path.read_bytes() == b"a: 1\n" * 1000
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]


@pytest.mark.parametrize("step", ["fchmod", "replace"])
def test_crash_between_temp_write_and_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """Ctrl-C (or any exception) after the temp file is written: no temp file is left,
    the original is intact, and the interruption is not swallowed."""
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\n")
    written: list[bytes] = []

    def crash(*args: object, **kwargs: object) -> None:
        (tmp,) = [p for p in tmp_path.iterdir() if p.name != "c.yaml"]
        written.append(tmp.read_bytes())
        raise KeyboardInterrupt

    monkeypatch.setattr(os, step, crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(str(path), b"a: 2\n", b"a: 1\n")
    assert written == [b"a: 2\n"]  # the temp file was complete when the crash came
    assert path.read_bytes() == b"a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]
