from __future__ import annotations

import pytest

from tests.rules.conftest import LLAMA8, LLAMA70, QWEN3B, UNKNOWN, codes, only

PLAIN = """\
base_model: {model}
lora_rank: {rank}
lora_alpha: {alpha}
learning_rate: {lr}
batch_size: 16
num_steps: 1000
"""

PLAIN_GRPO = PLAIN + "group_size: 8\ntemperature: 0.7\n"

AXOLOTL = """\
base_model: {model}
adapter: lora
lora_r: {rank}
lora_alpha: {alpha}
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
    ("template", "model", "rank", "alpha", "expected"),
    [
        # SFT: 32 at every size, accepted 8..128
        pytest.param(PLAIN, LLAMA8, 64, 32, [], id="plain-llama8-rank=64-alpha=32_noop"),
        pytest.param(PLAIN, LLAMA8, 64, 128, [], id="plain-llama8-rank=64-alpha=128_noop"),
        pytest.param(
            PLAIN, LLAMA8, 64, 256, [("L003", 3, 13)], id="plain-llama8-rank=64-alpha=256"
        ),
        pytest.param(PLAIN, LLAMA8, 64, 8, [], id="plain-llama8-rank=64-alpha=8_noop"),
        pytest.param(PLAIN, LLAMA8, 64, 4, [("L003", 3, 13)], id="plain-llama8-rank=64-alpha=4"),
        pytest.param(
            PLAIN, UNKNOWN, 64, 512, [("L003", 3, 13)], id="sft-alpha-is-size-independent"
        ),
        # RL: 16 for 7-8B and 13B (4..64), 32 for 70B (8..128), no 1-3B/34B row
        pytest.param(PLAIN_GRPO, LLAMA8, 8, 16, [], id="plain-grpo-llama8-rank=8-alpha=16_noop"),
        pytest.param(
            PLAIN_GRPO, LLAMA8, 8, 128, [("L003", 3, 13)], id="plain-grpo-llama8-rank=8-alpha=128"
        ),
        pytest.param(
            PLAIN_GRPO, LLAMA70, 16, 128, [], id="plain-grpo-llama70-rank=16-alpha=128_noop"
        ),
        pytest.param(
            PLAIN_GRPO, LLAMA70, 16, 4, [("L003", 3, 13)], id="plain-grpo-llama70-rank=16-alpha=4"
        ),
        pytest.param(PLAIN_GRPO, QWEN3B, 8, 512, [], id="plain-grpo-qwen3b-rank=8-alpha=512_noop"),
        pytest.param(
            PLAIN_GRPO, UNKNOWN, 8, 512, [], id="plain-grpo-unknown-rank=8-alpha=512_noop"
        ),
    ],
)
def test_l003_plain(
    template: str, model: str, rank: int, alpha: int, expected: list[tuple[str, int, int]]
) -> None:
    lr = "1e-5" if "group_size" in template else "2e-4"
    text = template.format(model=model, rank=rank, alpha=alpha, lr=lr)
    assert codes(text, "plain", "L003") == expected


@pytest.mark.parametrize(
    ("rank", "alpha", "expected"),
    [
        pytest.param(32, 512, [("L003", 4, 13)], id="rank=32-alpha=512"),
        pytest.param(32, 64, [], id="rank=32-alpha=64_noop"),
        pytest.param(16, 2, [("L003", 4, 13)], id="rank=16-alpha=2"),
    ],
)
def test_l003_axolotl(rank: int, alpha: int, expected: list[tuple[str, int, int]]) -> None:
    text = AXOLOTL.format(model=LLAMA8, rank=rank, alpha=alpha)
    assert codes(text, "axolotl", "L003") == expected


def test_l003_message_gives_the_scale() -> None:
    text = PLAIN.format(model=LLAMA8, rank=64, alpha=256, lr="2e-4")
    assert only(text, "plain", "L003").message == (
        "LoRA alpha 256 is more than 4x away from the table's 32; with rank 64 the update"
        " scale alpha/rank is 4, the table's alpha gives 0.5, so the effective learning rate"
        " is 8x the table's (LoRA Configuration / Rank by Model Size (SFT))"
    )


def test_l003_rl_message_names_the_row() -> None:
    text = PLAIN_GRPO.format(model=LLAMA8, rank=8, alpha=128, lr="1e-5")
    finding = only(text, "plain", "L003")
    assert finding.message.startswith("LoRA alpha 128 is more than 4x away from the table's 16;")
    assert finding.source == "LoRA Configuration / Rank by Model Size (RL): 7-8B"
