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
        pytest.param(
            AXOLOTL.format(extra="warmup_ratio: 0.2"),
            "axolotl",
            [("O005", 7, 15)],
            id="axolotl-warmup-ratio-0.2",
        ),
        pytest.param(
            AXOLOTL.format(extra="warmup_ratio: 0.1"),
            "axolotl",
            [],
            id="axolotl-warmup-ratio-0.1_noop",
        ),
        pytest.param(
            AXOLOTL.format(extra="warmup_ratio: 0.0"),
            "axolotl",
            [("O005", 7, 15)],
            id="axolotl-warmup-ratio-0.0",
        ),
        pytest.param(
            AXOLOTL.format(extra=""), "axolotl", [], id="axolotl-warms-up-3-by-default_noop"
        ),
        pytest.param(
            AXOLOTL.format(extra="warmup_steps: 0.1"),
            "axolotl",
            [("O005", 7, 15)],
            id="axolotl-warmup-steps-0.1",
        ),
        pytest.param(
            AXOLOTL.format(extra="max_steps: 100\nwarmup_steps: 3"),
            "axolotl",
            [],
            id="axolotl_noop",
        ),
        pytest.param(
            AXOLOTL.format(extra="max_steps: 100\nwarmup_steps: 30"),
            "axolotl",
            [("O005", 8, 15)],
            id="axolotl",
        ),
        pytest.param(
            AXOLOTL.format(extra="max_steps: 100\nwarmup_steps: 150"),
            "axolotl",
            [("O005", 8, 15)],
            id="axolotl-2",
        ),
        pytest.param(
            AXOLOTL.format(extra="warmup_steps: 30"), "axolotl", [], id="total-steps-unknown_noop"
        ),
        pytest.param(TRL.format(extra=""), "trl", [("O005", 1, 1)], id="transformers-default-none"),
        pytest.param(
            TRL.format(extra="warmup_steps: 0.03"), "trl", [], id="trl-warmup-steps-0.03_noop"
        ),
        pytest.param(
            TRL.format(extra="warmup_steps: 0.5"),
            "trl",
            [("O005", 5, 15)],
            id="trl-warmup-steps-0.5",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="warmup_ratio: 0.05"),
            "llamafactory",
            [],
            id="llamafactory-warmup-ratio-0.05_noop",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="warmup_steps: 0"),
            "llamafactory",
            [("O005", 6, 15)],
            id="llamafactory-warmup-steps-0",
        ),
        pytest.param(
            TORCHTUNE.format(extra=""), "torchtune", [("O005", 1, 1)], id="no-lr-scheduler"
        ),
        pytest.param(
            TORCHTUNE_SCHED.format(steps=100), "torchtune", [], id="total-steps-unknown-2_noop"
        ),
        pytest.param(
            TORCHTUNE_SCHED.format(steps=0), "torchtune", [("O005", 10, 21)], id="torchtune-sched-0"
        ),
        pytest.param(
            VERL.format(extra=""), "verl", [("O005", 6, 7)], id="verl-ppo-default-ratio-0"
        ),
        pytest.param(
            VERL.format(extra="      lr_warmup_steps_ratio: 0.03"), "verl", [], id="verl_noop"
        ),
        pytest.param(
            PLAIN.format(extra="warmup_ratio: 0.005"),
            "plain",
            [("O005", 6, 15)],
            id="plain-warmup-ratio-0.005",
        ),
        pytest.param(PLAIN.format(extra=""), "plain", [], id="plain-none_noop"),
    ],
)
def test_o005(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "O005") == expected


@pytest.mark.parametrize(
    ("text", "dialect", "severity"),
    [
        pytest.param(
            AXOLOTL.format(extra="warmup_steps: 0.1"),
            "axolotl",
            Severity.ERROR,
            id="axolotl-warmup-steps-0.1-error",
        ),
        pytest.param(
            AXOLOTL.format(extra="max_steps: 100\nwarmup_steps: 150"),
            "axolotl",
            Severity.WARNING,
            id="axolotl-warning",
        ),
        pytest.param(
            AXOLOTL.format(extra="warmup_ratio: 0.2"),
            "axolotl",
            Severity.INFO,
            id="axolotl-warmup-ratio-0.2-info",
        ),
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
