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

from cfgguard.dialects.regex_syntax import Alt, Cat, Chars, Node, Rep, Unsupported, parse

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
