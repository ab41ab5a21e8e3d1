"""Bytes to text: the only place that touches a config file's encoding.

A config is UTF-8, with or without a byte-order mark. Anything else is a usage/I-O
problem (exit 2) reported in one line, never a traceback.
"""

from __future__ import annotations

import os
import re
import stat

from cfgguard.records import dataclass

BOM = "\ufeff"
MAX_READ = 256 * 1024 * 1024  # bytes: past this a file is not read at all (Y007 starts at 10 MiB)
_LONE_CR = re.compile(r"\r(?!\n)")


class SourceError(Exception):
    """A file that cannot be read as a config (missing, unreadable, not UTF-8)."""


@dataclass(frozen=True)
class Source:
    """A config file's text, with what is needed to write it back byte-identically."""

    path: str
    text: str  # without the BOM; line endings as in the file
    bom: bool = False

    def encode(self, text: str | None = None) -> bytes:
        """``text`` (default: this text) as the file's bytes: UTF-8, with its BOM if it had one."""
        body = (self.text if text is None else text).encode("utf-8")
        return b"\xef\xbb\xbf" + body if self.bom else body

    @property
    def newline(self) -> str:
        """The file's line ending: CRLF when its first line break is CRLF."""
        first = self.text.find("\n")
        return "\r\n" if first > 0 and self.text[first - 1] == "\r" else "\n"


def decode(data: bytes, path: str) -> Source:
    """Decode bytes as UTF-8 (BOM allowed); raise SourceError with the byte position."""
    encoding = _wide_encoding(data)
    if encoding is not None:
        raise SourceError(f"{path}: file is encoded as {encoding}; cfgguard reads UTF-8 only")
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            f"{path}:{line}:{column}: not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        ) from None
    lone = _LONE_CR.search(text)
    if lone is not None:  # YAML breaks lines there; positions and fixes count LF only
        line = text.count("\n", 0, lone.start()) + 1
        column = lone.start() - (text.rfind("\n", 0, lone.start()) + 1) + 1
        raise SourceError(
            f"{path}:{line}:{column}: line break is a lone carriage return (\\r, classic Mac"
            " OS); cfgguard reads LF or CRLF line endings"
        )
    return Source(path=path, text=text, bom=bom)


_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian, with a byte-order mark)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian, with a byte-order mark)"),
    (b"\xff\xfe", "UTF-16 (little-endian, with a byte-order mark)"),
    (b"\xfe\xff", "UTF-16 (big-endian, with a byte-order mark)"),
)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32, by byte-order mark or, without one, by where the NUL bytes of
    ASCII text fall (UTF-8 text has none: YAML refuses NUL)."""
    for mark, name in _BOMS:
        if data.startswith(mark):
            return name
    head = data[:4096]
    if head.count(0) * 4 < len(head):  # fewer than a quarter NULs: not a wide encoding
        return None
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        units = range(0, len(head) - len(head) % width, width)
        for order, high in (("little-endian", range(1, width)), ("big-endian", range(width - 1))):
            # ASCII text: every unit's high bytes are NUL
            spots = [head[i + j] for i in units for j in high]
            if spots and spots.count(0) >= 0.9 * len(spots):
                return f"{name} ({order}, without a byte-order mark)"
    return None


def read(path: str) -> Source:
    """Read and decode one file; every failure becomes a one-line SourceError."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; only regular files are read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError
            if not stat.S_ISREG(mode):
                raise SourceError(f"{path}: not a regular file (use - to read standard input)")
            data = handle.read(MAX_READ + 1)
            if len(data) > MAX_READ:
                raise SourceError(f"{path}: larger than {MAX_READ:,} bytes; not read")
    except FileNotFoundError:
        if os.path.islink(path):
            raise SourceError(f"{path}: dangling symbolic link (its target is missing)") from None
        raise SourceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory") from None
    except PermissionError:
        raise SourceError(f"{path}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({os.strerror(exc.errno or 0)})") from None
    return decode(data, path)
