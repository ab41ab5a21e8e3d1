"""Check (or fix) many files on every core, keeping the output order.

Worth it from a few dozen files on. This process does the first file (loading the
knowledge and lazy modules the work needs), then forks one worker per further core; the
workers inherit all of it, so none starts cold. The files are split in contiguous chunks:
this process does the first, each worker another, and sends its results back pickled
through a pipe. A worker that fails to report (killed, out of memory) costs nothing but
time: its chunk is done here (a fix is idempotent: a file a dying worker already fixed is
found fixed). Without ``os.fork`` (Windows) or with one core, files are done in this
process. Each file is read and written by exactly one process.

Not ``concurrent.futures``: its pool, queues and feeder thread cost about 15 ms to import
and more to start, and its workers would each load the knowledge again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from cfgguard.check import Options, check_source
from cfgguard.findings import Finding
from cfgguard.source import SourceError, read

PARALLEL_MIN_FILES = 32
T = TypeVar("T")
R = TypeVar("R")

Job = tuple[str, Options]
Result = tuple[str | None, list[Finding], str | None]  # checked path, findings, error


def _check(job: Job) -> Result:
    path, options = job
    try:
        source = read(path)
    except SourceError as exc:
        return None, [], str(exc)
    return source.path, check_source(source, options), None


def _cores() -> int:
    if not hasattr(os, "fork"):  # pragma: no cover - not POSIX
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def check_all(jobs: Sequence[Job]) -> list[Result]:
    return map_in_order(_check, jobs)


def map_in_order(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[work(item) for item in items]``, on every core when there are enough items."""
    workers = min(_cores(), len(items) // (PARALLEL_MIN_FILES // 2))
    if len(items) < PARALLEL_MIN_FILES or workers < 2:
        return [work(item) for item in items]
    results = [work(items[0])]  # warms this process up before it forks
    rest = items[1:]
    size = -(-len(rest) // workers)
    chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
    forked = [(_fork(work, chunk), chunk) for chunk in chunks[1:]]
    results.extend(work(item) for item in chunks[0])
    for child, chunk in forked:
        results.extend(_collect(work, child, chunk))
    return results


def _fork(work: Callable[[T], R], chunk: Sequence[T]) -> tuple[int, int] | None:
    """Start a worker for ``chunk``: (pid, read end of its pipe), or None if none started."""
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


def _collect(work: Callable[[T], R], child: tuple[int, int] | None, chunk: Sequence[T]) -> list[R]:
    """A worker's results; its chunk done here if it did not deliver them."""
    if child is None:
        return [work(item) for item in chunk]
    pid, read_end = child
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status == 0 and data:
        import pickle

        results: list[R] = pickle.loads(data)
        if len(results) == len(chunk):
            return results
    return [work(item) for item in chunk]
