"""The common subset of Python ``re`` syntax, parsed into a small tree.

Literals, ``.``, classes, escapes ``\\d \\w \\s`` (and their negations), groups
(capturing, ``(?:``, ``(?P<name>``), alternation, greedy and lazy quantifiers, anchors
and word boundaries. Anything else (lookarounds, backreferences, flags, possessive
quantifiers) is ``Unsupported``: its answer is not knowable here.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

from cfgguard.records import dataclass

MAX_PATTERN = 1_000
MAX_NESTING = 50
INF = 1 << 30


class Unsupported(Exception):
    """Syntax outside the subset (lookarounds, backreferences, flags...)."""


@dataclass(frozen=True, slots=True)
class Chars:
    test: Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Cat:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Alt:
    options: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Rep:
    body: Node
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class Assert:
    kind: str  # "^" "$" "b" "B"


Node = Chars | Cat | Alt | Rep | Assert

_CLASSES: dict[str, Callable[[str], bool]] = {
    "d": str.isdecimal,
    "D": lambda c: not c.isdecimal(),
    "w": lambda c: c.isalnum() or c == "_",
    "W": lambda c: not (c.isalnum() or c == "_"),
    "s": str.isspace,
    "S": lambda c: not c.isspace(),
}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0
        self.depth = 0

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def take(self) -> str:
        ch = self.peek()
        self.at += 1
        return ch

    def alternation(self) -> Node:
        options = [self.sequence()]
        while self.peek() == "|":
            self.at += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else Alt(tuple(options))

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.quantified(self.atom()))
        return items[0] if len(items) == 1 else Cat(tuple(items))

    def quantified(self, node: Node) -> Node:
        while True:
            ch = self.peek()
            if ch in ("*", "+", "?"):
                self.at += 1
                low, high = {"*": (0, INF), "+": (1, INF), "?": (0, 1)}[ch]
            elif ch == "{" and (bounds := self._bounds()) is not None:
                low, high = bounds
            else:
                return node
            if self.peek() == "+":
                raise Unsupported("possessive quantifier")
            if self.peek() == "?":  # lazy: the same strings match
                self.at += 1
            node = Rep(node, low, high)

    def _bounds(self) -> tuple[int, int] | None:
        found = re.compile(r"\{(\d*)(,?)(\d*)\}").match(self.text, self.at)
        if found is None or not (found[1] or found[3]):
            return None  # a literal "{"
        self.at = found.end()
        low = int(found[1] or 0)
        high = int(found[3]) if found[3] else (INF if found[2] else low)
        return low, high

    def atom(self) -> Node:
        ch = self.take()
        if ch == "(":
            return self.group()
        if ch == "[":
            return self.char_class()
        if ch == ".":
            return Chars(lambda c: c != "\n")
        if ch in ("^", "$"):
            return Assert(ch)
        if ch == "\\":
            return self.escape()
        if ch in ("*", "+", "?"):
            raise Unsupported("nothing to repeat")
        return _literal(ch)

    def group(self) -> Node:
        if self.peek() == "?":
            if self.text.startswith("?:", self.at):
                self.at += 2
            elif found := re.compile(r"\?P<\w+>").match(self.text, self.at):
                self.at = found.end()
            else:
                raise Unsupported("group extension")
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise Unsupported("nesting")
        node = self.alternation()
        self.depth -= 1
        if self.take() != ")":
            raise Unsupported("unbalanced parenthesis")
        return node

    def escape(self) -> Node:
        ch = self.take()
        if ch in _CLASSES:
            return Chars(_CLASSES[ch])
        if ch in ("b", "B"):
            return Assert(ch)
        if ch == "A":
            return Assert("^")
        if ch == "Z":
            return Assert("$")
        if ch in _ESCAPES:
            return _literal(_ESCAPES[ch])
        if ch and not ch.isalnum():
            return _literal(ch)
        raise Unsupported(f"escape \\{ch}")

    def char_class(self) -> Node:
        negated = self.peek() == "^"
        if negated:
            self.at += 1
        tests: list[Callable[[str], bool]] = []
        first = True
        while True:
            ch = self.take()
            if ch == "":
                raise Unsupported("unterminated class")
            if ch == "]" and not first:
                break
            first = False
            if ch == "\\":
                ch = self.take()
                if ch in _CLASSES:
                    tests.append(_CLASSES[ch])
                    continue
                ch = _ESCAPES.get(ch, ch)
                if ch.isalnum():
                    raise Unsupported(f"escape \\{ch}")
            if self.peek() == "-" and self.text[self.at + 1 : self.at + 2] not in ("]", ""):
                self.at += 1
                end = self.take()
                if end == "\\":
                    end = _ESCAPES.get(self.peek(), self.peek())
                    self.at += 1
                tests.append(lambda c, lo=ch, hi=end: lo <= c <= hi)
            else:
                tests.append(lambda c, one=ch: c == one)
        if negated:
            return Chars(lambda c: c != "\n" and not any(t(c) for t in tests))
        return Chars(lambda c: any(t(c) for t in tests))


def _literal(ch: str) -> Chars:
    return Chars(lambda c: c == ch)


def parse(pattern: str) -> Node:
    """The pattern's tree; Unsupported when ``re`` refuses it or it leaves the subset."""
    if len(pattern) > MAX_PATTERN:
        raise Unsupported("too long")
    try:
        with warnings.catch_warnings():  # "possible nested set" and friends: not ours to print
            warnings.simplefilter("ignore")
            re.compile(pattern)  # compiling is linear; only matching backtracks
    except (re.error, OverflowError, RecursionError, ValueError):
        raise Unsupported("not a regular expression") from None
    parser = _Parser(pattern)
    node = parser.alternation()
    if parser.at != len(pattern):
        raise Unsupported("unbalanced parenthesis")
    return node
