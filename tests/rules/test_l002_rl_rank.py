from __future__ import annotations

import pytest

from tests.conftest import run, triples

PLAIN_DPO = """\
base_model: {model}
lora_rank: {rank}
lora_alpha: 16
beta: 0.1
learning_rate: 1.0e-5
batch_size: 8
num_steps: 3000
"""

AXOLOTL_GRPO = """\
base_model: {model}
rl: grpo
trl:
  num_generations: 8
  temperature: 0.7
adapter: lora
lora_r: {rank}
lora_alpha: 16
lora_target_linear: true
micro_batch_size: 8
gradient_accumulation_steps: 2
sequence_len: 2048
num_epochs: 1
learning_rate: 1.0e-5
"""

LLAMA8 = "meta-llama/Llama-3.1-8B-Instruct"
LLAMA70 = "meta-llama/Llama-3.3-70B-Instruct"
QWEN3B = "Qwen/Qwen2.5-3B-Instruct"


@pytest.mark.parametrize(
    ("template", "dialect", "model", "rank", "expected"),
    [
        pytest.param(
            PLAIN_DPO, "plain", LLAMA8, 32, [("L002", 2, 12)], id="plain-dpo-llama8-rank=32"
        ),
        pytest.param(PLAIN_DPO, "plain", LLAMA8, 16, [], id="plain-dpo-llama8-rank=16_noop"),
        pytest.param(PLAIN_DPO, "plain", LLAMA70, 64, [], id="plain-dpo-llama70-rank=64_noop"),
        pytest.param(
            PLAIN_DPO, "plain", LLAMA70, 128, [("L002", 2, 12)], id="plain-dpo-llama70-rank=128"
        ),
        pytest.param(PLAIN_DPO, "plain", QWEN3B, 16, [("L002", 2, 12)], id="no-rl-row-sft-level"),
        pytest.param(PLAIN_DPO, "plain", QWEN3B, 8, [], id="plain-dpo-qwen3b-rank=8_noop"),
        pytest.param(
            PLAIN_DPO, "plain", "my-org/unknown-7b", 64, [], id="unknown-model-skipped_noop"
        ),
        pytest.param(
            AXOLOTL_GRPO, "axolotl", LLAMA8, 64, [("L002", 7, 9)], id="axolotl-grpo-llama8-rank=64"
        ),
        pytest.param(AXOLOTL_GRPO, "axolotl", LLAMA8, 8, [], id="axolotl-grpo-llama8-rank=8_noop"),
    ],
)
def test_l002(
    template: str, dialect: str, model: str, rank: int, expected: list[tuple[str, int, int]]
) -> None:
    text = template.format(model=model, rank=rank)
    assert triples(run(text, dialect), "L002") == expected


def test_l002_message() -> None:
    text = PLAIN_DPO.format(model=LLAMA8, rank=32)
    (finding,) = [f for f in run(text, "plain") if f.code == "L002"]
    assert finding.message == (
        "LoRA rank 32 is above the RL range 4..16 for 7-8B models (DPO run; 32..64 is the SFT"
        " range); the RL table's lower rank saves memory; a higher one costs memory, not"
        " correctness (LoRA Configuration / Rank by Model Size (RL): 7-8B)"
    )
    assert finding.severity.label == "info"  # memory, not correctness
