"""L006: adapter target names the model does not have."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples

AXOLOTL = """\
base_model: {model}
adapter: lora
lora_r: 16
lora_alpha: 32
lora_target_modules:
{targets}
micro_batch_size: 4
sequence_len: 2048
num_epochs: 1
learning_rate: 2.0e-4
"""

LLAMAFACTORY = """\
model_name_or_path: {model}
stage: sft
finetuning_type: lora
lora_target: {targets}
cutoff_len: 2048
learning_rate: 1.0e-4
"""

PLAIN = """\
base_model: {model}
lora_rank: 32
lora_alpha: 32
learning_rate: 2.0e-4
target_modules: {targets}
"""

TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
  lora_attn_modules: {targets}
  apply_lora_to_mlp: True
  lora_rank: 8
batch_size: 4
epochs: 1
"""

VERL = """\
actor_rollout_ref:
  model:
    path: {model}
    lora_rank: 32
    target_modules: {targets}
  actor:
    optim:
      lr: 1.0e-5
algorithm:
  adv_estimator: grpo
"""

QWEN25 = "Qwen/Qwen2.5-7B-Instruct"
QWEN1 = "Qwen/Qwen-7B"
LLAMA8 = "meta-llama/Llama-3.1-8B-Instruct"
PHI3 = "microsoft/Phi-3-mini-4k-instruct"
PYTHIA = "EleutherAI/pythia-6.9b"
QWEN_LIST = "  - c_attn\n  - c_proj\n  - w1\n  - w2"
LLAMA_LIST = (
    "  - q_proj\n  - k_proj\n  - v_proj\n  - o_proj\n  - gate_proj\n  - up_proj\n  - down_proj"
)


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        # the reference's "Qwen" list on Qwen2.5: one finding per name
        pytest.param(
            AXOLOTL.format(model=QWEN25, targets=QWEN_LIST),
            "axolotl",
            [("L006", 6, 5), ("L006", 7, 5), ("L006", 8, 5), ("L006", 9, 5)],
            id="axolotl-qwen25-qwen-list",
        ),
        pytest.param(
            AXOLOTL.format(model=QWEN25, targets=LLAMA_LIST),
            "axolotl",
            [],
            id="axolotl-qwen25-llama-list_noop",
        ),
        pytest.param(
            AXOLOTL.format(model=QWEN1, targets=QWEN_LIST),
            "axolotl",
            [],
            id="axolotl-qwen1-qwen-list_noop",
        ),
        # Llama names on first-generation Qwen and on fused Phi-3
        pytest.param(
            AXOLOTL.format(model=QWEN1, targets="  - q_proj\n  - c_attn"),
            "axolotl",
            [("L006", 6, 5)],
            id="axolotl-qwen1",
        ),
        pytest.param(
            AXOLOTL.format(model=PHI3, targets="  - qkv_proj\n  - o_proj\n  - gate_proj"),
            "axolotl",
            [("L006", 8, 5)],
            id="axolotl-phi3",
        ),
        pytest.param(  # GPT-NeoX's head is lm_head from transformers 5.14.0, embed_out before
            AXOLOTL.format(model=PYTHIA, targets="  - query_key_value\n  - lm_head"),
            "axolotl",
            [],
            id="axolotl-pythia_noop",
        ),
        pytest.param(
            AXOLOTL.format(model=PYTHIA, targets="  - query_key_value\n  - embed_out"),
            "axolotl",
            [],
            id="axolotl-pythia-2_noop",
        ),
        # multimodal wrappers have vision-tower Linears of their own: not judged
        pytest.param(
            AXOLOTL.format(model="google/gemma-3-12b-pt", targets="  - q_proj\n  - fc1"),
            "axolotl",
            [],
            id="axolotl-google-gemma-3-12b-pt_noop",
        ),
        pytest.param(
            AXOLOTL.format(model="google/gemma-3-1b-pt", targets="  - q_proj\n  - fc1"),
            "axolotl",
            [("L006", 7, 5)],
            id="axolotl-google-gemma-3-1b-pt",
        ),
        # regex-like and dotted names, unknown models: not judged
        pytest.param(
            AXOLOTL.format(model=LLAMA8, targets="  - self_attn.q_proj\n  - v_proj"),
            "axolotl",
            [],
            id="axolotl-llama8_noop",
        ),
        pytest.param(
            AXOLOTL.format(model="my-org/secret-7b", targets=QWEN_LIST),
            "axolotl",
            [],
            id="axolotl-my-org-secret-7b-qwen-list_noop",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=QWEN25, targets="q_proj,c_attn,v_proj"),
            "llamafactory",
            [("L006", 4, 14)],
            id="llamafactory-qwen25-q-proj-c-attn-v-proj",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=QWEN25, targets="all"),
            "llamafactory",
            [],
            id="llamafactory-qwen25-all_noop",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=LLAMA8, targets="all-linear"),
            "llamafactory",
            [("L006", 4, 14)],
            id="llamafactory-llama8-all-linear",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=LLAMA8, targets="q_proj,v_proj"),
            "llamafactory",
            [],
            id="llamafactory-llama8-q-proj-v-proj_noop",
        ),
        # plain: mlp/attn/lm_head are resolved through the model table
        pytest.param(
            PLAIN.format(model=LLAMA8, targets="[mlp, attn, lm_head]"),
            "plain",
            [],
            id="plain-llama8-mlp-attn-lm-head_noop",
        ),
        pytest.param(
            PLAIN.format(model=LLAMA8, targets="[mlp, attn, c_attn]"),
            "plain",
            [("L006", 5, 29)],
            id="plain-llama8-mlp-attn-c-attn",
        ),
        # torchtune: its own projection names, whatever the model
        pytest.param(
            TORCHTUNE.format(targets="[q_proj, v_proj, output_proj]"),
            "torchtune",
            [],
            id="torchtune_noop",
        ),
        pytest.param(
            TORCHTUNE.format(targets="[q_proj, v_proj, o_proj]"),
            "torchtune",
            [("L006", 3, 39)],
            id="torchtune-q-proj-v-proj-o-proj",
        ),
        pytest.param(
            VERL.format(model=QWEN25, targets="[q_proj, w1]"),
            "verl",
            [("L006", 5, 30)],
            id="verl-qwen25-q-proj-w1",
        ),
        pytest.param(
            VERL.format(model=QWEN25, targets="all-linear"),
            "verl",
            [],
            id="verl-qwen25-all-linear_noop",
        ),
    ],
)
def test_l006(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "L006") == expected


