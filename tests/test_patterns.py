"""``cfgguard.patterns.Pattern``: ``re``'s answers, compiled on the first call only."""

from __future__ import annotations

import re

from cfgguard.patterns import Pattern


def test_nothing_is_compiled_before_the_first_call() -> None:
    lazy = Pattern(r"(\d+)(K?)")
    assert lazy._compiled is None  # pyright: ignore[reportPrivateUsage]
    assert lazy.pattern == r"(\d+)(K?)"
    assert lazy.search("ab 12K")  # compiles here
    assert lazy._compiled is re.compile(r"(\d+)(K?)")  # pyright: ignore[reportPrivateUsage]


def test_every_method_answers_as_re_does() -> None:
    text = "a1 b22 c333"
    lazy, plain = Pattern(r"[a-z](\d+)", re.IGNORECASE), re.compile(r"[a-z](\d+)", re.I)
    found, expected = lazy.search(text, 3), plain.search(text, 3)
    assert found is not None
    assert expected is not None
    assert found.span() == expected.span()
    assert lazy.match(text) is not None
    assert lazy.match(text, 1) is None
    assert lazy.fullmatch("B22") is not None
    assert lazy.fullmatch("b22 ") is None
    assert [m.span() for m in lazy.finditer(text, 2)] == [m.span() for m in plain.finditer(text, 2)]
    assert lazy.findall(text) == ["1", "22", "333"]
    assert lazy.sub(lambda m: m.group(1), text) == plain.sub(lambda m: m.group(1), text)
    assert Pattern(rb"x+").search(b"axxb") is not None  # bytes patterns too
