"""Checks a fix must pass before it is applied: its spans hold what it was built for,
and it edits no node that aliases share."""

from __future__ import annotations

from collections.abc import Sequence

from cfgguard.findings import Edit, Fix
from cfgguard.fix.apply import Offsets
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Scalar

SHARED = (
    "it would edit through an alias (a value an anchor shares with its aliases, where the"
    " edit would change every place that refers to it, or an entry that ends in an alias,"
    " whose end is not where the alias is written); edit it by hand"
)


def reads_as(span: str, style: str, value: str) -> bool:
    """Whether ``span`` is the scalar ``value`` written in ``style``."""
    if style == "" and span == value:
        return True
    if style in ("'", '"') and not (len(span) >= 2 and span[0] == style == span[-1]):
        return False
    if style in ("|", ">") and not span.startswith(style):
        return False
    if style == "" and "\n" not in span:
        return False
    # multi-line, quoted or block: read the span on its own
    composed = compose(span)
    if composed.problems or len(composed.documents) != 1:
        return False
    root = composed.documents[0].root
    return isinstance(root, Scalar) and root.style == style and root.value == value


def mismatch(text: str, fixes: Sequence[Fix]) -> str | None:
    """Why an edit of ``fixes`` does not fit ``text`` (positions gone wrong), or None."""
    offsets = Offsets(text)
    for fix in fixes:
        for edit in fix.edits:
            if edit.holds is not None and not _fits(text, offsets, edit, edit.holds):
                return (
                    f"the text at line {edit.line}, column {edit.column} is not the value the"
                    f" fix was built for ({fix.message}): positions do not match the file"
                )
    return None


def _fits(text: str, offsets: Offsets, edit: Edit, holds: tuple[str, str]) -> bool:
    start, end = offsets.span(edit)
    return reads_as(text[start:end], *holds)


def shared(fix: Fix) -> bool:
    return any(edit.shared for edit in fix.edits)
