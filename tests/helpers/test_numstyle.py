"""Scaling a written number to a clean value in the author's notation."""

from __future__ import annotations

import pytest

from cfgguard.edits.numbers import scaled


@pytest.mark.parametrize(
    ("text", "factor", "expected"),
    [
        ("2e-4", 1 / 3, "7e-5"),
        ("2.0e-4", 1 / 3, "7.0e-5"),
        ("2e-04", 1 / 3, "7e-05"),  # exponent width kept
        ("5E-4", 3, "2E-3"),  # capital E kept
        ("0.0002", 3, "0.0006"),
        ('"5e-4"', 1 / 3, '"2e-4"'),  # quotes kept
        ("1.0e-5", 3, "3.0e-5"),
        ("0.5", 2, "1.0"),  # a float stays a float
        ("3e-4", 1 / 3, "1e-4"),
        ("1e+3", 2, "2e+3"),  # an explicit + stays
        ("abc", 2, None),
        ("inf", 2, None),
    ],
)
def test_scaled(text: str, factor: float, expected: str | None) -> None:
    assert scaled(text, factor) == expected


def test_two_digits_when_one_would_not_move() -> None:
    assert scaled("1e-4", 1.2) == "1.2e-4"
