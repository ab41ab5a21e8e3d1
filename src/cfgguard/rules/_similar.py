"""Close spellings of a key: ``difflib.get_close_matches``' answer without difflib.

K001 asks for the known keys close to an unknown one. Importing ``difflib`` (and the
``heapq`` it needs) costs a one-file check more than the matching does, and the check
needs only its ratio: twice the characters of the matching blocks over both lengths,
the blocks found as ``SequenceMatcher`` finds them (the longest common run, earliest in
the candidate, then earliest in the word; then the same on each side of it). With no
junk function and a word shorter than 200 characters (``difflib``'s autojunk threshold)
that is all there is to it; a longer word is handed to ``difflib`` itself.
``tests/rules/test_similar.py`` holds the answers to ``difflib``'s over thousands of
words.
"""

from __future__ import annotations

from collections.abc import Iterable

_AUTOJUNK_FROM = 200  # difflib treats popular characters as junk from this length on


def close_matches(word: str, candidates: Iterable[str], n: int, cutoff: float) -> list[str]:
    """The ``n`` candidates whose ratio against ``word`` is at least ``cutoff``, best
    first (ties: the later name first, as ``difflib`` orders them)."""
    if len(word) >= _AUTOJUNK_FROM:
        import difflib

        return difflib.get_close_matches(word, list(candidates), n, cutoff)
    positions: dict[str, list[int]] = {}
    for index, char in enumerate(word):
        positions.setdefault(char, []).append(index)
    counts = {char: len(at) for char, at in positions.items()}
    scored: list[tuple[float, str]] = []
    for candidate in candidates:
        total = len(candidate) + len(word)
        if not total:
            score = 1.0
        elif 2.0 * _shared(candidate, counts) / total < cutoff:
            continue  # the characters in common bound the ratio (difflib's quick_ratio)
        else:
            score = 2.0 * _matched(candidate, len(word), positions) / total
        if score >= cutoff:
            scored.append((score, candidate))
    scored.sort(reverse=True)
    return [candidate for _, candidate in scored[:n]]


def _shared(text: str, counts: dict[str, int]) -> int:
    """The characters ``text`` and the word have in common, counted with repeats."""
    left = dict(counts)
    shared = 0
    for char in text:
        if left.get(char, 0) > 0:
            left[char] -= 1
            shared += 1
    return shared


def _matched(text: str, size: int, positions: dict[str, list[int]]) -> int:
    """How many characters the matching blocks of ``text`` and the word cover."""
    total = 0
    todo = [(0, len(text), 0, size)]
    while todo:
        lo, hi, word_lo, word_hi = todo.pop()
        at, word_at, length = _longest(text, positions, lo, hi, word_lo, word_hi)
        if length:
            total += length
            if lo < at and word_lo < word_at:
                todo.append((lo, at, word_lo, word_at))
            if at + length < hi and word_at + length < word_hi:
                todo.append((at + length, hi, word_at + length, word_hi))
    return total


def _longest(
    text: str, positions: dict[str, list[int]], lo: int, hi: int, word_lo: int, word_hi: int
) -> tuple[int, int, int]:
    """The longest common run of ``text[lo:hi]`` and ``word[word_lo:word_hi]``: the one
    starting earliest in ``text``, then earliest in the word (length 0: none)."""
    best_at, best_word_at, best = lo, word_lo, 0
    ending: dict[int, int] = {}  # word index -> length of the run ending there
    for index in range(lo, hi):
        now: dict[int, int] = {}
        for word_index in positions.get(text[index], ()):
            if word_index < word_lo:
                continue
            if word_index >= word_hi:
                break
            length = now[word_index] = ending.get(word_index - 1, 0) + 1
            if length > best:
                best_at, best_word_at, best = index - length + 1, word_index - length + 1, length
        ending = now
    return best_at, best_word_at, best


__all__ = ["close_matches"]
