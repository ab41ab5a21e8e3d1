"""R002 (LoRA at full-FT level) and R003 (full FT at LoRA level)."""

from __future__ import annotations

import pytest

from tests.conftest import run, triples

PLAIN = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 32
lora_alpha: 32
learning_rate: {lr}
batch_size: 16
num_steps: 5000
"""

AXOLOTL_LORA = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: 32
lora_alpha: 32
lora_target_linear: true
micro_batch_size: 4
gradient_accumulation_steps: 4
sequence_len: 2048
num_epochs: 1
learning_rate: {lr}
"""

AXOLOTL_FULL_DPO = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
rl: dpo
micro_batch_size: 2
gradient_accumulation_steps: 8
sequence_len: 2048
num_epochs: 1
learning_rate: {lr}
"""

LLAMAFACTORY_FULL = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: sft
do_train: true
finetuning_type: full
dataset: alpaca_en_demo
template: qwen
cutoff_len: 2048
per_device_train_batch_size: 2
gradient_accumulation_steps: 8
learning_rate: {lr}
"""


@pytest.mark.parametrize(
    ("template", "dialect", "lr", "expected"),
    [
        pytest.param(PLAIN, "plain", "2.0e-5", [("R002", 4, 16)], id="plain-lr=2.0e-5"),
        pytest.param(PLAIN, "plain", "5e-5", [("R002", 4, 16)], id="plain-lr=5e-5"),
        pytest.param(PLAIN, "plain", "2.0e-4", [], id="plain-lr=2.0e-4_noop"),
        pytest.param(
            PLAIN, "plain", "9e-5", [], id="below-the-lora-range-but-above-plain-lr=9e-5_noop"
        ),  # below the LoRA range but above full FT: R001's
        pytest.param(
            AXOLOTL_LORA, "axolotl", "1e-5", [("R002", 10, 16)], id="axolotl-lora-lr=1e-5"
        ),
        pytest.param(AXOLOTL_LORA, "axolotl", "0.0002", [], id="axolotl-lora-lr=0.0002_noop"),
        pytest.param(
            AXOLOTL_FULL_DPO, "axolotl", "5.0e-7", [], id="axolotl-full-dpo-lr=5.0e-7_noop"
        ),
    ],
)
def test_r002(template: str, dialect: str, lr: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(template.format(lr=lr), dialect), "R002") == expected


@pytest.mark.parametrize(
    ("template", "dialect", "lr", "expected"),
    [
        pytest.param(
            LLAMAFACTORY_FULL,
            "llamafactory",
            "2.0e-4",
            [("R003", 10, 16)],
            id="llamafactory-full-lr=2.0e-4",
        ),
        pytest.param(
            LLAMAFACTORY_FULL,
            "llamafactory",
            "1.0e-4",
            [("R003", 10, 16)],
            id="llamafactory-full-lr=1.0e-4",
        ),
        pytest.param(
            LLAMAFACTORY_FULL, "llamafactory", "2.0e-5", [], id="llamafactory-full-lr=2.0e-5_noop"
        ),
        pytest.param(
            LLAMAFACTORY_FULL, "llamafactory", "7.0e-5", [], id="between-the-ranges-r001-s_noop"
        ),
        pytest.param(
            AXOLOTL_FULL_DPO, "axolotl", "5.0e-6", [], id="top-of-full-bottom-of-lora_noop"
        ),
        pytest.param(
            AXOLOTL_FULL_DPO,
            "axolotl",
            "1.0e-5",
            [("R003", 7, 16)],
            id="axolotl-full-dpo-lr=1.0e-5",
        ),
        pytest.param(PLAIN, "plain", "2.0e-4", [], id="lora-run-never-r003_noop"),
    ],
)
def test_r003(template: str, dialect: str, lr: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(template.format(lr=lr), dialect), "R003") == expected


def test_r002_message_names_row_and_ranges() -> None:
    (finding,) = [f for f in run(PLAIN.format(lr="2e-05"), "plain") if f.code == "R002"]
    assert finding.message == (
        "learning rate 2e-5 is 5x below the SFT LoRA range 1e-4..5e-4, at the full fine-tune"
        " level (1e-5..5e-5): the adapter barely moves (assumed: SFT, lora)"
        " (Learning Rates / Base Learning Rates: SFT)"
    )
    assert finding.severity.label == "warning"
