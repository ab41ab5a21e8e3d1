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
        ("0.7", [], None),
        ("0.5", [], None),
        ("1.0", [], None),
        ("1.2", [], None),
        ("0.3", [("G002", 5, 14)], Severity.INFO),
        ("1.5", [("G002", 5, 14)], Severity.INFO),
        ("0", [("G002", 5, 14)], Severity.WARNING),
    ],
)
def test_g002_plain(
    t: str, expected: list[tuple[str, int, int]], severity: Severity | None
) -> None:
    text = PLAIN_GRPO.format(t=t)
    assert codes(text, "plain", "G002") == expected
    if severity is not None:
        assert only(text, "plain", "G002").severity == severity


@pytest.mark.parametrize(("t", "expected"), [("0.9", []), ("2.0", [("G002", 5, 16)])])
def test_g002_axolotl(t: str, expected: list[tuple[str, int, int]]) -> None:
    assert codes(AXOLOTL_GRPO.format(model=LLAMA8, t=t), "axolotl", "G002") == expected


def test_g002_axolotl_default_is_in_range() -> None:
    # TRL's GRPOConfig default temperature (1.0) applies when the key is absent
    text = AXOLOTL_GRPO.format(model=LLAMA8, t="x").replace("  temperature: x\n", "")
    assert codes(text, "axolotl", "G002") == []


@pytest.mark.parametrize(
    ("t", "message"),
    [
        (
            "1.5",
            "temperature 1.5 is outside the recommended 0.5..1.2; the table's 1.2+: Maximum"
            " exploration, may be unstable (GRPO Specific / Temperature: 1.2+)",
        ),
        (
            "0.3",
            "temperature 0.3 is outside the recommended 0.5..1.2; below the table's 0.5 (Less"
            " exploration, faster convergence) (GRPO Specific / Temperature: 0.5)",
        ),
        (
            "0",
            "temperature 0: greedy sampling makes every sample of a group identical, so every"
            " advantage is 0 (GRPO Specific / Temperature)",
        ),
    ],
)
def test_g002_messages(t: str, message: str) -> None:
    assert only(PLAIN_GRPO.format(t=t), "plain", "G002").message == message
