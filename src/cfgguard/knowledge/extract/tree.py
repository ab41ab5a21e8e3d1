"""Source trees an extractor reads: a wheel, an sdist, or a directory.

Only reading: nothing is unpacked to disk, imported or run. Paths are '/'-separated and
relative to the distribution's top (an sdist's ``name-1.0/`` prefix is dropped; a
``src/`` layout keeps its ``src/``, so extractors look files up by their suffix).
Files over ``MAX_FILE`` bytes are not read (no argument class is that long).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # imported where an archive is opened: a vendored copy is a directory
    import tarfile

MAX_FILE = 4_000_000


class SourceTree(Protocol):
    def paths(self) -> tuple[str, ...]: ...

    def read(self, path: str) -> str | None: ...


def find(tree: SourceTree, suffix: str) -> str | None:
    """The shortest path that is ``suffix`` or ends with ``/suffix``."""
    hits = [p for p in tree.paths() if p == suffix or p.endswith("/" + suffix)]
    return min(hits, key=len) if hits else None


def under(tree: SourceTree, folder: str, ending: str = ".py") -> list[str]:
    """Paths below ``folder`` (matched as a path part anywhere) that end with ``ending``."""
    marker = folder.strip("/") + "/"
    return sorted(
        p
        for p in tree.paths()
        if (p.startswith(marker) or f"/{marker}" in p) and p.endswith(ending)
    )


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


class ZipTree:
    def __init__(self, path: str) -> None:
        import zipfile

        self._zip = zipfile.ZipFile(path)
        self._names = {i.filename: i for i in self._zip.infolist() if not i.is_dir()}

    def paths(self) -> tuple[str, ...]:
        return tuple(self._names)

    def read(self, path: str) -> str | None:
        info = self._names.get(path)
        if info is None or info.file_size > MAX_FILE:
            return None
        return _text(self._zip.read(info))


class TarTree:
    def __init__(self, path: str) -> None:
        import tarfile

        self._tar = tarfile.open(path)  # noqa: SIM115 - read on demand, for the build
        self._members: dict[str, tarfile.TarInfo] = {}
        for member in self._tar.getmembers():
            if member.isfile():
                _, _, rest = member.name.partition("/")
                self._members[rest or member.name] = member

    def paths(self) -> tuple[str, ...]:
        return tuple(self._members)

    def read(self, path: str) -> str | None:
        member = self._members.get(path)
        if member is None or member.size > MAX_FILE:
            return None
        handle = self._tar.extractfile(member)
        return None if handle is None else _text(handle.read())


class DirTree:
    """A directory, walked once, with a bound on files (a vendored copy, a test fixture)."""

    def __init__(self, root: str, max_files: int = 20_000) -> None:
        self.root = root
        self._paths = tuple(_walk(root, max_files))

    def paths(self) -> tuple[str, ...]:
        return self._paths

    def read(self, path: str) -> str | None:
        full = os.path.join(self.root, *path.split("/"))
        try:
            if os.path.islink(full) or os.path.getsize(full) > MAX_FILE:
                return None
            with open(full, "rb") as handle:
                return _text(handle.read())
        except OSError:
            return None


def _walk(root: str, limit: int) -> Iterator[str]:
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        rel = os.path.relpath(folder, root)
        for name in sorted(files):
            yield name if rel == "." else f"{rel.replace(os.sep, '/')}/{name}"
            count += 1
            if count >= limit:
                return


def open_tree(path: str) -> SourceTree:
    if os.path.isdir(path):
        return DirTree(path)
    if path.endswith((".whl", ".zip")):
        return ZipTree(path)
    return TarTree(path)
