"""``scan_repository``: a repository's own argument classes, parser calls and vendored
framework copies, once per root per process.

The walk lists the Python files; only when one of them mentions a parser or a
``...Config``/``...Arguments`` base is the ``ast`` machinery (``classes.py``) imported and
run, so a repository of configs and pins alone costs a directory walk.
"""

from __future__ import annotations

import os
import re

from cfgguard.patterns import Pattern
from cfgguard.project.records import RepoScan
from cfgguard.project.walk import walk_repository

PARSERS = ("TrlParser", "HfArgumentParser", "H4ArgumentParser")
# Which files are parsed at all. Two patterns, each searched on its own: unanchored and
# without a lazy repeat they are several times faster than one (3 MB of Python: 17 ms)
PARSER_MENTION = Pattern(rb"TrlParser|HfArgumentParser|H4ArgumentParser|ArgumentParser\w")
CLASS_MENTION = Pattern(rb"class[ \t]+\w+[ \t]*\([^)\n]*(?:Config|Arguments|Args)\b")
HYDRA_MAIN = re.compile(rb"@hydra\.main\(")
# a class of the repository's own deriving from a trainer (``class X(GRPOTrainer):``)
TRAINER_CLASS = re.compile(rb"^class[ \t]+(\w+)[ \t]*\([^)\n]*Trainer\b", re.MULTILINE)
MAX_TRAINERS = 20
MAX_PEEK = 1_000_001  # bytes of a file read to look for a mention (files over 1 MB are skipped)

_SCANS: dict[str, RepoScan] = {}


def scan_repository(root: str) -> RepoScan:
    root = os.path.abspath(root)
    cached = _SCANS.get(root)
    if cached is None:
        cached = _SCANS[root] = _scan(root)
    return cached


def _scan(root: str) -> RepoScan:
    walk = walk_repository(root)
    peeks = [(rel, _peek(root, rel)) for rel in walk.python_files]
    apps = tuple(rel for rel, data in peeks if HYDRA_MAIN.search(data))
    trainers = _trainers(peeks, tuple(copy.source for copy in walk.vendored))
    if not any(PARSER_MENTION.search(data) or CLASS_MENTION.search(data) for _, data in peeks):
        return RepoScan(
            root=walk.root,
            vendored=walk.vendored,
            python_files=len(walk.python_files),
            truncated=walk.truncated,
            problems=tuple(sorted(set(walk.problems))),
            hydra_apps=apps,
            trainers=trainers,
        )
    from cfgguard.project.classes import Scanner
    from cfgguard.records import replace

    return replace(Scanner(root).scan(), hydra_apps=apps, trainers=trainers)


def _trainers(peeks: list[tuple[str, bytes]], vendored: tuple[str, ...]) -> tuple[str, ...]:
    """``path:line: Name`` of the repository's own trainer classes (the first few); a
    vendored framework checkout's (its recipes beside the package) are the framework's."""
    if any(top in ("", ".") for top in vendored):
        return ()  # the repository is a framework's fork
    tops = tuple(top.rstrip("/") + "/" for top in vendored)
    out: list[str] = []
    for rel, data in peeks:
        if b"Trainer" not in data or rel.startswith(tops):
            continue
        for match in TRAINER_CLASS.finditer(data):
            line = data.count(b"\n", 0, match.start()) + 1
            name = match.group(1).decode("ascii", "replace")
            out.append(f"{rel}:{line}: {name}")
            if len(out) == MAX_TRAINERS:
                return tuple(out)
    return tuple(out)


def _peek(root: str, rel: str) -> bytes:
    try:
        with open(os.path.join(root, *rel.split("/")), "rb") as handle:
            return handle.read(MAX_PEEK)
    except OSError:
        return b""