def test_l006_message_names_effect_and_family() -> None:
    text = AXOLOTL.format(model=QWEN25, targets=QWEN_LIST)
    first = next(f for f in run(text, "axolotl") if f.code == "L006")
    assert first.severity is Severity.ERROR
    assert first.message == (
        "target module 'c_attn' does not exist in Qwen/Qwen2.5-7B-Instruct: no listed name"
        " matches, so PEFT stops with 'Target modules {c_attn, c_proj, w1, w2} not found in"
        " the base model'. Its modules: attention q_proj, k_proj, v_proj, o_proj; MLP"
        " gate_proj, up_proj, down_proj; output layer lm_head; the quick reference's 'Qwen'"
        " list (c_attn, c_proj, w1, w2) is for first-generation Qwen only (Target Modules;"
        " peft 0.21.2 src/peft/tuners/tuners_utils.py:2370-2376)"
    )


def test_l006_partial_match_is_silently_ignored() -> None:
    text = LLAMAFACTORY.format(model=QWEN25, targets="q_proj,c_attn,v_proj")
    (finding,) = [f for f in run(text, "llamafactory") if f.code == "L006"]
    assert "PEFT ignores it silently" in finding.message


def test_l006_block_name_and_shorthand() -> None:
    text = AXOLOTL.format(model=LLAMA8, targets="  - q_proj\n  - mlp")
    (finding,) = [f for f in run(text, "axolotl") if f.code == "L006"]
    assert "is a block of meta-llama/Llama-3.1-8B, not a Linear layer" in finding.message
    assert "quick reference's shorthands" in finding.message


def test_l006_dead_name_beside_all_linear_is_info() -> None:
    text = AXOLOTL.format(model=LLAMA8, targets="  - c_attn").replace(
        "lora_alpha: 32\n", "lora_alpha: 32\nlora_target_linear: true\n"
    )
    (finding,) = [f for f in run(text, "axolotl") if f.code == "L006"]
    assert finding.severity is Severity.INFO
    assert "every Linear layer is adapted anyway" in finding.message


def test_l006_torchtune_message() -> None:
    text = TORCHTUNE.format(targets="[q_proj, v_proj, o_proj]")
    (finding,) = [f for f in run(text, "torchtune") if f.code == "L006"]
    assert finding.message == (
        "'o_proj' is not a torchtune attention projection (q_proj, k_proj, v_proj,"
        " output_proj); torchtune's LoRA builders skip it silently (torchtune calls the"
        " output projection output_proj)"
        " (torchtune 0.6.1 torchtune/models/llama3/_component_builders.py:363-411)"
    )
