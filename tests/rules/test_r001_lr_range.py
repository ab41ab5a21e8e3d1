from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.rules.conftest import LLAMA8, UNKNOWN, codes, findings, only

# plain: lora_rank means LoRA (its absence: full fine-tune); beta means DPO, group_size GRPO
PLAIN_LORA = """\
base_model: {model}
lora_rank: 32
lora_alpha: 32
learning_rate: {lr}
batch_size: 16
num_steps: 1000
"""
PLAIN_FULL = """\
base_model: {model}
batch_size: 16
learning_rate: {lr}
num_steps: 1000
"""
PLAIN_DPO = PLAIN_LORA.replace(": 32\n", ": 16\n") + "beta: 0.1\n"
PLAIN_GRPO = PLAIN_LORA + "group_size: 8\ntemperature: 0.7\n"

AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
{rl}adapter: lora
lora_r: 16
lora_alpha: 16
lora_target_linear: true
micro_batch_size: 2
gradient_accumulation_steps: 8
sequence_len: 2048
num_epochs: 1
learning_rate: {lr}
datasets:
  - path: tatsu-lab/alpaca
    type: alpaca
"""


@pytest.mark.parametrize(
    ("template", "lr", "expected"),
    [
        # SFT with LoRA: 1e-4..5e-4; at or below 5e-5 (full level) is R002's
        pytest.param(PLAIN_LORA, "2e-4", [], id="plain-lora-lr=2e-4_noop"),
        pytest.param(PLAIN_LORA, "8e-4", [("R001", 4, 16)], id="plain-lora-lr=8e-4"),
        pytest.param(PLAIN_LORA, "7e-5", [("R001", 4, 16)], id="between-the-columns"),
        pytest.param(PLAIN_LORA, "2e-5", [], id="plain-lora-lr=2e-5_noop"),
        pytest.param(PLAIN_LORA, "6e-3", [("R001", 4, 16)], id="plain-lora-lr=6e-3"),
        # SFT full fine-tune: 1e-5..5e-5; at or above 1e-4 (LoRA level) is R003's
        pytest.param(PLAIN_FULL, "2e-5", [], id="plain-full-lr=2e-5_noop"),
        pytest.param(PLAIN_FULL, "5e-6", [("R001", 3, 16)], id="plain-full-lr=5e-6"),
        pytest.param(PLAIN_FULL, "2e-4", [], id="plain-full-lr=2e-4_noop"),
        # DPO with LoRA: 5e-6..5e-5; GRPO with LoRA: 1e-5..5e-5
        pytest.param(PLAIN_DPO, "1e-5", [], id="plain-dpo-lr=1e-5_noop"),
        pytest.param(PLAIN_DPO, "2e-4", [("R001", 4, 16)], id="plain-dpo-lr=2e-4"),
        pytest.param(PLAIN_GRPO, "1e-5", [], id="plain-grpo-lr=1e-5_noop"),
        pytest.param(PLAIN_GRPO, "2e-4", [("R001", 4, 16)], id="plain-grpo-lr=2e-4"),
    ],
)
def test_r001_plain(template: str, lr: str, expected: list[tuple[str, int, int]]) -> None:
    assert codes(template.format(model=LLAMA8, lr=lr), "plain", "R001") == expected


def test_r001_is_not_size_dependent() -> None:
    text = PLAIN_LORA.format(model=UNKNOWN, lr="8e-4")
    assert codes(text, "plain", "R001") == [("R001", 4, 16)]


@pytest.mark.parametrize(
    ("rl", "lr", "expected"),
    [
        pytest.param("", "8e-4", [("R001", 10, 16)], id="none-lr=8e-4"),
        pytest.param("", "3e-4", [], id="none-lr=3e-4_noop"),
        pytest.param("rl: dpo\n", "2e-4", [("R001", 11, 16)], id="rl-dpo-lr=2e-4"),
        pytest.param("rl: dpo\n", "2e-5", [], id="rl-dpo-lr=2e-5_noop"),
        pytest.param("rl: kto\n", "2e-4", [("R001", 11, 16)], id="kto-uses-the-dpo-row"),
    ],
)
def test_r001_axolotl(rl: str, lr: str, expected: list[tuple[str, int, int]]) -> None:
    assert codes(AXOLOTL.format(rl=rl, lr=lr), "axolotl", "R001") == expected


def test_r001_message() -> None:
    finding = only(PLAIN_LORA.format(model=LLAMA8, lr="8e-4"), "plain", "R001")
    assert finding.message == (
        "learning rate 8e-4 is 1.6x above the recommended 1e-4..5e-4 for SFT with LoRA"
        " (assumed: SFT, lora) (Learning Rates / Base Learning Rates: SFT)"
    )
    assert finding.severity == Severity.INFO


def test_r001_far_outside_is_a_warning() -> None:
    finding = only(PLAIN_LORA.format(model=LLAMA8, lr="6e-3"), "plain", "R001")
    assert finding.severity == Severity.WARNING
    assert finding.message.startswith("learning rate 0.006 is 12x above the recommended")
    low = only(PLAIN_FULL.format(model=LLAMA8, lr="5e-7"), "plain", "R001")
    assert low.severity == Severity.WARNING


@pytest.mark.parametrize(
    "template",
    [
        pytest.param(PLAIN_LORA, id="plain-lora"),
        pytest.param(PLAIN_FULL, id="plain-full"),
        pytest.param(PLAIN_DPO, id="plain-dpo"),
        pytest.param(PLAIN_GRPO, id="plain-grpo"),
    ],
)
@pytest.mark.parametrize(
    "lr", ["1e-8", "5e-7", "1e-6", "5e-6", "1e-5", "3e-5", "5e-5", "7e-5", "1e-4", "5e-4", "1e-2"]
)
def test_r001_r002_r003_partition(template: str, lr: str) -> None:
    """At most one of the learning-rate rules reports any value."""
    text = template.format(model=LLAMA8, lr=lr)
    reported = [f.code for code in ("R001", "R002", "R003") for f in findings(text, "plain", code)]
    assert len(reported) <= 1, reported


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(PLAIN_LORA.format(model=LLAMA8, lr="8e-4"), [("R001", 4, 16)], id="run"),
        # 10 steps: a smoke test, not judged
        pytest.param(
            PLAIN_LORA.format(model=LLAMA8, lr="8e-4").replace("num_steps: 1000", "num_steps: 10"),
            [],
            id="smoke-test_noop",
        ),
        # under 1B parameters: below the reference's rows
        pytest.param(PLAIN_LORA.format(model="Qwen/Qwen3-0.6B", lr="8e-4"), [], id="tiny_noop"),
    ],
)
def test_r001_context(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert codes(text, "plain", "R001") == expected
