from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.rules.conftest import (
    LLAMA8,
    LLAMA70,
    MIXTRAL,
    QWEN3_MOE,
    QWEN3B,
    UNKNOWN,
    codes,
    only,
)

PLAIN_SFT = """\
base_model: {model}
lora_rank: {rank}
lora_alpha: 32
learning_rate: 2e-4
batch_size: 16
num_steps: 1000
"""

PLAIN_GRPO = PLAIN_SFT + "group_size: 8\ntemperature: 0.7\n"

AXOLOTL_SFT = """\
base_model: {model}
adapter: {adapter}
lora_r: {rank}
lora_alpha: 32
lora_target_linear: true
micro_batch_size: 2
gradient_accumulation_steps: 8
sequence_len: 2048
num_epochs: 1
learning_rate: 2e-4
datasets:
  - path: tatsu-lab/alpaca
    type: alpaca
"""


@pytest.mark.parametrize(
    ("model", "rank", "expected"),
    [
        pytest.param(LLAMA8, 8, [("L001", 2, 12)], id="llama8-rank=8"),
        pytest.param(LLAMA8, 32, [], id="llama8-rank=32_noop"),
        pytest.param(LLAMA8, 64, [], id="llama8-rank=64_noop"),
        pytest.param(LLAMA8, 128, [("L001", 2, 12)], id="llama8-rank=128"),
        pytest.param(QWEN3B, 16, [], id="qwen3b-rank=16_noop"),
        pytest.param(QWEN3B, 64, [("L001", 2, 12)], id="qwen3b-rank=64"),
        pytest.param(LLAMA70, 64, [("L001", 2, 12)], id="llama70-rank=64"),
        pytest.param(LLAMA70, 256, [], id="llama70-rank=256_noop"),
        # MoE: dense row's low / active experts .. dense row's high
        pytest.param(MIXTRAL, 16, [("L001", 2, 12)], id="mixtral-rank=16"),
        pytest.param(MIXTRAL, 32, [], id="mixtral-rank=32_noop"),
        pytest.param(MIXTRAL, 128, [], id="mixtral-rank=128_noop"),
        pytest.param(MIXTRAL, 256, [("L001", 2, 12)], id="mixtral-rank=256"),
        pytest.param(QWEN3_MOE, 1, [("L001", 2, 12)], id="qwen3-moe-rank=1"),
        pytest.param(QWEN3_MOE, 2, [], id="qwen3-moe-rank=2_noop"),
        pytest.param(QWEN3_MOE, 64, [("L001", 2, 12)], id="qwen3-moe-rank=64"),
        pytest.param(UNKNOWN, 1, [], id="unknown-model-size-dependent-not-checked_noop"),
    ],
)
def test_l001_plain(model: str, rank: int, expected: list[tuple[str, int, int]]) -> None:
    assert codes(PLAIN_SFT.format(model=model, rank=rank), "plain", "L001") == expected


def test_l001_skips_rl_methods() -> None:
    # GRPO ranks are L002's (the RL table); L001 is about SFT only
    assert codes(PLAIN_GRPO.format(model=LLAMA8, rank=128), "plain", "L001") == []


@pytest.mark.parametrize(
    ("adapter", "rank", "expected"),
    [
        pytest.param("lora", 8, [("L001", 3, 9)], id="adapter=lora-rank=8"),
        pytest.param("qlora", 8, [("L001", 3, 9)], id="adapter=qlora-rank=8"),
        pytest.param("lora", 48, [], id="adapter=lora-rank=48_noop"),
    ],
)
def test_l001_axolotl(adapter: str, rank: int, expected: list[tuple[str, int, int]]) -> None:
    text = AXOLOTL_SFT.format(model=LLAMA8, adapter=adapter, rank=rank)
    assert codes(text, "axolotl", "L001") == expected


def test_l001_full_fine_tune_is_not_checked() -> None:
    text = AXOLOTL_SFT.format(model=LLAMA8, adapter="lora", rank=8).replace("adapter: lora\n", "")
    assert codes(text, "axolotl", "L001") == []


def test_l001_message() -> None:
    finding = only(PLAIN_SFT.format(model=LLAMA8, rank=8), "plain", "L001")
    assert finding.message == (
        "LoRA rank 8 is outside the SFT range 32..64 for 7-8B models"
        " (LoRA Configuration / Rank by Model Size (SFT): 7-8B)"
    )
    assert finding.severity == Severity.INFO
    assert finding.source == "LoRA Configuration / Rank by Model Size (SFT): 7-8B"


def test_l001_moe_message() -> None:
    finding = only(PLAIN_SFT.format(model=MIXTRAL, rank=16), "plain", "L001")
    assert finding.message == (
        "LoRA rank 16 is outside the SFT range 32..128 for 13B MoE models with 2 active experts"
        " (rank/active_experts for expert adapters, up to 128 for shared modules)"
        " (LoRA Configuration / Rank by Model Size (SFT): MoE)"
    )
