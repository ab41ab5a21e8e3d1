"""O005: warmup missing, far from 3%, or longer than the run."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples
from tests.rules.optimizer_configs import AXOLOTL, LLAMAFACTORY, PLAIN, TORCHTUNE, TRL, VERL

TORCHTUNE_SCHED = TORCHTUNE.format(
    extra="lr_scheduler:\n  _component_: torchtune.training.lr_schedulers."
    "get_cosine_schedule_with_warmup\n  num_warmup_steps: {steps}"
)


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        (AXOLOTL.format(extra="warmup_ratio: 0.2"), "axolotl", [("O005", 7, 15)]),
        (AXOLOTL.format(extra="warmup_ratio: 0.1"), "axolotl", []),
        (AXOLOTL.format(extra="warmup_ratio: 0.0"), "axolotl", [("O005", 7, 15)]),
        (AXOLOTL.format(extra=""), "axolotl", []),  # axolotl warms up 3% by default
        (AXOLOTL.format(extra="warmup_steps: 0.1"), "axolotl", [("O005", 7, 15)]),
        (AXOLOTL.format(extra="max_steps: 100\nwarmup_steps: 3"), "axolotl", []),
        (AXOLOTL.format(extra="max_steps: 100\nwarmup_steps: 30"), "axolotl", [("O005", 8, 15)]),
        (AXOLOTL.format(extra="max_steps: 100\nwarmup_steps: 150"), "axolotl", [("O005", 8, 15)]),
        (AXOLOTL.format(extra="warmup_steps: 30"), "axolotl", []),  # total steps unknown
        (TRL.format(extra=""), "trl", [("O005", 1, 1)]),  # transformers default: none
        (TRL.format(extra="warmup_steps: 0.03"), "trl", []),
        (TRL.format(extra="warmup_steps: 0.5"), "trl", [("O005", 5, 15)]),
        (LLAMAFACTORY.format(extra="warmup_ratio: 0.05"), "llamafactory", []),
        (LLAMAFACTORY.format(extra="warmup_steps: 0"), "llamafactory", [("O005", 6, 15)]),
        (TORCHTUNE.format(extra=""), "torchtune", [("O005", 1, 1)]),  # no lr_scheduler
        (TORCHTUNE_SCHED.format(steps=100), "torchtune", []),  # total steps unknown
        (TORCHTUNE_SCHED.format(steps=0), "torchtune", [("O005", 10, 21)]),
        (VERL.format(extra=""), "verl", [("O005", 6, 7)]),  # verl PPO default ratio 0
        (VERL.format(extra="      lr_warmup_steps_ratio: 0.03"), "verl", []),
        (PLAIN.format(extra="warmup_ratio: 0.005"), "plain", [("O005", 6, 15)]),
        (PLAIN.format(extra=""), "plain", []),
    ],
)
def test_o005(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "O005") == expected


@pytest.mark.parametrize(
    ("text", "dialect", "severity"),
    [
        (AXOLOTL.format(extra="warmup_steps: 0.1"), "axolotl", Severity.ERROR),
        (AXOLOTL.format(extra="max_steps: 100\nwarmup_steps: 150"), "axolotl", Severity.WARNING),
        (AXOLOTL.format(extra="warmup_ratio: 0.2"), "axolotl", Severity.INFO),
    ],
)
def test_o005_severity(text: str, dialect: str, severity: Severity) -> None:
    (finding,) = [f for f in run(text, dialect) if f.code == "O005"]
    assert finding.severity is severity


def test_o005_message() -> None:
    text = AXOLOTL.format(extra="max_steps: 100\nwarmup_steps: 30")
    (finding,) = [f for f in run(text, "axolotl") if f.code == "O005"]
    assert finding.message == (
        "warmup is long: warmup_steps 30 of 100 total steps (30%) is outside the usual"
        " 1%..10%; the reference warms up over 3% of the steps (Optimizer Settings / For"
        " Stability)"
    )
