"""Target-module regexes matched with bounded work (never Python's ``re`` on a config's
pattern: ``(.*.*.*)*Z`` backtracks for minutes there).

PEFT matches a string ``target_modules`` with ``re.fullmatch(pattern, key)`` against
every module name (peft ``tuners/tuners_utils.py``, ``check_target_module_exists``).
Here the pattern is parsed into a small tree (the common subset of ``re`` syntax) and
matched by a backtracking matcher like ``re``'s, that counts its steps and stops at a
budget. Past the budget the answer is unknown, and the pattern is one that also makes
``re``, and so PEFT, backtrack for a very long time on a model's module names.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

from cfgguard.records import dataclass

STEP_BUDGET = 200_000  # per name: ~2 ms of `re`; exponential patterns pass it at once
MAX_PATTERN = 1_000
MAX_NESTING = 50
# what PEFT matches: full module names of a decoder model (the longest count most)
SAMPLE_NAMES = (
    "model.layers.0.self_attn.q_proj",
    "model.layers.10.mlp.down_proj",
    "model.embed_tokens",
    "lm_head",
)
INF = 1 << 30


class Unsupported(Exception):
    """Syntax outside the subset (lookarounds, backreferences, flags...)."""


class OverBudget(Exception):
    pass


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


def fullmatch(node: Node, name: str, budget: int = STEP_BUDGET) -> bool:
    """``re.fullmatch`` on ``name``; OverBudget past ``budget`` steps.

    Steps count as ``re`` works: a repeated single character is one scan, then one step
    per place the rest is tried, skipping places where a literal that must follow is
    not (``re``'s REPEAT_ONE); every other node costs a step each time it is tried.
    """
    steps = [budget]
    size = len(name)
    then_end: Callable[[int], bool] = lambda j: j == size  # noqa: E731

    def spend() -> None:
        steps[0] -= 1
        if steps[0] < 0:
            raise OverBudget

    def word(i: int) -> bool:
        return 0 <= i < size and (name[i].isalnum() or name[i] == "_")

    def match(node: Node, i: int, then: Callable[[int], bool], follow: Chars | None) -> bool:
        spend()
        if isinstance(node, Chars):
            return i < size and node.test(name[i]) and then(i + 1)
        if isinstance(node, Cat):
            return sequence(node.items, 0, i, then, follow)
        if isinstance(node, Alt):
            return any(match(option, i, then, follow) for option in node.options)
        if isinstance(node, Rep):
            if isinstance(node.body, Chars):
                return repeat_one(node, node.body, i, then, follow)
            return repeat(node, 0, i, then)
        if node.kind == "^":
            return i == 0 and then(i)
        if node.kind == "$":
            return (i == size or (i == size - 1 and name[i] == "\n")) and then(i)
        boundary = word(i - 1) != word(i)
        return (boundary if node.kind == "b" else not boundary) and then(i)

    def sequence(
        items: tuple[Node, ...], k: int, i: int, then: Callable[[int], bool], follow: Chars | None
    ) -> bool:
        if k == len(items):
            return then(i)
        after = items[k + 1] if k + 1 < len(items) else follow
        nxt = after if isinstance(after, Chars) else None
        return match(items[k], i, lambda j: sequence(items, k + 1, j, then, follow), nxt)

    def repeat_one(
        rep: Rep, body: Chars, i: int, then: Callable[[int], bool], follow: Chars | None
    ) -> bool:
        most = 0
        while most < rep.high and i + most < size and body.test(name[i + most]):
            most += 1
        for count in range(most, rep.low - 1, -1):  # greedy: longest first
            j = i + count
            if follow is not None and not (j < size and follow.test(name[j])):
                continue
            spend()
            if then(j):
                return True
        return False

    def repeat(rep: Rep, count: int, i: int, then: Callable[[int], bool]) -> bool:
        if count < rep.low:
            return match(rep.body, i, lambda j: repeat(rep, count + 1, j, then), None)
        # greedy, as `re`; an iteration that matches nothing ends the loop
        more = count < rep.high and match(
            rep.body, i, lambda j: j != i and repeat(rep, count + 1, j, then), None
        )
        return more or then(i)

    try:
        return match(node, 0, then_end, None)
    except RecursionError:
        raise OverBudget from None


def matches(pattern: str, name: str) -> bool | None:
    """Whether PEFT's ``re.fullmatch(pattern, name)`` matches; None when not knowable
    here (syntax outside the subset, or too costly to find out)."""
    try:
        return fullmatch(parse(pattern), name)
    except (Unsupported, OverBudget):
        return None


def runaway(pattern: str) -> str | None:
    """Why matching ``pattern`` against module names backtracks without end (None: it
    does not, or the pattern is outside the subset)."""
    try:
        node = parse(pattern)
    except Unsupported:
        return None
    for name in SAMPLE_NAMES:
        try:
            fullmatch(node, name)
        except OverBudget:
            return (
                f"matching it against one module name ('{name}') takes more than"
                f" {STEP_BUDGET:,} backtracking steps"
            )
    return None
