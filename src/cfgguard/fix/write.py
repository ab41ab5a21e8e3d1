"""Replace a file atomically, keeping its mode and BOM, never through a symlink."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile


class WriteError(Exception):
    pass


def write_atomic(path: str, data: bytes, expected: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and a rename.

    ``expected`` is what the file held when it was read: if it changed meanwhile (another
    process fixed it), nothing is written. Symlinks are refused, so a write never lands
    outside the path given.
    """
    if os.path.islink(path):
        raise WriteError(f"{path}: is a symbolic link; cfgguard does not fix through links")
    try:
        info = os.stat(path)
        with open(path, "rb") as handle:
            current = handle.read()
    except OSError as exc:
        raise WriteError(f"{path}: cannot read before writing ({exc.strerror})") from None
    # mode bits, not os.access: root may write anything, but a read-only file says "don't"
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        path, os.W_OK
    ):
        raise WriteError(f"{path}: is read-only; left as it is")
    if current != expected:
        raise WriteError(f"{path}: changed while it was being fixed; left as it is")
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".cfgguard-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteError(f"{path}: cannot create a temporary file ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        os.replace(tmp, path)
    except BaseException as exc:  # also Ctrl-C between writing and renaming: no temp file left
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteError(f"{path}: cannot write ({exc.strerror})") from None
        raise
