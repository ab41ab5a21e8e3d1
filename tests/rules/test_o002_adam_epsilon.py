"""O002: Adam epsilon far from 1e-8, zero, or negative."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples
from tests.rules.optimizer_configs import AXOLOTL, LLAMAFACTORY, PLAIN, TORCHTUNE


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(
            AXOLOTL.format(extra="adam_epsilon: 1e-5"),
            "axolotl",
            [("O002", 7, 15)],
            id="axolotl-adam-epsilon-1e-5",
        ),
        pytest.param(
            AXOLOTL.format(extra="adam_epsilon: 1.0e-8"),
            "axolotl",
            [],
            id="axolotl-adam-epsilon-1.0e-8_noop",
        ),
        pytest.param(
            AXOLOTL.format(extra="adam_epsilon: 5.0e-8"), "axolotl", [], id="within-10x_noop"
        ),
        pytest.param(
            AXOLOTL.format(extra="optimizer: adafactor\nadam_epsilon: 1e-3"),
            "axolotl",
            [],
            id="axolotl_noop",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="adam_epsilon: 0.0"),
            "llamafactory",
            [("O002", 6, 15)],
            id="llamafactory-adam-epsilon-0.0",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="adam_epsilon: 1.0e-3"),
            "llamafactory",
            [("O002", 6, 15)],
            id="llamafactory-adam-epsilon-1.0e-3",
        ),
        pytest.param(
            TORCHTUNE.format(extra="  eps: 1.0e-6"),
            "torchtune",
            [("O002", 8, 8)],
            id="torchtune-eps-1.0e-6",
        ),
        pytest.param(
            TORCHTUNE.format(extra="  eps: 1.0e-8"), "torchtune", [], id="torchtune-eps-1.0e-8_noop"
        ),
        pytest.param(
            PLAIN.format(extra="eps: -1.0e-8"), "plain", [("O002", 6, 6)], id="plain-eps-1.0e-8"
        ),
        pytest.param(PLAIN.format(extra="eps: 1e-8"), "plain", [], id="plain-eps-1e-8_noop"),
    ],
)
def test_o002(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "O002") == expected


@pytest.mark.parametrize(
    ("value", "severity"),
    [
        pytest.param("-1.0e-8", Severity.ERROR, id="1.0e-8-error"),
        pytest.param("0.0", Severity.ERROR, id="0.0-error"),
        pytest.param("1.0e-2", Severity.WARNING, id="1.0e-2-warning"),
        pytest.param("1.0e-5", Severity.INFO, id="1.0e-5-info"),
    ],
)
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
