"""O006: learning-rate schedule other than cosine or constant."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples
from tests.rules.optimizer_configs import AXOLOTL, LLAMAFACTORY, PLAIN, TORCHTUNE, TRL, VERL


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(
            AXOLOTL.format(extra="lr_scheduler: one_cycle"),
            "axolotl",
            [("O006", 7, 15)],
            id="axolotl-lr-scheduler-one-cycle",
        ),
        pytest.param(
            AXOLOTL.format(extra="lr_scheduler: linear"),
            "axolotl",
            [],
            id="transformers-default_noop",
        ),
        pytest.param(
            AXOLOTL.format(extra="lr_scheduler: cosine"),
            "axolotl",
            [],
            id="axolotl-lr-scheduler-cosine_noop",
        ),
        pytest.param(AXOLOTL.format(extra=""), "axolotl", [], id="axolotl-default-cosine_noop"),
        pytest.param(
            AXOLOTL.format(extra="lr_scheduler: constant_with_warmup"),
            "axolotl",
            [],
            id="axolotl_noop",
        ),
        pytest.param(
            TRL.format(extra=""), "trl", [], id="transformers-default-linear-never-a-mistake_noop"
        ),
        pytest.param(
            TRL.format(extra="lr_scheduler_type: cosine_with_min_lr"), "trl", [], id="trl_noop"
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="lr_scheduler_type: polynomial"),
            "llamafactory",
            [("O006", 6, 20)],
            id="llamafactory",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="lr_scheduler_type: cosine"),
            "llamafactory",
            [],
            id="llamafactory-lr-scheduler-type-cosine_noop",
        ),
        pytest.param(
            PLAIN.format(extra="lr_scheduler: inverse_sqrt"),
            "plain",
            [("O006", 6, 15)],
            id="plain-lr-scheduler-inverse-sqrt",
        ),
        pytest.param(TORCHTUNE.format(extra=""), "torchtune", [], id="torchtune-none_noop"),
        pytest.param(VERL.format(extra=""), "verl", [], id="verl-ppo-default-constant_noop"),
    ],
)
def test_o006(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "O006") == expected


def test_o006_message() -> None:
    text = LLAMAFACTORY.format(extra="lr_scheduler_type: polynomial")
    (finding,) = [f for f in run(text, "llamafactory") if f.code == "O006"]
    assert finding.message == (
        "lr scheduler 'polynomial'; the reference schedules the learning rate with cosine or"
        " constant, which its learning rates assume (Optimizer Settings / For Stability)"
    )
    assert finding.severity is Severity.INFO
