"""O003: weight decay on a LoRA run."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples
from tests.rules.optimizer_configs import AXOLOTL, AXOLOTL_FULL, TORCHTUNE, TRL, VERL


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(
            AXOLOTL.format(extra="weight_decay: 0.1"),
            "axolotl",
            [("O003", 7, 15)],
            id="axolotl-weight-decay-0.1",
        ),
        pytest.param(
            AXOLOTL.format(extra="weight_decay: 0.0"),
            "axolotl",
            [],
            id="axolotl-weight-decay-0.0_noop",
        ),
        pytest.param(
            AXOLOTL.format(extra="weight_decay: 1e-6"), "axolotl", [], id="negligible_noop"
        ),
        pytest.param(
            AXOLOTL_FULL.format(extra="weight_decay: 0.1"), "axolotl", [], id="full-fine-tune_noop"
        ),
        pytest.param(
            TRL.format(extra="weight_decay: 0.01"),
            "trl",
            [("O003", 5, 15)],
            id="trl-weight-decay-0.01",
        ),
        pytest.param(TRL.format(extra=""), "trl", [], id="trl-none_noop"),
        pytest.param(
            TORCHTUNE.format(extra="  weight_decay: 0.01"),
            "torchtune",
            [("O003", 8, 17)],
            id="torchtune-weight-decay-0.01",
        ),
        pytest.param(
            TORCHTUNE.format(extra=""),
            "torchtune",
            [],
            id="torch-s-default-is-not-the-config-s_noop",
        ),
        pytest.param(
            VERL.format(extra="  model:\n    lora_rank: 8"), "verl", [], id="verl-default-0.01_noop"
        ),
    ],
)
def test_o003(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "O003") == expected


def test_o003_message() -> None:
    (finding,) = [
        f for f in run(AXOLOTL.format(extra="weight_decay: 0.1"), "axolotl") if f.code == "O003"
    ]
    assert finding.message == (
        "weight decay 0.1 on a lora run pulls the adapter back toward the base model; the"
        " reference uses 0 ('Usually 0 for LoRA') (Optimizer Settings / AdamW (Standard))"
    )
    assert finding.severity is Severity.INFO
