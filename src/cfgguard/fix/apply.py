"""Splice edits into text: sorted, non-overlapping, all-or-nothing per fix."""

from __future__ import annotations

from collections.abc import Sequence

from cfgguard.findings import Edit, Fix


class Offsets:
    """1-based (line, column) -> character offset, lines split on ``\\n`` (as the parser)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        at = text.find("\n")
        while at >= 0:
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)
        self.length = len(text)

    def offset(self, line: int, column: int) -> int:
        if line - 1 >= len(self.starts):
            return self.length
        return min(self.starts[line - 1] + column - 1, self.length)

    def span(self, edit: Edit) -> tuple[int, int]:
        return self.offset(edit.line, edit.column), self.offset(edit.end_line, edit.end_column)


def choose(text: str, fixes: Sequence[Fix]) -> list[Fix]:
    """The fixes whose edits overlap neither each other nor an earlier chosen fix."""
    offsets = Offsets(text)
    taken: list[tuple[int, int]] = []
    chosen: list[Fix] = []
    for fix in fixes:
        spans = [offsets.span(e) for e in fix.edits]
        if any(_overlaps(s, t) for s in spans for t in taken):
            continue
        taken.extend(spans)
        chosen.append(fix)
    return chosen


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # two insertions at the same point conflict too (their order would be arbitrary)
    if a[0] == a[1] == b[0] == b[1]:
        return True
    return a[0] < b[1] and b[0] < a[1]


def apply(text: str, fixes: Sequence[Fix], newline: str = "\n") -> str:
    """Apply every edit of ``fixes`` (assumed non-overlapping) to ``text``."""
    offsets = Offsets(text)
    edits = sorted(
        ((offsets.span(e), e.content) for f in fixes for e in f.edits),
        key=lambda item: item[0],
        reverse=True,
    )
    out = text
    for (start, end), content in edits:
        text_in = content.replace("\n", newline) if newline != "\n" else content
        out = out[:start] + text_in + out[end:]
    return out
