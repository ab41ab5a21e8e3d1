"""Terminal safety and colour for the human formats (text, concise, grouped).

``visible`` makes a path or message safe to print: control characters (C0, DEL, C1),
bidirectional overrides and undecodable bytes from file names become readable escapes
(``\\x1b``, ``\\n``, ``\\u202e``), so a hostile file name or message can neither move the
cursor, recolour the terminal, break the one-finding-per-line layout nor reorder text.

Colour follows CPython's rule order: ``NO_COLOR`` (non-empty) disables, ``FORCE_COLOR``
(non-empty) enables, ``TERM=dumb`` disables, otherwise colour only on a TTY.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

from cfgguard.findings import Severity
from cfgguard.records import dataclass

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph
# separators, and lone surrogates (undecodable bytes in file names, via surrogateescape).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape_char(char: str) -> str:
    """The readable escape for one unsafe character."""
    if char in _NAMED:
        return _NAMED[char]
    point = ord(char)
    if 0xDC80 <= point <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{point - 0xDC00:02x}"
    if point <= 0xFF:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}"


def visible(text: str) -> str:
    """``text`` with every unsafe character replaced by its escape."""
    return _UNSAFE.sub(lambda m: escape_char(m.group()), text)


class _Stream(Protocol):
    def isatty(self) -> bool: ...


def color_enabled(stream: _Stream, environ: Mapping[str, str]) -> bool:
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


_SEVERITY_SGR = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.INFO: "1;36"}


@dataclass(frozen=True, slots=True)
class Palette:
    """ANSI styling, or none. Styles only cfgguard's own text, never unescaped input."""

    enabled: bool = False

    def _sgr(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._sgr(text, "1")

    def dim(self, text: str) -> str:
        return self._sgr(text, "2")

    def severity(self, text: str, severity: Severity) -> str:
        return self._sgr(text, _SEVERITY_SGR[severity])


PLAIN = Palette(enabled=False)

__all__ = ["PLAIN", "Palette", "color_enabled", "escape_char", "visible"]
