"""O002: Adam epsilon far from 1e-8, zero, or negative."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples
from tests.rules.optimizer_configs import AXOLOTL, LLAMAFACTORY, PLAIN, TORCHTUNE


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        (AXOLOTL.format(extra="adam_epsilon: 1e-5"), "axolotl", [("O002", 7, 15)]),
        (AXOLOTL.format(extra="adam_epsilon: 1.0e-8"), "axolotl", []),
        (AXOLOTL.format(extra="adam_epsilon: 5.0e-8"), "axolotl", []),  # within 10x
        (AXOLOTL.format(extra="optimizer: adafactor\nadam_epsilon: 1e-3"), "axolotl", []),
        (LLAMAFACTORY.format(extra="adam_epsilon: 0.0"), "llamafactory", [("O002", 6, 15)]),
        (LLAMAFACTORY.format(extra="adam_epsilon: 1.0e-3"), "llamafactory", [("O002", 6, 15)]),
        (TORCHTUNE.format(extra="  eps: 1.0e-6"), "torchtune", [("O002", 8, 8)]),
        (TORCHTUNE.format(extra="  eps: 1.0e-8"), "torchtune", []),
        (PLAIN.format(extra="eps: -1.0e-8"), "plain", [("O002", 6, 6)]),
        (PLAIN.format(extra="eps: 1e-8"), "plain", []),
    ],
)
def test_o002(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "O002") == expected


@pytest.mark.parametrize(
    ("value", "severity"),
    [("-1.0e-8", Severity.ERROR), ("0.0", Severity.ERROR), ("1.0e-2", Severity.WARNING),
     ("1.0e-5", Severity.INFO)],
)  # fmt: skip
def test_o002_severity(value: str, severity: Severity) -> None:
    text = LLAMAFACTORY.format(extra=f"adam_epsilon: {value}")
    (finding,) = [f for f in run(text, "llamafactory") if f.code == "O002"]
    assert finding.severity is severity


def test_o002_message() -> None:
    (finding,) = [
        f for f in run(AXOLOTL.format(extra="adam_epsilon: 1e-5"), "axolotl") if f.code == "O002"
    ]
    assert finding.message == (
        "adam epsilon 1e-5 is more than 10x away from the standard (Optimizer Settings / AdamW"
        " (Standard): eps 1e-8)"
    )
