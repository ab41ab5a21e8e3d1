"""A module's top-level statements as source segments, parsed one at a time when needed.

Parsing a whole module costs about 0.4 ms per KB (plus the garbage collector's passes over
the new nodes, which triple it); a repository's training scripts and utilities easily
reach a megabyte. A scan needs little of that: the imports, the classes it follows names
to, module-level tuples, and the statements on the lines that name a parser. So the text
is cut where a top-level statement starts (a line at column 0 that is not a comment, a
closing bracket, a decorated definition's continuation, an ``else``/``except``-like
clause, or inside a triple-quoted string), and each segment is parsed when asked for,
with its real line numbers. A segment that does not parse on its own (the cut was wrong,
or the file is broken) makes the whole file parse once instead, so the answer is the
same as a full parse.
"""

from __future__ import annotations

import ast
import gc
import re

_CONTINUES = re.compile(r"(?:else|elif|except|finally|case)\b")
_CLASS = re.compile(r"class\s+(\w+)")
_IMPORT = re.compile(r"(?:from|import)\s")
_TUPLE = re.compile(r"([A-Za-z_]\w*)\s*(?::[^=]*)?=\s*[(\[]")


def parse_quietly(text: str) -> ast.Module:
    """``ast.parse`` with the collector paused (the new tree holds no cycles to find)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(text)
    finally:
        if enabled:
            gc.enable()


# a triple quote, or the start of a line at column 0 that can begin a statement
_TOKENS = re.compile(r"\"\"\"|'''|^(?=[^\s#)\]}])", re.MULTILINE)


def _starts(text: str) -> list[int]:
    """0-based lines where top-level statements start."""
    starts: list[int] = []
    quote = ""  # the triple quote of a string spanning lines, while inside it
    decorated = False
    line, offset = 0, 0
    for found in _TOKENS.finditer(text):
        mark = found.group()
        if mark:
            if quote == "":
                quote = mark
            elif quote == mark:
                quote = ""
            continue
        if quote:
            continue
        position = found.start()
        line += text.count("\n", offset, position)
        offset = position
        if decorated or _CONTINUES.match(text, position):
            decorated = text.startswith("@", position)
            continue
        decorated = text.startswith("@", position)
        starts.append(line)
    return starts


class Segments:
    """The top-level statements of one module's text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.starts = _starts(text)
        self._parsed: dict[int, list[ast.stmt]] = {}
        self.full: ast.Module | None = None  # set once a segment failed on its own
        self.error: SyntaxError | None = None

    def __len__(self) -> int:
        return len(self.starts)

    def first_line(self, segment: int) -> str:
        return self.lines[self.starts[segment]]

    def span(self, segment: int) -> tuple[int, int]:
        """First and last line (1-based) of a segment."""
        end = self.starts[segment + 1] if segment + 1 < len(self.starts) else len(self.lines)
        return self.starts[segment] + 1, end

    def statements(self, segment: int) -> list[ast.stmt]:
        """The statements of one segment, with the file's line numbers ([] when the file
        does not parse: ``error`` says where)."""
        cached = self._parsed.get(segment)
        if cached is not None:
            return cached
        if self.full is None and self.error is None:
            first, last = self.span(segment)
            try:
                # blank lines before the segment give its nodes the file's line numbers
                tree = parse_quietly("\n" * (first - 1) + "".join(self.lines[first - 1 : last]))
                self._parsed[segment] = tree.body
                return tree.body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._parse_all()
        if self.full is None:
            return []
        first, last = self.span(segment)
        found = [s for s in self.full.body if first <= s.lineno <= last]
        self._parsed[segment] = found
        return found

    def _parse_all(self) -> None:
        try:
            self.full = parse_quietly("".join(self.lines))
        except SyntaxError as exc:
            self.error = exc
        except (ValueError, RecursionError, MemoryError):
            self.error = SyntaxError("not parsable")

    def classes(self) -> dict[str, int]:
        """Top-level class name -> its segment (a later definition wins, as at import)."""
        out: dict[str, int] = {}
        for segment in range(len(self.starts)):
            first = self.first_line(segment)
            if first.startswith("@"):
                rest = self.lines[self.starts[segment] :]
                first = next((line for line in rest if not line.startswith("@")), "")
            found = _CLASS.match(first)
            if found:
                out[found.group(1)] = segment
        return out

    def import_segments(self) -> list[int]:
        """Segments that are imports, or blocks (``try:``, ``if``) holding one."""
        out: list[int] = []
        for segment in range(len(self.starts)):
            first = self.first_line(segment)
            if _IMPORT.match(first):
                out.append(segment)
            elif first.startswith(("try", "if", "with")):
                start, end = self.span(segment)
                if any(_IMPORT.match(line.lstrip()) for line in self.lines[start - 1 : end]):
                    out.append(segment)
        return out

    def tuple_segments(self) -> dict[str, int]:
        """Module-level ``NAME = (`` / ``NAME = [`` assignments -> their segment."""
        out: dict[str, int] = {}
        for segment in range(len(self.starts)):
            found = _TUPLE.match(self.first_line(segment))
            if found:
                out.setdefault(found.group(1), segment)
        return out

    def segments_on(self, lines: set[int]) -> list[int]:
        out: list[int] = []
        for segment in range(len(self.starts)):
            first, last = self.span(segment)
            if any(first <= line <= last for line in lines):
                out.append(segment)
        return out
