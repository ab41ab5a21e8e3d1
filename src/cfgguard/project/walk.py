"""One bounded walk of a repository: its Python files and its vendored framework copies.

Skipped: hidden directories, virtualenvs and installed packages, ``node_modules``, caches
and build output (``SKIP``), symlinked directories, and a vendored framework's own tree
(reported as a ``VendoredCopy``; that framework's extractor reads it). Bounded by depth,
directories, entries and Python files; a Python file over ``MAX_PY_SIZE`` is listed as a
problem and not read. Computed once per root per process.
"""

from __future__ import annotations

import os

from cfgguard.project import fs
from cfgguard.project.records import VendoredCopy
from cfgguard.project.vendorable import VENDORABLE, is_copy
from cfgguard.records import dataclass

# Folders whose framework copies are test data, not the code a run uses
TEST_DATA = frozenset({"tests", "test", "fixtures", "testdata", "test_data"})
SKIP = frozenset(
    ("venv", "env", "site-packages", "node_modules", "__pycache__", "build", "dist", "wandb")
)
MAX_DEPTH = 12
MAX_DIRS = 5_000  # directories in checkouts: open-instruct 118, LLaMA-Factory 163
MAX_ENTRIES = 100_000
MAX_PY_FILES = 5_000
MAX_PY_SIZE = 1_000_000


@dataclass(frozen=True, slots=True)
class Walk:
    root: str
    python_files: tuple[str, ...]  # relative, '/'-separated, in walk order
    vendored: tuple[VendoredCopy, ...]
    truncated: bool
    problems: tuple[str, ...]


_WALKS: dict[str, Walk] = {}


def walk_repository(root: str) -> Walk:
    root = os.path.abspath(root)
    cached = _WALKS.get(root)
    if cached is None:
        cached = _WALKS[root] = _walk(root)
    return cached


def _walk(root: str) -> Walk:
    walker = _Walker(root)
    stack: list[tuple[str, str, int]] = [(root, "", 0)]  # (path, relative, depth)
    dirs = entries = 0
    while stack:
        folder, rel, depth = stack.pop()
        dirs += 1
        if dirs > MAX_DIRS or entries > MAX_ENTRIES:
            walker.truncated = True
            break
        try:
            with os.scandir(folder) as it:
                listing = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        entries += len(listing)
        below: list[tuple[str, str, int]] = []
        for entry in listing:
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                subfolder = walker.visit(entry, child, depth)
            except OSError:
                continue
            if subfolder is not None:
                below.append(subfolder)
        stack.extend(reversed(below))
    return walker.result(root)


class _Walker:
    """What a walk has found so far; ``visit`` takes one directory entry."""

    def __init__(self, root: str) -> None:
        self.reader = fs.Reader(root)
        self.python: list[str] = []
        self.vendored: list[VendoredCopy] = []
        self.problems: list[str] = []
        self.truncated = False

    def visit(self, entry: os.DirEntry[str], child: str, depth: int) -> tuple[str, str, int] | None:
        """Record ``entry`` (at ``child``, relative); a directory to walk into is returned."""
        name = entry.name
        if entry.is_dir(follow_symlinks=False):
            if name.startswith(".") or name in SKIP:
                return None
            if name in VENDORABLE and is_copy(name, entry.path):
                if not TEST_DATA & set(child.split("/")):  # a test's fake framework
                    from cfgguard.project.vendored import copy_at

                    self.vendored.append(copy_at(name, entry.path, self.reader))
                return None
            if depth + 1 > MAX_DEPTH:
                self.truncated = True
                return None
            return entry.path, child, depth + 1
        if name.endswith(".py") and entry.is_file(follow_symlinks=False):
            self._python_file(entry, child)
        return None

    def _python_file(self, entry: os.DirEntry[str], child: str) -> None:
        if entry.stat(follow_symlinks=False).st_size > MAX_PY_SIZE:
            self.problems.append(f"{child}:0: not read: larger than 1 MB")
        elif len(self.python) >= MAX_PY_FILES:
            self.truncated = True
        else:
            self.python.append(child)

    def result(self, root: str) -> Walk:
        self.vendored.sort(key=lambda copy: copy.path)
        return Walk(
            root, tuple(self.python), tuple(self.vendored), self.truncated, tuple(self.problems)
        )
