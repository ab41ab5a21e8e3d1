from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.rules.conftest import LLAMA8, codes, only

PLAIN_GRPO = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 8
lora_alpha: 16
group_size: {n}
temperature: 0.7
learning_rate: 1e-5
batch_size: 4
num_steps: 2000
"""

AXOLOTL_GRPO = """\
base_model: {model}
rl: grpo
trl:
  num_generations: {n}
  temperature: 0.7
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
    ("n", "expected", "severity"),
    [
        pytest.param(8, [], None, id="n=8-severity=none_noop"),
        pytest.param(4, [], None, id="n=4-severity=none_noop"),
        pytest.param(16, [], None, id="n=16-severity=none_noop"),
        pytest.param(2, [("G001", 4, 13)], Severity.INFO, id="n=2-info"),
        pytest.param(32, [("G001", 4, 13)], Severity.INFO, id="n=32-info"),
        pytest.param(1, [("G001", 4, 13)], Severity.ERROR, id="n=1-error"),
        pytest.param(0, [("G001", 4, 13)], Severity.ERROR, id="n=0-error"),
    ],
)
def test_g001_plain(
    n: int, expected: list[tuple[str, int, int]], severity: Severity | None
) -> None:
    text = PLAIN_GRPO.format(n=n)
    assert codes(text, "plain", "G001") == expected
    if severity is not None:
        assert only(text, "plain", "G001").severity == severity


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        pytest.param(8, [], id="n=8_noop"),
        pytest.param(2, [("G001", 4, 20)], id="n=2"),
        pytest.param(64, [("G001", 4, 20)], id="n=64"),
    ],
)
def test_g001_axolotl(n: int, expected: list[tuple[str, int, int]]) -> None:
    assert codes(AXOLOTL_GRPO.format(model=LLAMA8, n=n), "axolotl", "G001") == expected


def test_g001_not_for_other_methods() -> None:
    text = PLAIN_GRPO.format(n=2).replace("temperature: 0.7\n", "").replace("group_size", "beta")
    assert codes(text, "plain", "G001") == []


@pytest.mark.parametrize(
    ("n", "message"),
    [
        pytest.param(
            2,
            "group size 2 is outside the recommended 4..16; fewer than the table's 4 (Fast,"
            " higher variance) (GRPO Specific / Group Size: 4)",
            id="n=2",
        ),
        pytest.param(
            24,
            "group size 24 is outside the recommended 4..16; toward the table's 32 (Research"
            " only, 4x cost) (GRPO Specific / Group Size: 32)",
            id="n=24",
        ),
        pytest.param(
            1,
            "group size 1 is below 2: with one sample per prompt there is no group to compare:"
            " TRL and axolotl refuse it, verl uses the raw reward as the advantage (no group"
            " baseline) (GRPO Specific / Group Size)",
            id="n=1",
        ),
    ],
)
def test_g001_messages(n: int, message: str) -> None:
    assert only(PLAIN_GRPO.format(n=n), "plain", "G001").message == message
