"""Check (or fix) many files on every core, keeping the output order.

Worth it from a few dozen files on. This process does the first file (loading the
knowledge and lazy modules the work needs), then forks one worker per further core; the
workers inherit all of it, so none starts cold. The files are split in contiguous chunks:
this process does the first, each worker another, and sends its results back pickled
through a pipe. A worker that fails to report (killed, out of memory, or hung past its
chunk's timeout, when it is killed) costs nothing but time: its chunk is done here (a fix
is idempotent and written atomically: a file a dying worker already fixed is found fixed).
Each file is read and written by exactly one process at a time.

Files are done in this process when asked (``--jobs 1``, ``CFGGUARD_JOBS=1``), with one
core, and where forking is not safe: without ``os.fork`` (Windows), on macOS (its system
libraries may not survive a fork), and in a host running threads (a thread holding a lock
at the fork leaves it held forever in the child): the language server says so with
``forbid_fork``, and any other thread is seen by ``threading.active_count``.

Not ``concurrent.futures``: its pool, queues and feeder thread cost about 15 ms to import
and more to start, and its workers would each load the knowledge again.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from cfgguard.check import Options, check_source
from cfgguard.findings import Finding
from cfgguard.source import SourceError, read

PARALLEL_MIN_FILES = 32
JOBS_VARIABLE = "CFGGUARD_JOBS"
# A worker's chunk is as large as this process's own; it may take this long plus a
# multiple of what that took here (a loaded machine, a slower core) before it is killed.
CHUNK_TIMEOUT_FLOOR = 10.0
CHUNK_TIMEOUT_FACTOR = 4.0
T = TypeVar("T")
R = TypeVar("R")

Job = tuple[str, Options]
Result = tuple[str | None, list[Finding], str | None]  # checked path, findings, error
Worker = tuple[int, int]  # pid, read end of its pipe


class _Host:
    fork_forbidden = False  # set by forbid_fork


class JobsError(ValueError):
    """An unusable ``CFGGUARD_JOBS`` value (a usage error: exit 2)."""


def requested_jobs(flag: int | None, environ: Mapping[str, str] = os.environ) -> int | None:
    """How many processes were asked for: ``--jobs``, else ``CFGGUARD_JOBS`` (empty: unset),
    else None (one per core)."""
    if flag is not None:
        return flag
    text = environ.get(JOBS_VARIABLE, "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise JobsError(f"{JOBS_VARIABLE}={text}: expected a positive integer (1: no forking)")
    return int(text)


def forbid_fork() -> None:
    """Do every file in this process from now on (called by hosts that run threads)."""
    _Host.fork_forbidden = True


def _check(job: Job) -> Result:
    path, options = job
    try:
        source = read(path)
    except SourceError as exc:
        return None, [], str(exc)
    return source.path, check_source(source, options), None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _other_threads() -> bool:
    if "threading" not in sys.modules:  # nothing started a thread through it
        return False
    from threading import active_count

    return active_count() > 1


def _fork_is_safe() -> bool:
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    return not _Host.fork_forbidden and not _other_threads()


def check_all(jobs: Sequence[Job], processes: int | None = None) -> list[Result]:
    return map_in_order(_check, jobs, processes)


def map_in_order(
    work: Callable[[T], R], items: Sequence[T], processes: int | None = None
) -> list[R]:
    """``[work(item) for item in items]``, in up to ``processes`` processes (default: one
    per core) when there are enough items and forking is safe."""
    if processes == 1 or len(items) < PARALLEL_MIN_FILES or not _fork_is_safe():
        return [work(item) for item in items]
    workers = min(processes or _cores(), len(items) // (PARALLEL_MIN_FILES // 2))
    if workers < 2:
        return [work(item) for item in items]
    results = [work(items[0])]  # warms this process up before it forks
    rest = items[1:]
    size = -(-len(rest) // workers)
    chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
    forked = [_fork(work, chunk) for chunk in chunks[1:]]
    started = time.monotonic()
    results.extend(work(item) for item in chunks[0])
    own = time.monotonic() - started
    delivered = _gather(forked, time.monotonic() + CHUNK_TIMEOUT_FLOOR + CHUNK_TIMEOUT_FACTOR * own)
    for data, chunk in zip(delivered, chunks[1:], strict=True):
        results.extend(_delivered_or_here(work, chunk, data))
    return results


def _fork(work: Callable[[T], R], chunk: Sequence[T]) -> Worker | None:
    """Start a worker for ``chunk``, or None if none started."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the worker: work, report, and leave without running any cleanup
        status = 1
        try:
            os.close(read_end)
            import pickle

            data = pickle.dumps([work(item) for item in chunk], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _gather(workers: Sequence[Worker | None], deadline: float) -> list[bytes | None]:
    """Each worker's report, or None: none started, it failed, or it was still at work at
    ``deadline`` (then it is killed). All pipes are read at once, so a worker whose report
    fills its pipe is never waiting on this process while the clock runs."""
    import selectors
    import signal

    parts: dict[int, list[bytes]] = {}
    with selectors.DefaultSelector() as selector:
        for index, worker in enumerate(workers):
            if worker is not None:
                selector.register(worker[1], selectors.EVENT_READ, index)
                parts[index] = []
        while selector.get_map() and (left := deadline - time.monotonic()) > 0:
            for key, _ in selector.select(left):
                data = os.read(key.fd, 1 << 16)
                if data:
                    parts[key.data].append(data)
                    continue
                selector.unregister(key.fd)
                os.close(key.fd)
        late = {key.data for key in selector.get_map().values()}
        for key in list(selector.get_map().values()):
            selector.unregister(key.fd)
            os.close(key.fd)
    reports: list[bytes | None] = []
    for index, worker in enumerate(workers):
        if worker is None:
            reports.append(None)
            continue
        if index in late:
            os.kill(worker[0], signal.SIGKILL)
        _, status = os.waitpid(worker[0], 0)
        reports.append(b"".join(parts[index]) if status == 0 and index not in late else None)
    return reports


def _delivered_or_here(work: Callable[[T], R], chunk: Sequence[T], data: bytes | None) -> list[R]:
    """The results a worker reported for ``chunk``; without a full report, done here."""
    if data:
        import pickle

        results: list[R] = pickle.loads(data)
        if len(results) == len(chunk):
            return results
    return [work(item) for item in chunk]
