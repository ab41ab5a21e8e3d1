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

from collections.abc import Callable

from cfgguard.dialects.regex_syntax import (
    Alt,
    Assert,
    Cat,
    Chars,
    Node,
    Rep,
    Unsupported,
    parse,
)

STEP_BUDGET = 200_000  # per name: ~2 ms of `re`; exponential patterns pass it at once
# what PEFT matches: full module names of a decoder model (the longest count most)
SAMPLE_NAMES = (
    "model.layers.0.self_attn.q_proj",
    "model.layers.10.mlp.down_proj",
    "model.embed_tokens",
    "lm_head",
)


class OverBudget(Exception):
    pass


def fullmatch(node: Node, name: str, budget: int = STEP_BUDGET) -> bool:
    """``re.fullmatch`` on ``name``; OverBudget past ``budget`` steps.

    Steps count as ``re`` works: a repeated single character is one scan, then one step
    per place the rest is tried, skipping places where a literal that must follow is
    not (``re``'s REPEAT_ONE); every other node costs a step each time it is tried.
    """
    matcher = _Matcher(name, budget)
    try:
        return matcher.match(node, 0, matcher.at_end, None)
    except RecursionError:
        raise OverBudget from None


class _Matcher:
    """One ``fullmatch`` of one name: the name and the steps left. Each node is matched
    at a place ``i`` with a continuation ``then`` (the rest of the pattern, from where the
    node ends) and ``follow``, the single-character node that must come next, if known."""

    __slots__ = ("name", "size", "steps")

    def __init__(self, name: str, budget: int) -> None:
        self.name = name
        self.size = len(name)
        self.steps = budget

    def at_end(self, j: int) -> bool:
        return j == self.size

    def spend(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise OverBudget

    def match(self, node: Node, i: int, then: Callable[[int], bool], follow: Chars | None) -> bool:
        self.steps -= 1  # self.spend(), inline: this is the hot path
        if self.steps < 0:
            raise OverBudget
        if isinstance(node, Chars):
            return i < self.size and node.test(self.name[i]) and then(i + 1)
        if isinstance(node, Cat):
            return self.sequence(node.items, 0, i, then, follow)
        if isinstance(node, Alt):
            return any(self.match(option, i, then, follow) for option in node.options)
        if isinstance(node, Rep):
            if isinstance(node.body, Chars):
                return self.repeat_one(node, node.body, i, then, follow)
            return self.repeat(node, 0, i, then)
        return self.holds(node, i) and then(i)

    def holds(self, node: Assert, i: int) -> bool:
        """Whether the zero-width ``node`` (``^``, ``$``, ``\\b``, ``\\B``) holds at ``i``."""
        if node.kind == "^":
            return i == 0
        if node.kind == "$":
            return i == self.size or (i == self.size - 1 and self.name[i] == "\n")
        boundary = self.word(i - 1) != self.word(i)
        return boundary if node.kind == "b" else not boundary

    def word(self, i: int) -> bool:
        return 0 <= i < self.size and (self.name[i].isalnum() or self.name[i] == "_")

    def sequence(
        self,
        items: tuple[Node, ...],
        k: int,
        i: int,
        then: Callable[[int], bool],
        follow: Chars | None,
    ) -> bool:
        if k == len(items):
            return then(i)
        after = items[k + 1] if k + 1 < len(items) else follow
        nxt = after if isinstance(after, Chars) else None
        return self.match(items[k], i, lambda j: self.sequence(items, k + 1, j, then, follow), nxt)

    def repeat_one(
        self, rep: Rep, body: Chars, i: int, then: Callable[[int], bool], follow: Chars | None
    ) -> bool:
        name, size = self.name, self.size
        most = 0
        while most < rep.high and i + most < size and body.test(name[i + most]):
            most += 1
        for count in range(most, rep.low - 1, -1):  # greedy: longest first
            j = i + count
            if follow is not None and not (j < size and follow.test(name[j])):
                continue
            self.spend()
            if then(j):
                return True
        return False

    def repeat(self, rep: Rep, count: int, i: int, then: Callable[[int], bool]) -> bool:
        if count < rep.low:
            return self.match(rep.body, i, lambda j: self.repeat(rep, count + 1, j, then), None)
        # greedy, as `re`; an iteration that matches nothing ends the loop
        more = count < rep.high and self.match(
            rep.body, i, lambda j: j != i and self.repeat(rep, count + 1, j, then), None
        )
        return more or then(i)


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
