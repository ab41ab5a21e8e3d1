"""O001: Adam betas far from 0.9 / 0.999, or out of range."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples
from tests.rules.optimizer_configs import AXOLOTL, PLAIN, TORCHTUNE, TRL, VERL


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(
            AXOLOTL.format(extra="adam_beta2: 0.95"),
            "axolotl",
            [("O001", 7, 13)],
            id="axolotl-adam-beta2-0.95",
        ),
        pytest.param(
            AXOLOTL.format(extra="adam_beta1: 0.5"),
            "axolotl",
            [("O001", 7, 13)],
            id="axolotl-adam-beta1-0.5",
        ),
        pytest.param(
            AXOLOTL.format(extra="adam_beta2: 1.0"),
            "axolotl",
            [("O001", 7, 13)],
            id="axolotl-adam-beta2-1.0",
        ),
        pytest.param(
            AXOLOTL.format(extra="adam_beta1: 0.9\nadam_beta2: 0.999"),
            "axolotl",
            [],
            id="axolotl_noop",
        ),
        pytest.param(AXOLOTL.format(extra="adam_beta2: 0.998"), "axolotl", [], id="within-2x_noop"),
        pytest.param(
            AXOLOTL.format(extra="optimizer: lion_8bit\nadam_beta2: 0.99"),
            "axolotl",
            [],
            id="axolotl-2_noop",
        ),
        pytest.param(
            TRL.format(extra="adam_beta2: 0.99"), "trl", [("O001", 5, 13)], id="trl-adam-beta2-0.99"
        ),
        pytest.param(
            TRL.format(extra="adam_beta1: 0.85"), "trl", [], id="trl-adam-beta1-0.85_noop"
        ),
        pytest.param(
            PLAIN.format(extra="betas: [0.9, 0.95]"),
            "plain",
            [("O001", 6, 14)],
            id="plain-betas-0.9-0.95",
        ),
        pytest.param(
            PLAIN.format(extra="betas: [0.9, 0.999]"), "plain", [], id="plain-betas-0.9-0.999_noop"
        ),
        pytest.param(
            TORCHTUNE.format(extra="  betas: [0.8, 0.95]"),
            "torchtune",
            [("O001", 8, 16)],
            id="torchtune-betas-0.8-0.95",
        ),
        pytest.param(
            VERL.format(extra="      betas: [0.99, 0.999]"),
            "verl",
            [("O001", 7, 15)],
            id="verl-betas-0.99-0.999",
        ),
        pytest.param(VERL.format(extra=""), "verl", [], id="verl-none_noop"),
    ],
)
def test_o001(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "O001") == expected


def test_o001_messages_and_severity() -> None:
    (far,) = [
        f for f in run(AXOLOTL.format(extra="adam_beta2: 0.95"), "axolotl") if f.code == "O001"
    ]
    assert far.message == (
        "adam beta2 0.95 is far from the standard 0.999: its average remembers about 20 steps"
        " instead of 1000 (a common deliberate choice for LLM training; the LR tables assume"
        " 0.999) (Optimizer Settings / AdamW (Standard))"
    )
    assert far.severity is Severity.INFO
    (bad,) = [
        f for f in run(AXOLOTL.format(extra="adam_beta2: 1.0"), "axolotl") if f.code == "O001"
    ]
    assert bad.severity is Severity.ERROR
    assert "Invalid beta parameter" in bad.message
