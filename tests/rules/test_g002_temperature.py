from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.rules.conftest import LLAMA8, codes, only

PLAIN_GRPO = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 8
lora_alpha: 16
group_size: 8
temperature: {t}
learning_rate: 1e-5
batch_size: 4
num_steps: 2000
"""

AXOLOTL_GRPO = """\
base_model: {model}
rl: grpo
trl:
  num_generations: 8
  temperature: {t}
adapter: lora
lora_r: 8
lora_alpha: 16
lora_target_linear: true
micro_batch_size: 8
gradient_accumulation_steps: 2
sequence_len: 2048
num_epochs: 1
learning_rate: 1e-5
"""


@pytest.mark.parametrize(
    ("t", "expected", "severity"),
    [
        pytest.param("0.7", [], None, id="t=0.7-severity=none_noop"),
        pytest.param("0.5", [], None, id="t=0.5-severity=none_noop"),
        pytest.param("1.0", [], None, id="t=1.0-severity=none_noop"),
        pytest.param("1.2", [], None, id="t=1.2-severity=none_noop"),
        pytest.param("0.3", [("G002", 5, 14)], Severity.INFO, id="t=0.3-info"),
        pytest.param("1.5", [("G002", 5, 14)], Severity.INFO, id="t=1.5-info"),
        pytest.param("0", [("G002", 5, 14)], Severity.WARNING, id="t=0-warning"),
    ],
)
def test_g002_plain(
    t: str, expected: list[tuple[str, int, int]], severity: Severity | None
) -> None:
    text = PLAIN_GRPO.format(t=t)
    assert codes(text, "plain", "G002") == expected
    if severity is not None:
        assert only(text, "plain", "G002").severity == severity


@pytest.mark.parametrize(
    ("t", "expected"),
    [pytest.param("0.9", [], id="t=0.9_noop"), pytest.param("2.0", [("G002", 5, 16)], id="t=2.0")],
)
def test_g002_axolotl(t: str, expected: list[tuple[str, int, int]]) -> None:
    assert codes(AXOLOTL_GRPO.format(model=LLAMA8, t=t), "axolotl", "G002") == expected


def test_g002_axolotl_default_is_in_range() -> None:
    # TRL's GRPOConfig default temperature (1.0) applies when the key is absent
    text = AXOLOTL_GRPO.format(model=LLAMA8, t="x").replace("  temperature: x\n", "")
    assert codes(text, "axolotl", "G002") == []


@pytest.mark.parametrize(
    ("t", "message"),
    [
        pytest.param(
            "1.5",
            "temperature 1.5 is outside the recommended 0.5..1.2; the table's 1.2+: Maximum"
            " exploration, may be unstable (GRPO Specific / Temperature: 1.2+)",
            id="t=1.5",
        ),
        pytest.param(
            "0.3",
            "temperature 0.3 is outside the recommended 0.5..1.2; below the table's 0.5 (Less"
            " exploration, faster convergence) (GRPO Specific / Temperature: 0.5)",
            id="t=0.3",
        ),
        pytest.param(
            "0",
            "temperature 0: greedy sampling makes every sample of a group identical, so every"
            " advantage is 0 (GRPO Specific / Temperature)",
            id="t=0",
        ),
    ],
)
def test_g002_messages(t: str, message: str) -> None:
    assert only(PLAIN_GRPO.format(t=t), "plain", "G002").message == message
