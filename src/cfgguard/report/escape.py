"""The one escaping helper for everything cfgguard prints: paths, values, messages.

``visible`` makes text safe to print: control characters (C0, DEL, C1), bidirectional
embeddings, overrides and isolates, line and paragraph separators, and undecodable bytes
from file names become readable escapes (``\\x1b``, ``\\n``, ``\\u202e``), so a hostile file
name, key or value can neither move the cursor, recolour the terminal, break the
one-line-per-item layout, start a CI workflow command on a line of its own, nor reorder
text. Every human format, ``show``, ``triage``, ``convert``, the fix messages, error lines,
the github format and the Action's log go through it.
"""

from __future__ import annotations

import re
import sys
from functools import cache

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph
# separators, and lone surrogates (undecodable bytes in file names, via surrogateescape).
# Every one of them is outside ``str.isprintable``, so printable text needs no look (and a
# run that prints only such text never compiles the class: a 2048-surrogate range).
UNSAFE_PATTERN = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


@cache
def unsafe() -> re.Pattern[str]:
    """``UNSAFE_PATTERN``, compiled."""
    return re.compile(UNSAFE_PATTERN)


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


def visible(text: object) -> str:
    """``text`` (``str()`` of anything else) with every unsafe character replaced."""
    text = text if isinstance(text, str) else str(text)
    if text.isprintable():
        return text
    return unsafe().sub(lambda m: escape_char(m.group()), text)


def print_error(message: object) -> None:
    """One ``cfgguard: error: ...`` line on stderr, escaped (exit-2 problems)."""
    print(f"cfgguard: error: {visible(message)}", file=sys.stderr)


def print_note(message: object) -> None:
    """One escaped line of cfgguard's own commentary on stderr (``wrote x``, summaries)."""
    print(visible(message), file=sys.stderr)


__all__ = ["UNSAFE_PATTERN", "escape_char", "print_error", "print_note", "unsafe", "visible"]
