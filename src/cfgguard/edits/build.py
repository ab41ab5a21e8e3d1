"""Edits built from positioned nodes: what rules use to describe a fix.

Positions are 1-based (line, column) like findings. Inserted text uses ``\\n``; the
engine turns it into the file's own line ending.
"""

from __future__ import annotations

from itertools import pairwise

from cfgguard.findings import Applicability, Edit, Fix
from cfgguard.yaml.nodes import Mapping, Mark, Node, Scalar, Sequence


def _pos(mark: Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def replace(node: Node, content: str) -> Edit:
    """Replace a node as written (a scalar's quotes included, its tag and anchor kept).

    A scalar's edit records what the span holds, so that the engine refuses it where the
    text does not read back as that scalar; an edit of a node that an alias shares is
    marked, and refused.
    """
    if isinstance(node, Scalar):
        (line, column), (end_line, end_column) = _pos(node.value_start), _pos(node.end)
        holds = (node.style, node.value)
        return Edit(line, column, end_line, end_column, content, holds, node.shared)
    (line, column), (end_line, end_column) = _pos(node.start), _pos(node.end)
    return Edit(line, column, end_line, end_column, content, shared=node.shared)


def insert_at(mark: Mark, content: str, *, shared: bool = False) -> Edit:
    line, column = _pos(mark)
    return Edit(line, column, line, column, content, shared=shared)


def line_end(text: str, mark: Mark) -> Mark:
    """The mark just before the line break of the line ``mark`` is on."""
    end = text.find("\n", mark.index)
    if end < 0:
        end = len(text)
    if end > 0 and text[end - 1 : end] == "\r":
        end -= 1
    return Mark(mark.line, mark.column + (end - mark.index), end)


def fix(applicability: Applicability, message: str, *edits: Edit) -> Fix:
    return Fix(applicability, message, tuple(edits))


def indentation(text: str, mark: Mark) -> str:
    """The whitespace that starts the line ``mark`` is on."""
    start = mark.index - mark.column
    line = text[start : mark.index]
    return line[: len(line) - len(line.lstrip(" \t"))]


def quote_like(sample: Scalar | None, value: str) -> str:
    """``value`` written with the quoting of ``sample`` (plain when unknown)."""
    if sample is None or sample.style not in ("'", '"'):
        return value
    return f"{sample.style}{value}{sample.style}"


def append_to_list(text: str, seq: Sequence, value: str) -> Edit | None:
    """An edit that appends ``value`` to a block or flow sequence, keeping its style."""
    if not seq.items:
        return None
    last = seq.items[-1]
    sample = last if isinstance(last, Scalar) else None
    item = quote_like(sample, value)
    # an alias as the last item: its node (and position) is the anchor's, elsewhere
    shared = seq.shared or _aliased(seq.items[-2].end if len(seq.items) > 1 else seq.start, last)
    if seq.flow:
        return insert_at(last.end, f", {item}", shared=shared)
    # block sequence: a new "- item" line after the last item, same indentation
    dash = Mark(last.start.line, last.start.column, last.start.index)
    prefix = text[dash.index - dash.column : dash.index]  # e.g. "  - "
    after = line_end(text, last.end)
    return insert_at(after, "\n" + prefix + item, shared=shared)


def insert_key_after(text: str, key: Scalar, value: Node, line: str) -> Edit:
    """Insert ``line`` (``key: value``) as a sibling right after ``key``'s entry.

    Placing it straight after the related entry (before any comment or blank line that
    follows) keeps a comment that heads the next key attached to that key. Where the
    entry ends behind an alias, its end is not known: the edit is marked shared (refused).
    """
    indent = indentation(text, key.start)
    end = None if _aliased(key.end, value) else _last_content(value)
    if end is None:
        return insert_at(line_end(text, key.end), "\n" + indent + line, shared=True)
    return insert_at(line_end(text, end), "\n" + indent + line, shared=key.shared)


def _aliased(before: Mark, node: Node) -> bool:
    """Whether ``node``, written after ``before``, is an alias: its position is the
    anchor's, which always comes earlier."""
    return node.start.index < before.index


def _last_content(node: Node) -> Mark | None:
    """The end of the last scalar inside a collection (block ends point past it); None
    when it is an alias (written elsewhere)."""
    if isinstance(node, Scalar) or node.flow:
        return node.end
    if isinstance(node, Sequence):
        if not node.items:
            return node.start
        before = node.items[-2].end if len(node.items) > 1 else node.start
        last = node.items[-1]
        return None if _aliased(before, last) else _last_content(last)
    if not node.pairs:
        return node.start
    key, value = node.pairs[-1]
    return None if _aliased(key.end, value) else _last_content(value)


def replace_items(text: str, seq: Sequence, values: list[str]) -> tuple[Edit, ...] | None:
    """Edits that make a scalar list hold ``values``, item by item.

    Each item keeps its place, quoting, tag and anchor, and the comments around it; extra
    values follow the last item in its style, extra items are removed (a block item with
    its line, a flow item with the comma before it; a comment among them goes too).
    """
    items = seq.items
    if not items or not values or not all(isinstance(i, Scalar) for i in items):
        return None
    scalars = [i for i in items if isinstance(i, Scalar)]
    if _aliased(seq.start, scalars[0]) or any(_aliased(a.end, b) for a, b in pairwise(scalars)):
        return None  # an alias among the items: their positions are the anchors'
    kept = min(len(scalars), len(values))
    edits = [
        replace(item, quote_like(item, value))
        for item, value in zip(scalars[:kept], values[:kept], strict=True)
        if item.value != value
    ]
    last = scalars[kept - 1]
    if len(values) > kept:
        added = [quote_like(scalars[-1], v) for v in values[kept:]]
        if seq.flow:
            edits.append(insert_at(last.end, "".join(f", {v}" for v in added), shared=seq.shared))
        else:
            prefix = text[last.start.index - last.start.column : last.start.index]
            lines = "".join(f"\n{prefix}{v}" for v in added)
            edits.append(insert_at(line_end(text, last.end), lines, shared=seq.shared))
    elif len(scalars) > kept:
        edits.append(_remove_items(text, seq, last, scalars[kept:]))
    return tuple(edits)


def _remove_items(text: str, seq: Sequence, last_kept: Scalar, gone: list[Scalar]) -> Edit:
    if seq.flow:  # ", a, b" after the last kept item
        (line, column), (end_line, end_column) = _pos(last_kept.end), _pos(gone[-1].end)
        return Edit(line, column, end_line, end_column, "", shared=seq.shared)
    # block: from the end of the last kept item's line to the end of the last removed one's
    start, end = line_end(text, last_kept.end), line_end(text, gone[-1].end)
    (line, column), (end_line, end_column) = _pos(start), _pos(end)
    return Edit(line, column, end_line, end_column, "", shared=seq.shared)


def insert_key(text: str, mapping: Mapping, line: str, after: tuple[str, ...] = ()) -> Edit | None:
    """Insert ``line`` into a block mapping: after the first present key of ``after``,
    else after its last entry, at the mapping's indentation."""
    if mapping.flow or not mapping.pairs:
        return None
    for name in after:
        entry = mapping.get(name)
        if entry is not None:
            return insert_key_after(text, entry[0], entry[1], line)
    key, value = mapping.pairs[-1]
    if not isinstance(key, Scalar):
        return None
    return insert_key_after(text, key, value, line)
