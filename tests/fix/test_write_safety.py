"""The writer keeps owner and group, never splits hard links, resolves the directory
once, compares again right before the rename and sweeps stale temp files (issue 14,
items 5, 6 and 20)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cfgguard.fix import write
from cfgguard.fix.write import STALE_AFTER, WriteError, write_atomic

ROOT = os.geteuid() == 0
BAD = (
    "base_model: meta-llama/Llama-3.1-8B-Instruct\nadapter: lora\nlora_r: 32\nlora_alpha: 32\n"
    "lora_dropuot: 0.05\nlearning_rate: 2.0e-4\n"
)
OTHER = "# written by another process\n"


@pytest.fixture(autouse=True)
def _fresh_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write, "_cleaned", set[tuple[int, int]]())


def _names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.mark.skipif(not ROOT, reason="only root can give a file to another owner")
def test_keeps_owner_and_group(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\n")
    os.chown(path, 1234, 5678)
    write_atomic(str(path), b"a: 2\n", b"a: 1\n")
    info = path.stat()
    assert (info.st_uid, info.st_gid, path.read_bytes()) == (1234, 5678, b"a: 2\n")


def test_owner_that_cannot_be_kept_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\n")
    real_fstat = os.fstat

    def other_owner(fd: int) -> os.stat_result:  # the temp file comes out as someone else's
        info = list(real_fstat(fd))
        info[4] += 1  # st_uid
        return os.stat_result(info)

    def no_chown(fd: int, uid: int, gid: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    real_fdopen = os.fdopen

    def fdopen(fd: int, mode: str = "r") -> object:
        monkeypatch.setattr(os, "fstat", other_owner)
        return real_fdopen(fd, mode)

    monkeypatch.setattr(os, "fdopen", fdopen)
    monkeypatch.setattr(os, "fchown", no_chown)
    with pytest.raises(WriteError, match=r"cannot keep its owner and group \(\d+:\d+\)"):
        write_atomic(str(path), b"a: 2\n", b"a: 1\n")
    assert path.read_bytes() == b"a: 1\n"
    assert _names(tmp_path) == ["c.yaml"]


def test_hard_linked_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\n")
    os.link(path, tmp_path / "twin.yaml")
    with pytest.raises(WriteError, match="has 2 hard links; replacing it would split them"):
        write_atomic(str(path), b"a: 2\n", b"a: 1\n")
    assert (tmp_path / "twin.yaml").read_bytes() == path.read_bytes() == b"a: 1\n"
    assert path.stat().st_nlink == 2


def test_symlinked_parent_is_resolved_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real, elsewhere = tmp_path / "real", tmp_path / "elsewhere"
    real.mkdir()
    elsewhere.mkdir()
    (real / "c.yaml").write_bytes(b"a: 1\n")
    (elsewhere / "c.yaml").write_bytes(b"other: 1\n")
    link = tmp_path / "configs"
    link.symlink_to(real)
    real_access = os.access

    def swap_then_access(path: str, mode: int, *, dir_fd: int | None = None) -> bool:
        # after the file was read, the parent link is pointed elsewhere
        link.unlink()
        link.symlink_to(elsewhere)
        return real_access(path, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "access", swap_then_access)
    write_atomic(str(link / "c.yaml"), b"a: 2\n", b"a: 1\n")
    assert (real / "c.yaml").read_bytes() == b"a: 2\n"
    assert (elsewhere / "c.yaml").read_bytes() == b"other: 1\n"
    assert _names(real) == ["c.yaml"]
    assert _names(elsewhere) == ["c.yaml"]


# A second process appends to the file while cfgguard is between its first comparison
# and the rename (at the temp file's fsync), or right before the rename itself.
APPEND = f"open('x.yaml', 'a').write({OTHER!r})"
CONCURRENT = """
import os, subprocess, sys
real = getattr(os, {hook!r})
done = []
def hooked(*args, **kwargs):
    if not done:
        done.append(1)
        subprocess.run([sys.executable, "-c", {append!r}], check=True)
    return real(*args, **kwargs)
setattr(os, {hook!r}, hooked)
from cfgguard.cli import main
sys.exit(main(["check", "--fix", "--dialect", "axolotl", "x.yaml"]))
"""


@pytest.mark.parametrize("hook", ["fsync", "replace"])
def test_concurrent_appender_loses_nothing(tmp_path: Path, hook: str) -> None:
    (tmp_path / "x.yaml").write_text(BAD)
    script = CONCURRENT.format(hook=hook, append=APPEND)
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, timeout=120, check=False
    )
    assert (tmp_path / "x.yaml").read_text() == BAD + OTHER
    assert b"x.yaml: changed while it was being" in proc.stderr
    assert proc.returncode == 2
    assert _names(tmp_path) == ["x.yaml"]


def test_stale_temp_files_are_swept(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\n")
    old = time.time() - STALE_AFTER - 60
    stale = tmp_path / ".cfgguard-abc123xy.tmp"
    fresh = tmp_path / ".cfgguard-fresh123.tmp"
    not_ours = tmp_path / ".cfgguard-notes.txt"
    linked = tmp_path / ".cfgguard-link1234.tmp"
    for p in (stale, fresh, not_ours):
        p.write_bytes(b"x")
    linked.symlink_to(path)
    for p in (stale, not_ours):
        os.utime(p, (old, old))
    os.utime(linked, (old, old), follow_symlinks=False)
    foreign = tmp_path / ".cfgguard-someone1.tmp"
    if ROOT:
        foreign.write_bytes(b"x")
        os.chown(foreign, 1234, 1234)
        os.utime(foreign, (old, old))
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / stale.name).write_bytes(b"x")
    os.utime(sub / stale.name, (old, old))
    write_atomic(str(path), b"a: 2\n", b"a: 1\n")
    kept = {"c.yaml", fresh.name, not_ours.name, linked.name, "sub"}
    assert set(_names(tmp_path)) == kept | ({foreign.name} if ROOT else set())
    assert _names(sub) == [stale.name]  # only the directory being written


def test_a_file_renamed_over_between_stat_and_open_is_a_lost_race(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another fixer's rename lands between the writer's look and its open: the writer
    lost a race (the same words as every other lost race), not "not a regular file"."""
    path = tmp_path / "c.yaml"
    path.write_text(BAD, encoding="utf-8")
    real_open = os.open

    def open_after_a_rename(name: str, flags: int, *args: object, **kwargs: object) -> int:
        if name == "c.yaml" and not flags & os.O_CREAT:
            (tmp_path / "new.yaml").write_text(BAD, encoding="utf-8")
            os.replace(tmp_path / "new.yaml", path)  # a new inode under the same name
        return real_open(name, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(write.os, "open", open_after_a_rename)
    with pytest.raises(WriteError) as raised:
        write_atomic(str(path), b"fixed\n", BAD.encode())
    assert str(raised.value) == f"{path}: changed while it was being fixed; left as it is"
    assert path.read_text(encoding="utf-8") == BAD
    assert _names(tmp_path) == ["c.yaml"]
