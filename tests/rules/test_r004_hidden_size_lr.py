"""R004: LoRA learning rate far from the hidden-size rule of thumb."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples

AXOLOTL = """\
base_model: {model}
adapter: {adapter}
lora_r: 16
lora_alpha: 32
lora_target_linear: true
micro_batch_size: 4
sequence_len: 2048
num_epochs: 1
learning_rate: {lr}
"""

LLAMAFACTORY = """\
model_name_or_path: {model}
stage: {stage}
finetuning_type: lora
lora_target: all
cutoff_len: 2048
learning_rate: {lr}
do_train: true
"""

TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_2.lora_llama3_2_1b
  lora_attn_modules: [q_proj, k_proj, v_proj, output_proj]
  apply_lora_to_mlp: True
optimizer:
  _component_: torch.optim.AdamW
  lr: {lr}
batch_size: 4
epochs: 1
"""

QWEN3_4B = "Qwen/Qwen3-4B"  # hidden 2560: 7.81e-4
QWEN3_06B = "Qwen/Qwen3-0.6B"  # hidden 1024: 1.95e-3, but under 1B: not judged
QWEN3_3B = "Qwen/Qwen2.5-3B-Instruct"  # hidden 2048: 9.77e-4
LLAMA8 = "meta-llama/Llama-3.1-8B-Instruct"  # hidden 4096: 4.88e-4


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(
            AXOLOTL.format(model=QWEN3_4B, adapter="lora", lr="1.0e-4"),
            "axolotl",
            [("R004", 9, 16)],
            id="axolotl-qwen3-4b-lora-1.0e-4",
        ),
        pytest.param(
            AXOLOTL.format(model=QWEN3_4B, adapter="qlora", lr="1.0e-4"),
            "axolotl",
            [("R004", 9, 16)],
            id="axolotl-qwen3-4b-qlora-1.0e-4",
        ),
        pytest.param(
            AXOLOTL.format(model=QWEN3_4B, adapter="lora", lr="5.0e-4"),
            "axolotl",
            [],
            id="axolotl-qwen3-4b-lora-5.0e-4_noop",
        ),
        # the whole SFT LoRA range is within 5x of the rule at hidden 4096
        pytest.param(
            AXOLOTL.format(model=LLAMA8, adapter="lora", lr="1.0e-4"),
            "axolotl",
            [],
            id="axolotl-llama8-lora-1.0e-4_noop",
        ),
        # outside the Base Learning Rates range: R001/R002 report it
        pytest.param(
            AXOLOTL.format(model=QWEN3_4B, adapter="lora", lr="2.0e-5"),
            "axolotl",
            [],
            id="axolotl-qwen3-4b-lora-2.0e-5_noop",
        ),
        pytest.param(
            AXOLOTL.format(model="my-org/secret-7b", adapter="lora", lr="1.0e-4"),
            "axolotl",
            [],
            id="axolotl-my-org-secret-7b-lora-1.0e-4_noop",
        ),
        pytest.param(
            AXOLOTL.format(model=QWEN3_4B, adapter="lora", lr="1.0e-4").replace(
                "adapter: lora\n", "adapter: lora\nrl: dpo\n"
            ),
            "axolotl",
            [],
            id="axolotl-qwen3-4b-lora-1.0e-4-adapter-lora_noop",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=QWEN3_3B, stage="sft", lr="1.0e-4"),
            "llamafactory",
            [("R004", 6, 16)],
            id="llamafactory-qwen3-3b-sft-1.0e-4",
        ),
        # under 1B parameters: below the reference's rows, not judged
        pytest.param(
            LLAMAFACTORY.format(model=QWEN3_06B, stage="sft", lr="1.0e-4"),
            "llamafactory",
            [],
            id="llamafactory-qwen3-06b-sft-1.0e-4_noop",
        ),
        # no do_train: true: LLaMA-Factory never calls trainer.train()
        pytest.param(
            LLAMAFACTORY.format(model=QWEN3_3B, stage="sft", lr="1.0e-4").replace(
                "do_train: true\n", ""
            ),
            "llamafactory",
            [],
            id="llamafactory-qwen3-3b-sft-1.0e-4-do-train-true-none_noop",
        ),
        # continued pretraining has no range row: both directions are judged
        pytest.param(
            LLAMAFACTORY.format(model=LLAMA8, stage="pt", lr="5.0e-3"),
            "llamafactory",
            [("R004", 6, 16)],
            id="llamafactory-llama8-pt-5.0e-3",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=QWEN3_4B, stage="pt", lr="2.0e-3"),
            "llamafactory",
            [],
            id="llamafactory-qwen3-4b-pt-2.0e-3_noop",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=QWEN3_4B, stage="dpo", lr="5.0e-6"),
            "llamafactory",
            [],
            id="llamafactory-qwen3-4b-dpo-5.0e-6_noop",
        ),
        pytest.param(
            TORCHTUNE.format(lr="1e-4"), "torchtune", [("R004", 7, 7)], id="torchtune-1e-4"
        ),
        # MoE (hidden 2048 for 30B): the rule would ask ~1e-3; not judged
        pytest.param(
            AXOLOTL.format(model="Qwen/Qwen3-30B-A3B", adapter="lora", lr="1.0e-4"),
            "axolotl",
            [],
            id="axolotl-qwen-qwen3-30b-a3b-lora-1.0e-4_noop",
        ),
        pytest.param(TORCHTUNE.format(lr="3e-4"), "torchtune", [], id="torchtune-3e-4_noop"),
    ],
)
def test_r004(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "R004") == expected


def test_r004_full_finetune_is_not_checked() -> None:
    text = AXOLOTL.format(model=QWEN3_4B, adapter="lora", lr="1.0e-4")
    text = text.replace("adapter: lora\n", "").replace("lora_target_linear: true\n", "")
    assert triples(run(text, "axolotl"), "R004") == []


def test_r004_message_says_which_way_and_how_far() -> None:
    text = AXOLOTL.format(model=QWEN3_4B, adapter="lora", lr="1.0e-4")
    (finding,) = [f for f in run(text, "axolotl") if f.code == "R004"]
    assert finding.severity is Severity.INFO
    assert finding.message == (
        "learning rate 1e-4 is 7.8x below the hidden-size rule's 7.81e-4 for hidden 2560"
        " (Qwen/Qwen3-4B); lr = 10 * (2000 / hidden_size) * 1e-4 (assumed: SFT, lora)"
        " (Learning Rates / By Model Size (SFT + LoRA))"
    )
    text = LLAMAFACTORY.format(model=LLAMA8, stage="pt", lr="5.0e-3")
    (above,) = [f for f in run(text, "llamafactory") if f.code == "R004"]
    assert "10.2x above the hidden-size rule's 4.88e-4 for hidden 4096" in above.message
