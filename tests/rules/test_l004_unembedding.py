from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples

AXOLOTL = """\
base_model: {model}
adapter: lora
lora_r: 32
lora_alpha: 32
{targets}
micro_batch_size: 4
gradient_accumulation_steps: 4
sequence_len: 2048
num_epochs: 1
learning_rate: 2.0e-4
"""

TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
  lora_attn_modules: ['q_proj', 'k_proj', 'v_proj', 'output_proj']
  apply_lora_to_mlp: True
  apply_lora_to_output: {output}
  lora_rank: 32
  lora_alpha: 32
checkpointer:
  _component_: torchtune.training.FullModelHFCheckpointer
  checkpoint_dir: /tmp/Meta-Llama-3.1-8B-Instruct/
optimizer:
  _component_: torch.optim.AdamW
  lr: 2e-4
batch_size: 4
gradient_accumulation_steps: 4
epochs: 1
"""

LLAMA8 = "meta-llama/Llama-3.1-8B-Instruct"


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(
            AXOLOTL.format(model=LLAMA8, targets="lora_target_linear: true"),
            "axolotl",
            [("L004", 5, 21)],
            id="axolotl-llama8-lora-target-linear-true",
        ),
        pytest.param(
            AXOLOTL.format(model=LLAMA8, targets="lora_target_modules: [q_proj, v_proj]"),
            "axolotl",
            [("L004", 5, 22)],
            id="axolotl-llama8",
        ),
        pytest.param(
            AXOLOTL.format(model=LLAMA8, targets="lora_target_modules: [q_proj, v_proj, lm_head]"),
            "axolotl",
            [],
            id="axolotl-llama8_noop",
        ),
        pytest.param(
            AXOLOTL.format(
                model=LLAMA8, targets="lora_target_linear: true\nlora_modules_to_save: [lm_head]"
            ),
            "axolotl",
            [],
            id="axolotl-llama8-2_noop",
        ),
        pytest.param(
            TORCHTUNE.format(output="False"), "torchtune", [("L004", 5, 25)], id="torchtune-false"
        ),
        pytest.param(TORCHTUNE.format(output="True"), "torchtune", [], id="torchtune-true_noop"),
    ],
)
def test_l004(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "L004") == expected


def test_l004_tied_embeddings_is_info() -> None:
    text = AXOLOTL.format(model="meta-llama/Llama-3.2-1B", targets="lora_target_linear: true")
    (finding,) = [f for f in run(text, "axolotl") if f.code == "L004"]
    assert finding.severity is Severity.INFO
    assert "ties its input and output embeddings" in finding.message


def test_l004_full_finetune_noop() -> None:
    text = AXOLOTL.format(model=LLAMA8, targets="").replace("adapter: lora\n", "")
    assert triples(run(text, "axolotl"), "L004") == []


def test_l004_words_the_reference_recommendation() -> None:
    text = AXOLOTL.format(model=LLAMA8, targets="lora_target_linear: true")
    (finding,) = [f for f in run(text, "axolotl") if f.code == "L004"]
    assert "traces" not in finding.message
    assert finding.message.endswith(
        "the reference recommends LoRA on all layers including lm_head (its troubleshooting"
        " row for poor generation: add lm_head); PEFT's all-linear leaves it out on purpose"
    )
