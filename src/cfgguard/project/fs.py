"""The repository's root, and reading its files within bounds (regular files, inside the root)."""

from __future__ import annotations

import os
import stat

MAX_PIN_FILE = 2_000_000  # bytes; a requirements file or lock larger than this is not read
MAX_UP = 64  # directories from a config up to its root


def repository_root(config_path: str, cwd: str | None = None) -> str:
    """The nearest ancestor of the config holding ``.git`` (a directory, or the file a
    worktree or submodule has); else the working directory when it contains the config;
    else the config's own directory. Absolute, not resolved through symlinks."""
    start = os.path.dirname(os.path.abspath(config_path))
    folder = start
    for _ in range(MAX_UP * 4):
        if os.path.lexists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    here = os.path.abspath(cwd if cwd is not None else os.getcwd())
    return here if is_within(start, here) else start


def is_within(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or below it (both absolute, compared as written)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def chain(start: str, root: str) -> list[str]:
    """``start`` and its ancestors up to ``root``, closest first (only ``root`` when
    ``start`` is not below it)."""
    if not is_within(start, root):
        return [root]
    out = [start]
    while out[-1] != root and len(out) < MAX_UP:
        out.append(os.path.dirname(out[-1]))
    return out


def relative(path: str, root: str) -> str:
    rel = os.path.relpath(path, root)
    return "." if rel == "." else rel.replace(os.sep, "/")


class Reader:
    """Reads files below one root: regular files only, at most ``limit`` bytes, and never
    through a symlink that leaves the root. Says why a file was not read."""

    def __init__(self, root: str, limit: int = MAX_PIN_FILE) -> None:
        self.root = root
        self.limit = limit
        self._real_root = os.path.realpath(root)

    def inside(self, path: str) -> bool:
        return is_within(os.path.realpath(path), self._real_root)

    def read(self, path: str) -> tuple[str | None, str]:
        """``(text, "")``, or ``(None, why)``; ``why`` is "" for a file that is simply absent."""
        try:
            info = os.stat(path)
        except OSError:
            return None, ""
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file"
        if not self.inside(path):
            return None, "a symlink out of the repository"
        if info.st_size > self.limit:
            return None, f"larger than {self.limit // 1_000_000} MB"
        try:
            with open(path, "rb") as handle:
                data = handle.read(self.limit + 1)
        except OSError as exc:
            return None, f"cannot be read ({exc.strerror or 'error'})"
        try:
            return data.decode("utf-8-sig"), ""
        except UnicodeDecodeError:
            return None, "not UTF-8"


def entries(folder: str) -> tuple[tuple[str, bool], ...]:
    """``(name, is_dir)`` for each entry of ``folder``, sorted; symlinks count as files or
    directories by what they point to (the reader checks where)."""
    try:
        with os.scandir(folder) as it:
            out: list[tuple[str, bool]] = []
            for entry in it:
                try:
                    out.append((entry.name, entry.is_dir()))
                except OSError:
                    continue
    except OSError:
        return ()
    return tuple(sorted(out))
