"""Checking many files in parallel gives exactly the serial output, in the same order."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

import cfgguard.parallel
from cfgguard.check import Options
from cfgguard.cli import main
from cfgguard.findings import Severity

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


# --- a hung worker, --jobs / CFGGUARD_JOBS, where forking is unsafe ---------------------------


def _count_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the workers forked from now on (os.fork still forks)."""
    pids: list[int] = []
    fork = os.fork

    def recording() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording)
    return pids


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Two cores, no other thread (a test before may leave a reader thread ending); forks."""
    monkeypatch.setattr(cfgguard.parallel, "_cores", lambda: 2)
    monkeypatch.setattr(cfgguard.parallel, "_other_threads", lambda: False)
    return _count_forks(monkeypatch)


def test_workers_deliver_their_chunks(forking: list[int]) -> None:
    got = cfgguard.parallel.map_in_order(lambda i: (i, os.getpid()), range(64))
    assert [i for i, _ in got] == list(range(64))
    assert [pid for _, pid in got] == [os.getpid()] * 33 + forking * 31  # 0, then 1..32 here
    assert len(forking) == 1


def test_a_hung_worker_is_timed_out_and_its_chunk_done_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: list[int]
) -> None:
    paths = _files(tmp_path, 64)
    expected = _serial(paths)
    parent = os.getpid()
    check = cfgguard.parallel._check  # pyright: ignore[reportPrivateUsage]

    def hanging(job: cfgguard.parallel.Job) -> cfgguard.parallel.Result:
        if os.getpid() != parent:
            time.sleep(3600)  # a worker stuck for good (a lock never released)
        return check(job)

    monkeypatch.setattr(cfgguard.parallel, "_check", hanging)
    monkeypatch.setattr(cfgguard.parallel, "CHUNK_TIMEOUT_FLOOR", 0.5)
    started = time.monotonic()
    got = cfgguard.parallel.check_all([(p, Options()) for p in paths])
    assert time.monotonic() - started < 60
    assert got == expected
    last_path, last_findings, last_error = got[-1]  # c063.yaml: in the hung worker's chunk
    assert (last_path, last_error) == (paths[-1], None)
    assert [(f.code, f.line, f.column, f.severity) for f in last_findings] == [
        ("R002", 4, 16, Severity.WARNING)
    ]
    (pid,) = forking
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left running
        os.kill(pid, 0)


def test_a_hung_worker_of_many_is_the_only_one_redone(
    monkeypatch: pytest.MonkeyPatch, forking: list[int]
) -> None:
    monkeypatch.setattr(cfgguard.parallel, "_cores", lambda: 4)
    monkeypatch.setattr(cfgguard.parallel, "CHUNK_TIMEOUT_FLOOR", 0.5)
    parent = os.getpid()

    def work(i: int) -> tuple[int, bool]:
        if os.getpid() != parent and i == 40:  # the third chunk: items 33..48
            time.sleep(3600)
        return i, os.getpid() == parent

    got = cfgguard.parallel.map_in_order(work, range(64))
    assert [i for i, _ in got] == list(range(64))
    here = [i for i, in_parent in got if in_parent]
    assert here == [*range(17), *range(33, 49)]  # its own chunk, and the hung one's
    assert len(forking) == 3


def _run_check(
    argv: list[str], capsys: pytest.CaptureFixture[str], root: Path
) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out.replace(str(root), "R"), out.err.replace(str(root), "R")


def _many_configs(root: Path) -> None:
    for i in range(80):
        text = TYPO if i % 5 == 0 else CFG.format(rank=[8, 64][i % 2], lr=["2e-5", "2e-4"][i % 2])
        (root / f"c{i:03}.yaml").write_text(text)
    (root / "bad.yaml").write_bytes(b"lr: \xff\n")


@pytest.mark.parametrize(
    ("argv", "env", "forks"),
    [
        pytest.param(["--jobs", "1"], None, 0, id="jobs-1"),
        pytest.param([], "1", 0, id="env-1"),
        pytest.param(["--jobs", "3"], None, 2, id="jobs-3"),
        pytest.param([], "3", 2, id="env-3"),
        pytest.param(["--jobs", "1"], "3", 0, id="flag-wins"),
        pytest.param(["--jobs", "2"], "abc", 1, id="flag-wins-over-bad-env"),
        pytest.param([], "", 1, id="env-empty-is-unset"),
    ],
)
def test_jobs_give_the_default_output(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    forking: list[int],
    argv: list[str],
    env: str | None,
    forks: int,
) -> None:
    _many_configs(tmp_path)
    monkeypatch.delenv("CFGGUARD_JOBS", raising=False)
    default = _run_check(["check", str(tmp_path)], capsys, tmp_path)
    assert len(forking) == 1  # the default: one worker per further core (2 cores here)
    assert default[0] == 2
    assert "(80 checked), and 1 problem reported below (exit 2)." in default[1]
    forking.clear()
    if env is not None:
        monkeypatch.setenv("CFGGUARD_JOBS", env)
    assert _run_check(["check", *argv, str(tmp_path)], capsys, tmp_path) == default
    assert len(forking) == forks


@pytest.mark.parametrize("value", ["abc", "0", "-1", "2.5", " 2", "٣"], ids=repr)
def test_a_bad_cfgguard_jobs_is_a_usage_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    value: str,
) -> None:
    (tmp_path / "a.yaml").write_text(CFG.format(rank=16, lr="2e-4"))
    monkeypatch.setenv("CFGGUARD_JOBS", value)
    assert main(["check", str(tmp_path)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == (
        f"cfgguard: error: CFGGUARD_JOBS={value}: expected a positive integer (1: no forking)\n"
    )


@pytest.mark.parametrize("value", ["0", "abc"])
def test_a_bad_jobs_flag_is_a_usage_error(capsys: pytest.CaptureFixture[str], value: str) -> None:
    assert main(["check", "--jobs", value, "."]) == 2
    out = capsys.readouterr()
    assert (out.out, out.err) == (
        "",
        f"cfgguard: error: argument --jobs: expected a positive integer, got '{value}'\n",
    )


def test_serial_under_a_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _files(tmp_path, 64)
    expected = _serial(paths)
    monkeypatch.setattr(cfgguard.parallel, "_cores", lambda: 4)
    forks = _count_forks(monkeypatch)
    got: list[list[cfgguard.parallel.Result]] = []
    worker = threading.Thread(
        target=lambda: got.append(cfgguard.parallel.check_all([(p, Options()) for p in paths]))
    )
    worker.start()
    worker.join()
    assert got == [expected]
    assert forks == []


@pytest.mark.parametrize("host", ["darwin", "no-fork", "forbidden"])
def test_serial_where_fork_is_unsafe(monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    monkeypatch.setattr(cfgguard.parallel, "_cores", lambda: 4)
    monkeypatch.setattr(cfgguard.parallel, "_other_threads", lambda: False)
    forks = _count_forks(monkeypatch)
    if host == "darwin":
        monkeypatch.setattr(sys, "platform", "darwin")
    elif host == "no-fork":
        monkeypatch.delattr(os, "fork")
    else:
        monkeypatch.setattr(cfgguard.parallel._Host, "fork_forbidden", False)  # pyright: ignore[reportPrivateUsage]
        cfgguard.parallel.forbid_fork()
    got = cfgguard.parallel.map_in_order(lambda i: (i, os.getpid()), range(64))
    assert got == [(i, os.getpid()) for i in range(64)]
    assert forks == []


def test_the_language_server_forbids_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    from cfgguard import server
    from cfgguard.server import features

    host = cfgguard.parallel._Host  # pyright: ignore[reportPrivateUsage]
    monkeypatch.setattr(host, "fork_forbidden", False)
    seen: list[bool] = []
    monkeypatch.setattr(features, "serve", lambda: seen.append(host.fork_forbidden))
    server.main()
    assert seen == [True]
