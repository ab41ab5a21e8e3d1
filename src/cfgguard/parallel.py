"""Check many files on every core, keeping the output order.

Worth it from a few dozen files on: the workers are forked (no re-import, no start-up
cost beyond the fork), each gets a contiguous chunk, and results come back in input
order. Elsewhere (one file, no fork on the platform, one core) files are checked in
this process. multiprocessing and concurrent.futures cost about 15 ms to import, so they
are imported only when a run is big enough to use them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from cfgguard.check import Options, check_source
from cfgguard.findings import Finding
from cfgguard.source import SourceError, read

PARALLEL_MIN_FILES = 32

Job = tuple[str, Options]
Result = tuple[str | None, list[Finding], str | None]  # checked path, findings, error


def _check(job: Job) -> Result:
    path, options = job
    try:
        source = read(path)
    except SourceError as exc:
        return None, [], str(exc)
    return source.path, check_source(source, options), None


def _workers() -> int:
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def check_all(jobs: Sequence[Job]) -> list[Result]:
    if len(jobs) < PARALLEL_MIN_FILES:
        return [_check(job) for job in jobs]
    workers = min(_workers(), max(1, len(jobs) // (PARALLEL_MIN_FILES // 2)))
    if workers < 2:
        return [_check(job) for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(jobs) // (workers * 4))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_check, jobs, chunksize=chunk))
