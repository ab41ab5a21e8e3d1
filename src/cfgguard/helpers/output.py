"""Where ``init`` and ``convert`` put their text: stdout, or a new or ``--force``-replaced file.

A file is written atomically (a temp file in the same directory, then a rename), keeps the
mode of the file it replaces, and is only ever a regular file: a FIFO, a device or a
directory is refused (opening a FIFO for writing would wait for a reader forever), and so
is a symbolic link (the write would land wherever it points).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile

from cfgguard.report.escape import print_error, print_note


class OutputError(Exception):
    pass


def _existing_mode(path: str, force: bool) -> int | None:
    """The mode of the file to replace (None: there is none); raises for what may not be."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(f"{path}: is a symbolic link; name the real file")
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{path}: not a regular file")
    if not force:
        raise OutputError(f"{path}: exists; use --force to overwrite")
    return stat.S_IMODE(info.st_mode)


def write_file(path: str, text: str, force: bool) -> None:
    mode = _existing_mode(path, force)
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".cfgguard-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:  # a new file: what open() would have made (0666 minus the umask)
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:  # also Ctrl-C before the rename: no temp file left
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
        raise


def emit(text: str, output: str | None, force: bool) -> int:
    """Print ``text`` or write it to ``output``: the command's exit code."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    try:
        write_file(output, text, force)
    except OutputError as exc:
        print_error(f"{exc}; nothing written")
        return 2
    print_note(f"wrote {output}")
    return 0
