"""Replace a file atomically, keeping its mode, owner, group and BOM.

Every step goes through one descriptor of the file's real directory (a symlinked parent
is resolved once, so it cannot be swapped mid-way), never through a symlink, never
splitting hard links. What the file held is compared again right before the rename.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Callable

STALE_AFTER = 600.0  # seconds: a temp file lives milliseconds; an older one was left by a kill
_TEMP = re.compile(r"\.cfgguard-[a-z0-9_]{8,12}\.tmp")
_cleaned: set[tuple[int, int]] = set()  # directories (device, inode) already swept


class WriteError(Exception):
    pass


def write_atomic(path: str, data: bytes, expected: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and a rename.

    ``expected`` is what the file held when it was read: if it changed meanwhile (another
    process fixed it or appended to it), nothing is written.
    """
    directory = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    name = os.path.basename(path)
    try:
        dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise WriteError(f"{path}: cannot open its directory ({exc.strerror})") from None
    try:
        _write_in(dir_fd, path, name, data, expected)
    finally:
        os.close(dir_fd)


def _write_in(dir_fd: int, path: str, name: str, data: bytes, expected: bytes) -> None:
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            raise WriteError(f"{path}: is a symbolic link; cfgguard does not fix through links")
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError as exc:
        raise WriteError(f"{path}: cannot read before writing ({exc.strerror})") from None
    try:
        held = os.fstat(fd)
        _refuse(path, name, dir_fd, info, held)
        if _read(fd) != expected:
            raise WriteError(f"{path}: changed while it was being fixed; left as it is")
        _sweep(dir_fd)
        _replace(dir_fd, path, name, data, held, lambda: _changed(fd, dir_fd, name, held, expected))
        if _moved(fd, held):  # written to after the last look: put its content back
            _replace(dir_fd, path, name, _read(fd), held, lambda: False)
            raise WriteError(f"{path}: changed while it was being written; left as it was")
    finally:
        os.close(fd)


def _refuse(path: str, name: str, dir_fd: int, info: os.stat_result, held: os.stat_result) -> None:
    if not stat.S_ISREG(held.st_mode):
        raise WriteError(f"{path}: not a regular file; left as it is")
    if held.st_ino != info.st_ino:  # another writer renamed a new file over it between the two
        raise WriteError(f"{path}: changed while it was being fixed; left as it is")
    if held.st_nlink > 1:
        raise WriteError(
            f"{path}: has {held.st_nlink} hard links; replacing it would split them, left as it is"
        )
    # mode bits, not os.access alone: root may write anything, but a read-only file says "don't"
    if not held.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        name, os.W_OK, dir_fd=dir_fd
    ):
        raise WriteError(f"{path}: is read-only; left as it is")


def _replace(
    dir_fd: int,
    path: str,
    name: str,
    data: bytes,
    original: os.stat_result,
    changed: Callable[[], bool],
) -> None:
    """Temp file with ``data``, the original's mode and owner, then rename over ``name``
    unless ``changed()`` says the original moved on."""
    fd, tmp = _create_temp(dir_fd, path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            mine = os.fstat(handle.fileno())
            if (mine.st_uid, mine.st_gid) != (original.st_uid, original.st_gid):
                try:
                    os.fchown(handle.fileno(), original.st_uid, original.st_gid)
                except PermissionError:
                    raise WriteError(
                        f"{path}: cannot keep its owner and group"
                        f" ({original.st_uid}:{original.st_gid}); left as it is"
                    ) from None
            os.fchmod(handle.fileno(), stat.S_IMODE(original.st_mode))
        if changed():
            raise WriteError(f"{path}: changed while it was being fixed; left as it is")
        os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException as exc:  # also Ctrl-C between writing and renaming: no temp file left
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=dir_fd)
        if isinstance(exc, OSError):
            raise WriteError(f"{path}: cannot write ({exc.strerror})") from None
        raise
    with contextlib.suppress(OSError):
        os.fsync(dir_fd)  # the rename itself on disk


def _create_temp(dir_fd: int, path: str) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    for _ in range(100):
        tmp = f".cfgguard-{secrets.token_hex(5)}.tmp"
        try:
            return os.open(tmp, flags, 0o600, dir_fd=dir_fd), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise WriteError(f"{path}: cannot create a temporary file ({exc.strerror})") from None
    raise WriteError(f"{path}: cannot create a temporary file (every name taken)")


def _read(fd: int) -> bytes:
    chunks: list[bytes] = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _moved(fd: int, held: os.stat_result) -> bool:
    now = os.fstat(fd)
    return (now.st_size, now.st_mtime_ns) != (held.st_size, held.st_mtime_ns)


def _changed(fd: int, dir_fd: int, name: str, held: os.stat_result, expected: bytes) -> bool:
    """Whether the file at ``name`` is no longer the one read, as it was read."""
    try:
        there = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return True
    return there.st_ino != held.st_ino or _moved(fd, held) or _read(fd) != expected


def _sweep(dir_fd: int) -> None:
    """Remove temp files a killed cfgguard left here: our names, ours, regular, old."""
    own = os.fstat(dir_fd)
    if (own.st_dev, own.st_ino) in _cleaned:
        return
    _cleaned.add((own.st_dev, own.st_ino))
    cutoff = time.time() - STALE_AFTER
    with contextlib.suppress(OSError), os.scandir(dir_fd) as entries:
        for entry in entries:
            if not _TEMP.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if (
                    stat.S_ISREG(info.st_mode)
                    and info.st_nlink == 1
                    and info.st_uid == os.geteuid()
                    and info.st_mtime < cutoff
                ):
                    os.unlink(entry.name, dir_fd=dir_fd)
