"""Mutations that attack positions (double BOM, tags, anchors, aliases, multi-line
scalars) and the properties every fix and ``--add-ignore`` must keep on them.

Shared by the fuzz suite (seeds: the project's fixtures) and the corpus property test
(seeds: ``../shared/corpus``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from collections.abc import Sequence as Seq
from typing import cast

import yaml
from hypothesis import event
from hypothesis import strategies as st

from cfgguard.check import Options, check_source
from cfgguard.findings import Finding, Fix
from cfgguard.fix.apply import Offsets, apply
from cfgguard.fix.baseline import NOT_BASELINED, baseline_text
from cfgguard.fix.engine import allowed, fix_source
from cfgguard.fix.guard import shared
from cfgguard.records import replace
from cfgguard.source import Source, SourceError, decode
from cfgguard.yaml.compare import data_change
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Document, Mapping, Node, Scalar, Sequence

DECORATIONS = ("anchor", "tag", "alias", "multiline-plain", "multiline-quoted", "double-bom")
TRIED: Counter[str] = Counter()  # cases per category, for the closing note
_RESOLVER = yaml.SafeLoader("")
Edit = tuple[int, int, str]  # (start, end, replacement) offsets into the text
NodePair = tuple[Node | None, Node | None]  # the same node before and after a fix


def _value_scalars(root: Node | None) -> list[tuple[Scalar, Scalar]]:
    """(key, value) for plain one-line scalar values of block mappings."""
    found: list[tuple[Scalar, Scalar]] = []
    stack: list[Node] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            for key, value in node.pairs:
                if (
                    not node.flow
                    and isinstance(key, Scalar)
                    and isinstance(value, Scalar)
                    and value.plain
                    and value.value
                    and value.start.line == value.end.line
                    and value.value_start.index == value.start.index  # no anchor or tag yet
                    and key.value != "<<"
                ):
                    found.append((key, value))
                stack.append(value)
        elif isinstance(node, Sequence):
            stack.extend(node.items)
    return sorted(found, key=lambda kv: kv[1].start.index)


def _tag_for(value: str) -> str:
    resolve = cast("Callable[..., object]", _RESOLVER.resolve)  # pyright: ignore[reportUnknownMemberType]
    tag = str(resolve(yaml.ScalarNode, value, (True, False)))
    return "!!" + tag.removeprefix("tag:yaml.org,2002:")


@st.composite
def decorated(draw: st.DrawFn, text: str) -> tuple[str, bytes, list[str]]:
    """``text`` with some decorations: (text, the file's bytes, decorations applied)."""
    documents = compose(text).documents
    pairs = _value_scalars(documents[0].root) if len(documents) == 1 else []
    applied: list[str] = []
    edits: list[Edit] = []  # applied back to front
    used: set[int] = set()
    for _ in range(draw(st.integers(1, 4)) if pairs else 0):
        kind = draw(st.sampled_from(DECORATIONS[:-1]))
        at = draw(st.integers(0, len(pairs) - 1))
        if at in used:
            continue
        found = _edits_for(draw, kind, pairs, at, used)
        if found is None:
            continue
        edits.extend(found)
        used.add(at)
        applied.append(kind)
    for start, end, content in sorted(edits, reverse=True):
        text = text[:start] + content + text[end:]
    data = text.encode("utf-8")
    if draw(st.integers(0, 7)) == 0:
        data = b"\xef\xbb\xbf\xef\xbb\xbf" + data
        applied.append("double-bom")
    for kind in applied or ["none"]:
        TRIED[kind] += 1
        event(f"decoration: {kind}")
    return text, data, applied


def _edits_for(
    draw: st.DrawFn, kind: str, pairs: list[tuple[Scalar, Scalar]], at: int, used: set[int]
) -> list[Edit] | None:
    """The edits decorating ``pairs[at]``'s value with ``kind``; None: it cannot take it."""
    key, value = pairs[at]
    start = value.start.index
    if kind == "anchor":
        return [(start, start, f"&d{at} ")]
    if kind == "tag":
        tag = _tag_for(value.value)
        return None if tag in ("!!null", "!!merge", "!!value") else [(start, start, tag + " ")]
    if kind == "alias":
        return _alias(draw, pairs, at, used)
    return _multiline(kind, key, value)


def _alias(
    draw: st.DrawFn, pairs: list[tuple[Scalar, Scalar]], at: int, used: set[int]
) -> list[Edit] | None:
    """Anchor ``pairs[at]``'s value and make a later unused value an alias of it."""
    later = [i for i in range(at + 1, len(pairs)) if i not in used]
    if not later:
        return None
    other = draw(st.sampled_from(later))
    used.add(other)
    start = pairs[at][1].start.index
    o_start, o_end = pairs[other][1].start.index, pairs[other][1].end.index
    return [(start, start, f"&d{at} "), (o_start, o_end, f"*d{at}")]


def _multiline(kind: str, key: Scalar, value: Scalar) -> list[Edit] | None:
    """The value broken onto a second line after a ``/-_.``, plain or double-quoted."""
    words = value.value.split(" ")
    cut = next((i for i, c in enumerate(value.value) if c in "/-_." and i > 0), -1)
    if cut < 0 or any(c in value.value for c in "\"\\#:'"):
        return None
    indent = " " * (key.start.column + 2)
    head, tail = value.value[: cut + 1], value.value[cut + 1 :]
    if not tail or not tail[0].isalnum() or len(words) > 1:
        return None
    start, end = value.start.index, value.end.index
    if kind == "multiline-plain":
        return [(start, end, f"{head}\n{indent}{tail}")]
    return [(start, end, f'"{head}\n{indent}{tail}"')]


def _decode(data: bytes) -> Source | None:
    try:
        return decode(data, "p.yaml")
    except SourceError:
        return None


def _events(text: str) -> list[yaml.Event]:
    parse = cast("Callable[..., Iterable[yaml.Event]]", yaml.parse)  # pyright: ignore[reportUnknownMemberType]
    return list(parse(text, Loader=yaml.SafeLoader))


def anchored_values(text: str) -> dict[str, tuple[str | None, str]]:
    """Anchor -> (tag, value) of every anchored scalar that an alias refers to."""
    anchors: dict[str, tuple[str | None, str]] = {}
    aliased: set[str] = set()
    try:
        for ev in _events(text):
            if isinstance(ev, yaml.ScalarEvent) and ev.anchor is not None:
                anchors[ev.anchor] = (ev.tag, ev.value)
            elif isinstance(ev, yaml.AliasEvent) and ev.anchor is not None:
                aliased.add(ev.anchor)
    except yaml.YAMLError:
        return {}
    return {name: anchors[name] for name in aliased if name in anchors}


def _props(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    try:
        for ev in _events(text):
            anchor = getattr(ev, "anchor", None)
            if anchor is not None and not isinstance(ev, yaml.AliasEvent):
                found["&" + anchor] += 1
            tag = getattr(ev, "tag", None)
            if tag is not None and not isinstance(ev, yaml.DocumentStartEvent):
                implicit = getattr(ev, "implicit", (False, False))
                explicit = not (implicit if isinstance(implicit, bool) else implicit[0])
                if explicit and isinstance(ev, yaml.ScalarEvent):
                    found["!" + str(tag)] += 1
    except yaml.YAMLError:
        return Counter()
    return found


def _changed_spans(before: Seq[Document], after: Seq[Document]) -> list[tuple[int, int]]:
    """Spans (offsets in the text before) of the nodes whose data changed."""
    spans: list[tuple[int, int]] = []
    stack: list[NodePair] = [(a.root, b.root) for a, b in zip(before, after, strict=False)]
    while stack:
        a, b = stack.pop()
        if a is None or b is None:
            if a is not b:
                spans.append((0, 1 << 30))
            continue
        children = _children_to_compare(a, b)
        if children is None:
            spans.append((a.start.index, a.end.index))
        else:
            stack.extend(children)
    return spans


def _children_to_compare(a: Node, b: Node) -> list[NodePair] | None:
    """The pairs of children of ``a`` and ``b`` to compare next; None: the two differ
    themselves (type, tag, scalar value or style, number of items)."""
    if type(a) is not type(b) or a.tag != b.tag:
        return None
    if isinstance(a, Scalar) and isinstance(b, Scalar):
        return [] if (a.value, a.style) == (b.value, b.style) else None
    if isinstance(a, Sequence) and isinstance(b, Sequence):
        if len(a.items) != len(b.items):
            return None
        return [(x, y) for x, y in zip(a.items, b.items, strict=True)]
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        if len(a.pairs) != len(b.pairs):
            return None
        pairs: list[NodePair] = []
        for (ka, va), (kb, vb) in zip(a.pairs, b.pairs, strict=True):
            pairs.extend(((ka, kb), (va, vb)))
        return pairs
    return []


def _near(span: tuple[int, int], edits: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(
        (a < end and start < b)
        or (a == b and start <= a <= end)
        or (start == end and a <= start <= b)
        for a, b in edits
    )


def check_one_fix(text: str, fix: Fix) -> None:
    """Applied alone, a fix changes the data only at the nodes its edits touch."""
    offsets = Offsets(text)
    edits = [offsets.span(e) for e in fix.edits]
    fixed = apply(text, [fix])
    after = compose(fixed)
    assert not any(p.kind == "syntax" for p in after.problems), (fix, fixed)
    before = compose(text)
    assert len(before.documents) == len(after.documents), fix
    for span in _changed_spans(before.documents, after.documents):
        assert _near(span, edits), (fix, span, text[span[0] : span[1]])


def check_fixes(source: Source, options: Options) -> None:
    """Every first-round fix alone; then the whole fix run: parses, keeps what aliases
    share, keeps tags and anchors, and a second run changes nothing."""
    if any(p.kind == "syntax" for p in compose(source.text).problems):
        event("does not parse")
        assert fix_source(source, options, unsafe=True).text == source.text
        return
    findings = check_source(source, options)
    for finding in findings:
        if finding.fix is not None and allowed(finding, True) and not shared(finding.fix):
            TRIED[f"fix {finding.code}"] += 1
            check_one_fix(source.text, finding.fix)
    outcome = fix_source(source, options, unsafe=True)
    if outcome.error is not None:
        event("fix refused (F001)")
        assert outcome.text == source.text
        return
    assert not any(p.kind == "syntax" for p in compose(outcome.text).problems), outcome.text
    if outcome.applied:
        event("fixed")
        assert anchored_values(outcome.text) == anchored_values(source.text)
        assert _props(outcome.text) == _props(source.text), (source.text, outcome.text)
    again = fix_source(replace(source, text=outcome.text), options, unsafe=True)
    assert again.error is None, again.error
    assert again.text == outcome.text
    assert again.applied == []


def check_add_ignore(source: Source, options: Options) -> None:
    """Comments only: the data is the same, and every finding is then silenced."""
    findings = check_source(source, options)
    text = baseline_text(source, findings)
    if text == source.text:
        return
    TRIED["add-ignore"] += 1
    assert data_change(compose(source.text).documents, compose(text).documents) is None
    after = replace(source, text=text)
    left: list[Finding] = check_source(after, options)
    assert all(f.code in NOT_BASELINED for f in left), [(f.code, f.line) for f in left]
    assert baseline_text(after, left) == text  # a second run changes nothing


def check_all(data: bytes, applied: list[str], options: Options) -> None:
    source = _decode(data)
    if source is None:
        return
    if "double-bom" in applied:
        findings = check_source(source, options)
        assert findings[0].code == "Y001"
        assert findings[0].message.startswith("the file starts with a second byte-order mark")
        assert fix_source(source, options, unsafe=True).text == source.text
        return
    check_fixes(source, options)
    check_add_ignore(source, options)
