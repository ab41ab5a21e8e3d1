"""Positions between cfgguard and the editor.

cfgguard counts 1-based lines and columns in code points of the text without its
byte-order mark, the end column exclusive (``Finding``, ``Edit``). LSP counts 0-based
lines and characters in the code units of the negotiated position encoding: UTF-16
unless the client offered UTF-8 or UTF-32, so a character outside the Basic
Multilingual Plane (an emoji) is two units. Lines are split on ``\\n`` only, as the
parser splits them (a lone ``\\r`` is refused before any check).
"""

from __future__ import annotations

from bisect import bisect_right

from cfgguard.source import BOM

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units ``text`` is in the position encoding."""
    if text.isascii() or encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _column(line: str, count: int, encoding: str) -> int:
    """The code-point column ``count`` code units into ``line`` (inside a character: its
    start; past the end: the end)."""
    if line.isascii() or encoding == UTF32:
        return min(count, len(line))
    total = 0
    for column, char in enumerate(line):
        total += units(char, encoding)
        if total > count:
            return column
    return len(line)


class Lines:
    """The editor's text of one document, and conversions of its positions.

    ``bom``: the editor's text starts with a byte-order mark, which cfgguard's text does
    not hold, so the first line's columns shift by one between the two.
    """

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.bom = text.startswith(BOM)
        self.starts = [0]
        at = text.find("\n")
        while at >= 0:
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)

    def line(self, number: int) -> str:
        """Line ``number`` (0-based) without its line break (a CRLF's ``\\r`` dropped)."""
        if number >= len(self.starts):
            return ""
        start = self.starts[number]
        end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].removesuffix("\r")

    @property
    def count(self) -> int:
        return len(self.starts)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) in the editor's units of a code-point offset into its text."""
        offset = max(0, min(offset, len(self.text)))
        number = bisect_right(self.starts, offset) - 1
        start = self.starts[number]
        return number, units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The code-point offset into the editor's text of an LSP position (clamped)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + _column(self.line(line), max(character, 0), self.encoding)

    def from_source(self, line: int, column: int) -> tuple[int, int]:
        """An LSP position of a cfgguard 1-based (line, column)."""
        number = max(line - 1, 0)
        if number >= len(self.starts):
            return self.position(len(self.text))
        column = max(column - 1, 0) + (1 if self.bom and number == 0 else 0)
        text = self.line(number)
        return number, units(text[: min(column, len(text))], self.encoding)

    def source_offset(self, line: int, character: int) -> int:
        """The offset into cfgguard's text (no byte-order mark) of an LSP position."""
        return max(self.offset(line, character) - (1 if self.bom else 0), 0)

    def from_source_offset(self, offset: int) -> tuple[int, int]:
        """The LSP position of an offset into cfgguard's text."""
        return self.position(offset + (1 if self.bom else 0))

    def end(self) -> tuple[int, int]:
        return self.position(len(self.text))
