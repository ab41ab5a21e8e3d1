"""O006: learning-rate schedule other than cosine or constant."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples
from tests.rules.optimizer_configs import AXOLOTL, LLAMAFACTORY, PLAIN, TORCHTUNE, TRL, VERL


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        (AXOLOTL.format(extra="lr_scheduler: one_cycle"), "axolotl", [("O006", 7, 15)]),
        (AXOLOTL.format(extra="lr_scheduler: linear"), "axolotl", []),  # transformers' default
        (AXOLOTL.format(extra="lr_scheduler: cosine"), "axolotl", []),
        (AXOLOTL.format(extra=""), "axolotl", []),  # axolotl default cosine
        (AXOLOTL.format(extra="lr_scheduler: constant_with_warmup"), "axolotl", []),
        (TRL.format(extra=""), "trl", []),  # transformers default linear: never a mistake
        (TRL.format(extra="lr_scheduler_type: cosine_with_min_lr"), "trl", []),
        (
            LLAMAFACTORY.format(extra="lr_scheduler_type: polynomial"),
            "llamafactory",
            [("O006", 6, 20)],
        ),
        (LLAMAFACTORY.format(extra="lr_scheduler_type: cosine"), "llamafactory", []),
        (PLAIN.format(extra="lr_scheduler: inverse_sqrt"), "plain", [("O006", 6, 15)]),
        (TORCHTUNE.format(extra=""), "torchtune", []),
        (VERL.format(extra=""), "verl", []),  # verl PPO default constant
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
