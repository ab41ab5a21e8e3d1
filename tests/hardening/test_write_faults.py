"""``check --fix`` when the write fails: a full disk, a crash before the rename.

The unit-level cases are in tests/fix/test_engine.py; these go through the command line
(one error line, exit 2, the findings of the file as it stays) and a real process killed
between writing the temp file and renaming it.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cfgguard.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXABLE = (ROOT / "examples" / "verl-grpo-sft-rank.yaml").read_bytes()
SCRIPT = Path(sys.executable).with_name("cfgguard")


def test_full_disk_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_bytes(FIXABLE)
    (tmp_path / "y.yaml").write_bytes(FIXABLE)

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    rc = main(["check", "--fix", "--unsafe-fixes", "x.yaml", "y.yaml"])
    out, err = capsys.readouterr()
    assert rc == 2
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("cfgguard: error")] == [
        "cfgguard: error: x.yaml: cannot write (No space left on device)",
        "cfgguard: error: y.yaml: cannot write (No space left on device)",
    ]
    assert "x.yaml:17:16: L002 [info]" in out  # nothing was fixed, so it is reported
    assert "y.yaml:17:16: L002 [info]" in out
    assert (tmp_path / "x.yaml").read_bytes() == FIXABLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.yaml", "y.yaml"]


KILL_BEFORE_RENAME = """
import os, signal, sys
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
os.replace = die
from cfgguard.cli import main
sys.exit(main(["check", "--fix", "--unsafe-fixes", "x.yaml"]))
"""


def test_killed_between_temp_write_and_rename(tmp_path: Path) -> None:
    """A hard kill cannot clean up, but the original is intact and the leftover temp file
    (hidden, not *.yaml) is ignored by the next run, which fixes the file."""
    (tmp_path / "x.yaml").write_bytes(FIXABLE)
    proc = subprocess.run(
        [sys.executable, "-c", KILL_BEFORE_RENAME],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL
    assert (tmp_path / "x.yaml").read_bytes() == FIXABLE
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "x.yaml")
    assert len(leftovers) <= 1
    assert all(n.startswith(".cfgguard-") and n.endswith(".tmp") for n in leftovers)
    if not SCRIPT.exists():
        return
    again = subprocess.run(
        [str(SCRIPT), "check", "--fix", "--unsafe-fixes", "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert again.returncode in (0, 1), again
    assert b"Traceback" not in again.stderr
    assert b"lora_rank: 16" in (tmp_path / "x.yaml").read_bytes()
    assert b"1 file" in again.stdout
