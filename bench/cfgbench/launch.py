"""Running a benchmarked command: a launcher process that times it and reads its rusage."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    maxrss_kb: int
    code: int
    stderr: str


class Crash(Exception):
    pass


# The children are started by a small launcher process, not by this one: Linux carries the
# parent's peak RSS over fork and exec into the child's ru_maxrss, so a child forked from this
# (larger) process could never report less than this process's own peak. The launcher also
# takes the wall time, around fork .. wait4, so its pipe round trip is not counted.
LAUNCHER = r"""
import json, os, sys, time
for line in sys.stdin:
    argv, cwd, env, err_path = json.loads(line)
    err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDWR)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.dup2(err, 2)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(err)
    os.close(null)
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps([wall, cpu, usage.ru_maxrss, code]), flush=True)
"""


ENV: dict[str, str] = {}


def set_env(pycache: Path) -> None:
    """The children's environment: no colour, and byte-code caching on for every tool.

    With PYTHONDONTWRITEBYTECODE set (as in some sandboxes), an editable install compiles
    its sources on every start while pip-installed packages read their .pyc files: the
    comparison would charge cfgguard a compile that pip-installed users never pay. The
    children write and read their .pyc under ``pycache`` (PYTHONPYCACHEPREFIX), the same for
    every tool and never inside the repository; the untimed warm-up runs fill it.
    """
    ENV.clear()
    ENV.update(os.environ)
    ENV["NO_COLOR"] = "1"
    ENV["PYTHONPYCACHEPREFIX"] = str(pycache)
    for name in ("FORCE_COLOR", "GITHUB_ACTIONS", "PYTHONDONTWRITEBYTECODE"):
        ENV.pop(name, None)


class Launcher:
    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.err: Path | None = None

    def run(self, cmd: Sequence[str], cwd: Path) -> Run:
        if self.proc is None or self.err is None:
            fd, name = tempfile.mkstemp(prefix="cfgguard-bench-", suffix=".stderr")
            os.close(fd)
            self.err = Path(name)
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", LAUNCHER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        argv = list(cmd)
        if os.sep not in argv[0]:
            argv[0] = shutil.which(argv[0]) or argv[0]
        self.proc.stdin.write(json.dumps([argv, str(cwd), ENV, str(self.err)]) + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        if not reply:
            raise SystemExit("bench: the launcher process died")
        wall, cpu, maxrss, code = json.loads(reply)
        stderr = self.err.read_text(encoding="utf-8", errors="replace")
        return Run(float(wall), float(cpu), int(maxrss), int(code), stderr)

    def close(self) -> None:
        if self.proc is not None and self.proc.stdin is not None:
            self.proc.stdin.close()
            self.proc.wait()
            self.proc = None
        if self.err is not None:
            self.err.unlink(missing_ok=True)
            self.err = None


_launcher = Launcher()


def run(cmd: Sequence[str], cwd: Path) -> Run:
    """Run ``cmd`` in ``cwd``, stdout discarded: wall time, the child's rusage, its stderr."""
    return _launcher.run(cmd, cwd)


def crashed(result: Run) -> bool:
    return result.code not in (0, 1) or "Traceback (most recent call last)" in result.stderr


def close_launcher() -> None:
    _launcher.close()
