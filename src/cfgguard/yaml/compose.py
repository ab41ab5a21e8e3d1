"""Compose positioned nodes from PyYAML's event stream.

libyaml (PyYAML's C parser) is used when present, the pure-Python parser otherwise;
both produce the same events, so the nodes are identical. Building nodes from events
with an explicit stack (instead of PyYAML's recursive composer) lets us bound nesting
depth and alias expansion, and report duplicate keys at their second occurrence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, cast

import yaml
from yaml import events as ev

from cfgguard.records import dataclass, field
from cfgguard.yaml.keys import CONSTRUCTOR, CONSTRUCTORS, duplicate, key_identity
from cfgguard.yaml.nodes import Document, LineStarts, Mapping, Mark, Node, Scalar, Sequence
from cfgguard.yaml.problems import YamlProblem

MAX_DEPTH = 200
MAX_TEXT = 10 * 1024 * 1024  # characters; a bigger file is reported (too-large), not composed
BOM = "\ufeff"
MAX_EXPANDED_NODES = 200_000

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# tags that yaml.safe_load and OmegaConf (a SafeLoader) construct; any other is refused
_LOADER_TAGS = frozenset(CONSTRUCTORS.keys() - {None})
# core scalar tags whose value the loaders convert (and refuse when they cannot)
_CONVERTED = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "timestamp", "binary")
)


class _EventSource(Protocol):
    """What compose uses of a PyYAML loader (libyaml's or the pure-Python one)."""

    def get_event(self) -> ev.Event | None: ...
    def dispose(self) -> None: ...


@dataclass(slots=True)
class Composed:
    documents: list[Document] = field(default_factory=list[Document])
    problems: list[YamlProblem] = field(default_factory=list[YamlProblem])


class _Abort(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Lines(LineStarts):
    """``LineStarts``, and a mark for PyYAML's marks.

    libyaml and the Python parser agree on offsets but not always on line/column (at
    the end of a file without a final newline), so positions are derived from offsets.
    ``shift`` is what the parser was not given of the text (leading byte-order marks).
    """

    __slots__ = ("shift",)

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.shift = 0

    def mark(self, m: yaml.Mark | None) -> Mark:
        return Mark(0, 0, 0) if m is None else self.at(m.index + self.shift)


def _checked_tag(
    event: ev.ScalarEvent | ev.CollectionStartEvent, mark: Callable[[yaml.Mark | None], Mark]
) -> str | None:
    """The explicit tag (None for ``!``); a tag the loaders refuse aborts the document."""
    tag = str(event.tag)
    if tag == "!":
        return None
    if tag not in _LOADER_TAGS:
        raise _Abort(_unknown_tag(tag, mark(event.start_mark)))
    if tag in _CONVERTED and isinstance(event, ev.ScalarEvent):
        _check_tagged(tag, str(event.value), mark(event.start_mark))
    return tag


@dataclass(slots=True)
class _Open:
    node: Mapping | Sequence
    size: int = 1
    pending_key: Node | None = None
    seen: dict[object, Scalar] = field(default_factory=dict[object, Scalar])


class _Builder:
    """Turns one document's events into nodes, checking limits as it goes."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        self.problems = problems
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.root: Node | None = None
        self.root_size = 0
        self.expanded = 0  # nodes that aliases stand for (written nodes are bounded by the text)

    def alias(self, target: tuple[Node, int], mark: Mark) -> None:
        _share(target[0])
        self.expanded += target[1]
        if self.expanded > MAX_EXPANDED_NODES:
            raise _Abort(
                YamlProblem(
                    "alias-expansion",
                    f"alias expansion exceeds {MAX_EXPANDED_NODES} nodes (an alias bomb?);"
                    " the document was not checked",
                    mark,
                    mark,
                )
            )
        self.add(target[0], target[1])

    def add(self, node: Node, size: int) -> None:
        if not self.stack:
            self.root, self.root_size = node, size
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.node, Sequence):
            top.node.items.append(node)
        elif top.pending_key is None:
            top.pending_key = node
        else:
            key = top.pending_key
            top.pending_key = None
            if isinstance(key, Scalar) and not (key.value == "<<" and key.plain):
                identity = key_identity(key)
                first = top.seen.get(identity)
                if first is not None:
                    self.problems.append(duplicate(key, first, identity))
                else:
                    top.seen[identity] = key
            top.node.pairs.append((key, node))

    def anchor(self, name: str | None, node: Node, size: int) -> None:
        if name is not None:
            self.anchors[name] = (node, size)

    def open(self, node: Mapping | Sequence, mark: Mark) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _Abort(_too_deep(mark))
        self.stack.append(_Open(node))

    def close(self, end: Mark, anchor_of: dict[int, str]) -> None:
        done = self.stack.pop()
        done.node.end = end
        name = anchor_of.pop(id(done.node), None)
        if name is not None:
            self.anchors[name] = (done.node, done.size)
        self.add(done.node, done.size)


def _share(node: Node) -> None:
    """Mark an alias target and everything in it: a fix there would edit every alias too."""
    stack = [node]
    while stack:
        top = stack.pop()
        if top.shared:
            continue  # already walked (an earlier alias to it or to a collection around it)
        top.shared = True
        if isinstance(top, Mapping):
            stack.extend(n for pair in top.pairs for n in pair)
        elif isinstance(top, Sequence):
            stack.extend(top.items)


def compose(text: str, *, pure_python: bool = False) -> Composed:
    """Compose every document of a YAML stream; problems never raise.

    ``pure_python`` forces PyYAML's Python parser (what runs where libyaml is missing).
    Positions are offsets into ``text`` itself, whatever the parser skips.
    """
    if len(text) > MAX_TEXT:
        return Composed(problems=[_too_large(len(text))])
    parser: _EventSource | None = None
    lines = _Lines(text)
    result = Composed()
    # libyaml drops a byte-order mark at the start without counting it (the Python
    # parser counts it): the parsers get the text after it and offsets are shifted back
    skipped = len(text) - len(text.lstrip(BOM))
    if skipped:
        result.problems.append(_extra_bom(skipped))
        lines.shift = skipped
    _mark = lines.mark
    builder: _Builder | None = None
    doc_start = Mark(0, 0, 0)
    anchor_of: dict[int, str] = {}
    # the hot loop of a check: events are dispatched on their exact class, scalars first
    try:
        # the pure-Python reader checks the characters here already (ReaderError)
        loader = yaml.SafeLoader if pure_python else _Loader
        parser = cast("_EventSource", loader(text[skipped:] if skipped else text))
        get_event = parser.get_event
        while (event := get_event()) is not None:
            if builder is None and type(event) is not ev.DocumentStartEvent:
                continue  # stream start and end
            if type(event) is ev.ScalarEvent:
                assert builder is not None
                node = Scalar(
                    event.value,
                    event.style or "",
                    event.start_mark.index + skipped,
                    event.end_mark.index + skipped,
                    None if event.tag is None else _checked_tag(event, _mark),
                    lines,
                )
                if event.anchor is not None:
                    builder.anchor(event.anchor, node, 1)
                builder.add(node, 1)
            elif type(event) is ev.MappingEndEvent or type(event) is ev.SequenceEndEvent:
                assert builder is not None
                builder.close(_mark(event.end_mark), anchor_of)
            elif type(event) is ev.MappingStartEvent or type(event) is ev.SequenceStartEvent:
                assert builder is not None
                start = _mark(event.start_mark)
                flow = bool(event.flow_style)
                tag = None if event.tag is None else _checked_tag(event, _mark)
                opened = (
                    Mapping([], flow, start, start, tag)
                    if type(event) is ev.MappingStartEvent
                    else Sequence([], flow, start, start, tag)
                )
                builder.open(opened, start)
                if event.anchor is not None:
                    anchor_of[id(opened)] = event.anchor
            elif type(event) is ev.AliasEvent:
                assert builder is not None
                target = builder.anchors.get(event.anchor or "")
                mark = _mark(event.start_mark)
                if target is None:
                    raise _Abort(
                        YamlProblem("syntax", f"unknown alias '*{event.anchor}'", mark, mark)
                    )
                builder.alias(target, mark)
            elif type(event) is ev.DocumentStartEvent:
                builder = _Builder(result.problems)
                doc_start = _mark(event.start_mark)
                anchor_of = {}
            elif type(event) is ev.DocumentEndEvent:
                assert builder is not None
                result.documents.append(
                    Document(builder.root, doc_start, _mark(event.end_mark), len(result.documents))
                )
                builder = None
    except _Abort as abort:
        result.problems.append(abort.problem)
    except yaml.MarkedYAMLError as exc:
        mark = _mark(exc.problem_mark or exc.context_mark)
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if "nesting depth" in what:  # libyaml's own limit (1000) can trip before ours
            result.problems.append(_too_deep(mark))
        else:
            result.problems.append(YamlProblem("syntax", f"YAML syntax error: {what}", mark, mark))
    except yaml.YAMLError as exc:
        mark = Mark(0, 0, 0)
        position = getattr(exc, "position", None)
        if isinstance(position, int):
            mark = _index_to_mark(text, position + skipped)
        reason = str(getattr(exc, "reason", "")) or str(exc).splitlines()[0]
        result.problems.append(YamlProblem("syntax", f"YAML syntax error: {reason}", mark, mark))
    finally:
        if parser is not None:
            parser.dispose()
    return result


def _unknown_tag(tag: str, mark: Mark) -> YamlProblem:
    short = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:") else tag
    message = (
        f"unknown tag {short}: yaml.safe_load and OmegaConf cannot construct it and refuse"
        " the file (cfgguard never constructs tags)"
    )
    return YamlProblem("syntax", message, mark, mark)


def _check_tagged(tag: str, value: str, mark: Mark) -> None:
    """``!!int ''``, ``!!bool maybe``: the loaders fail on the value (only core scalar
    constructors run here, which build numbers, booleans, dates and bytes)."""
    try:
        CONSTRUCTORS[tag](CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except Exception:
        short = "!!" + tag.removeprefix("tag:yaml.org,2002:")
        shown = value if len(value) <= 40 else value[:37] + "..."
        message = (
            f"{short} {shown!r}: yaml.safe_load and OmegaConf cannot read the value as its"
            " tag says and refuse the file"
        )
        raise _Abort(YamlProblem("syntax", message, mark, mark)) from None


def _too_large(size: int) -> YamlProblem:
    message = (
        f"file of {size:,} characters is larger than cfgguard checks ({MAX_TEXT:,},"
        " 10 MiB); it was not checked"
    )
    return YamlProblem("too-large", message, Mark(0, 0, 0), Mark(0, 0, 0))


def _extra_bom(count: int) -> YamlProblem:
    marks = "a second byte-order mark" if count == 1 else f"{count + 1} byte-order marks"
    message = (
        f"the file starts with {marks} (U+FEFF): libyaml refuses the file and yaml.safe_load"
        " reads the extra mark as part of the first key or value; delete it"
    )
    end = Mark(0, count, count)
    return YamlProblem("syntax", message, Mark(0, 0, 0), end)


def _too_deep(mark: Mark) -> YamlProblem:
    message = f"nesting deeper than {MAX_DEPTH} levels; the document was not checked"
    return YamlProblem("nesting", message, mark, mark)


def _index_to_mark(text: str, index: int) -> Mark:
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return Mark(line, column, index)
