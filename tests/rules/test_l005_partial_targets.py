"""L005: adapter targets that leave out attention or MLP projections."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples

AXOLOTL = """\
base_model: {model}
adapter: lora
lora_r: 16
lora_alpha: 32
lora_target_modules: {targets}
micro_batch_size: 4
sequence_len: 2048
num_epochs: 1
learning_rate: 2.0e-4
"""

TRL = """\
model_name_or_path: {model}
use_peft: true
lora_r: 16
lora_target_modules: {targets}
learning_rate: 2.0e-4
max_length: 2048
"""

TORCHTUNE = """\
model:
  _component_: torchtune.models.{builder}
  lora_attn_modules: {attn}
  apply_lora_to_mlp: {mlp}
  lora_rank: 8
batch_size: 4
epochs: 1
"""

LLAMA8 = "meta-llama/Llama-3.1-8B-Instruct"
QWEN3_32 = "Qwen/Qwen3-32B"
QWEN3_MOE = "Qwen/Qwen3-30B-A3B"
ALL7 = "[q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]"


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(
            AXOLOTL.format(model=LLAMA8, targets="[q_proj, v_proj]"),
            "axolotl",
            [("L005", 5, 22)],
            id="axolotl-llama8-q-proj-v-proj",
        ),
        pytest.param(
            AXOLOTL.format(model=LLAMA8, targets=ALL7), "axolotl", [], id="axolotl-llama8-all7_noop"
        ),
        pytest.param(
            AXOLOTL.format(model=LLAMA8, targets=ALL7 + "\nlora_target_linear: true"),
            "axolotl",
            [],
            id="axolotl-llama8-all7-2_noop",
        ),
        pytest.param(
            AXOLOTL.format(model=QWEN3_32, targets="[q_proj, k_proj, v_proj, o_proj, up_proj]"),
            "axolotl",
            [("L005", 5, 22)],
            id="axolotl-qwen3-32",
        ),
        # MoE: only attention is judged (experts need target_parameters)
        pytest.param(
            AXOLOTL.format(model=QWEN3_MOE, targets="[q_proj, k_proj, v_proj, o_proj]"),
            "axolotl",
            [],
            id="axolotl-qwen3-moe_noop",
        ),
        pytest.param(
            AXOLOTL.format(model=QWEN3_MOE, targets="[q_proj, v_proj]"),
            "axolotl",
            [("L005", 5, 22)],
            id="axolotl-qwen3-moe-q-proj-v-proj",
        ),
        # no projection of the model at all: L006's; unknown model: skipped
        pytest.param(
            AXOLOTL.format(model=LLAMA8, targets="[c_attn, c_proj]"),
            "axolotl",
            [],
            id="axolotl-llama8-c-attn-c-proj_noop",
        ),
        pytest.param(
            AXOLOTL.format(model="my-org/secret-7b", targets="[q_proj, v_proj]"),
            "axolotl",
            [],
            id="axolotl-my-org-secret-7b-q-proj-v-proj_noop",
        ),
        pytest.param(
            TRL.format(model=LLAMA8, targets="[q_proj, k_proj, v_proj, o_proj]"),
            "trl",
            [("L005", 4, 22)],
            id="trl-llama8",
        ),
        pytest.param(
            TRL.format(model=LLAMA8, targets="all-linear"),
            "trl",
            [],
            id="trl-llama8-all-linear_noop",
        ),
        pytest.param(TRL.format(model=LLAMA8, targets="'.*proj'"), "trl", [], id="regex_noop"),
        # torchtune: lora_attn_modules (output_proj is o_proj) + apply_lora_to_mlp
        pytest.param(
            TORCHTUNE.format(
                builder="llama3_1.lora_llama3_1_8b",
                attn="[q_proj, k_proj, v_proj, output_proj]",
                mlp="True",
            ),
            "torchtune",
            [],
            id="torchtune-llama3-1.lora-llama3-1-8b-true_noop",
        ),
        pytest.param(
            TORCHTUNE.format(
                builder="llama3_1.lora_llama3_1_8b",
                attn="[q_proj, v_proj, output_proj]",
                mlp="True",
            ),
            "torchtune",
            [("L005", 3, 22)],
            id="torchtune-llama3-1.lora-llama3-1-8b-true",
        ),
        pytest.param(
            TORCHTUNE.format(
                builder="llama3_1.lora_llama3_1_8b",
                attn="[q_proj, k_proj, v_proj, output_proj]",
                mlp="False",
            ),
            "torchtune",
            [("L005", 4, 22)],
            id="torchtune-llama3-1.lora-llama3-1-8b-false",
        ),
        # Phi-3: a partial q/k/v subset stays split in torchtune
        pytest.param(
            TORCHTUNE.format(
                builder="phi3.lora_phi3_mini",
                attn="[q_proj, k_proj, v_proj, output_proj]",
                mlp="True",
            ),
            "torchtune",
            [],
            id="torchtune-phi3.lora-phi3-mini-true_noop",
        ),
        pytest.param(
            TORCHTUNE.format(
                builder="phi3.lora_phi3_mini", attn="[q_proj, v_proj, output_proj]", mlp="True"
            ),
            "torchtune",
            [("L005", 3, 22)],
            id="torchtune-phi3.lora-phi3-mini-true",
        ),
    ],
)
def test_l005(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "L005") == expected


def test_l005_message_names_missing_projections() -> None:
    text = AXOLOTL.format(model=LLAMA8, targets="[q_proj, v_proj]")
    (finding,) = [f for f in run(text, "axolotl") if f.code == "L005"]
    assert finding.severity is Severity.INFO
    assert finding.message == (
        "adapter targets leave out attention k_proj, o_proj and every MLP projection"
        " (gate_proj, up_proj, down_proj) of meta-llama/Llama-3.1-8B; the reference applies"
        " LoRA to all layers, attention and MLP (LoRA Configuration / Target Modules: Always"
        " apply to ALL layers)"
    )


def test_l005_torchtune_spelling_and_switch() -> None:
    text = TORCHTUNE.format(
        builder="llama3_1.lora_llama3_1_8b", attn="[q_proj, v_proj]", mlp="False"
    )
    (finding,) = [f for f in run(text, "torchtune") if f.code == "L005"]
    assert "attention k_proj, output_proj and every MLP projection (apply_lora_to_mlp is off)" in (
        finding.message
    )


def test_l005_moe_message() -> None:
    text = AXOLOTL.format(model=QWEN3_MOE, targets="[q_proj, v_proj]")
    (finding,) = [f for f in run(text, "axolotl") if f.code == "L005"]
    assert "attention k_proj, o_proj of Qwen/Qwen3-30B-A3B" in finding.message
    assert "the MoE experts are not checked" in finding.message
