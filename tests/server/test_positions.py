"""Positions between cfgguard (1-based code points, no BOM) and LSP (0-based code units)."""

from __future__ import annotations

import pytest

from cfgguard.server.positions import UTF8, UTF16, UTF32, Lines, units

ROCKET = "\U0001f680"  # outside the Basic Multilingual Plane: two UTF-16 units, four bytes


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        pytest.param("abc", UTF16, 3, id="ascii"),
        pytest.param(f"a{ROCKET}b", UTF16, 4, id="utf16-surrogate-pair"),
        pytest.param(f"a{ROCKET}b", UTF8, 6, id="utf8-bytes"),
        pytest.param(f"a{ROCKET}b", UTF32, 3, id="utf32-code-points"),
        pytest.param("é", UTF16, 1, id="utf16-bmp"),
        pytest.param("é", UTF8, 2, id="utf8-bmp"),
    ],
)
def test_units(text: str, encoding: str, expected: int) -> None:
    assert units(text, encoding) == expected


@pytest.mark.parametrize(
    ("text", "line", "column", "expected"),
    [
        pytest.param("a: 1\n", 1, 4, (0, 3), id="ascii"),
        pytest.param(f'k: "{ROCKET}", x: 1\n', 1, 9, (0, 9), id="after-non-bmp"),
        pytest.param(f"\ufeffa: {ROCKET}\n", 1, 4, (0, 4), id="bom-shifts-first-line"),
        pytest.param(f"\ufeffa: 1\nb: {ROCKET}x\n", 2, 5, (1, 5), id="bom-not-later-lines"),
        pytest.param("a: 1\r\nb: 2\r\n", 1, 6, (0, 4), id="crlf-end-clamped"),
        pytest.param("a: 1\n", 9, 1, (1, 0), id="past-the-end"),
    ],
)
def test_from_source(text: str, line: int, column: int, expected: tuple[int, int]) -> None:
    assert Lines(text).from_source(line, column) == expected


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        pytest.param(f"{ROCKET}ab\n", (0, 2), 1, id="after-pair"),
        pytest.param(f"{ROCKET}ab\n", (0, 1), 0, id="inside-pair-rounds-down"),
        pytest.param(f"{ROCKET}ab\n", (0, 99), 3, id="past-line-end"),
        pytest.param("a\nb\n", (5, 0), 4, id="past-last-line"),
        pytest.param("a\r\nbc\r\n", (1, 9), 5, id="crlf-line-end"),
    ],
)
def test_offset(text: str, position: tuple[int, int], expected: int) -> None:
    assert Lines(text).offset(*position) == expected


def test_source_offsets_skip_the_bom() -> None:
    lines = Lines(f"\ufeffa: {ROCKET}\nb: 1\n")
    assert lines.source_offset(0, 3) == 2
    assert lines.from_source_offset(2) == (0, 3)
    assert lines.from_source_offset(5) == (1, 0)
