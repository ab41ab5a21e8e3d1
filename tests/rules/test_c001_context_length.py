"""C001: sequence length beyond the model's (extended) context."""

from __future__ import annotations

import pytest

from cfgguard.findings import Finding, Severity
from tests.conftest import run, triples

AXOLOTL = """\
base_model: {model}
adapter: lora
lora_r: 16
micro_batch_size: 1
num_epochs: 1
sequence_len: {seq}
{extra}
"""

ROPE_AXOLOTL = "model_config:\n  rope_scaling:\n    rope_type: linear\n    factor: 4.0"

LLAMAFACTORY = """\
model_name_or_path: {model}
stage: sft
finetuning_type: lora
{extra}
"""

TRL = """\
model_name_or_path: {model}
max_length: {seq}
{extra}
"""

TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3.lora_llama3_8b
  lora_attn_modules: [q_proj, k_proj, v_proj, output_proj]
tokenizer:
  _component_: torchtune.models.llama3.llama3_tokenizer
  max_seq_len: {seq}
batch_size: 4
epochs: 1
"""

VERL = """\
actor_rollout_ref:
  model:
    path: {model}
{extra}
data:
  max_prompt_length: {prompt}
  max_response_length: 8192
algorithm:
  adv_estimator: grpo
"""

LLAMA3 = "meta-llama/Meta-Llama-3-8B"  # 8192 native, 131072 with RoPE scaling
LLAMA31 = "meta-llama/Llama-3.1-8B"  # 131072 native
QWEN25_7B = "Qwen/Qwen2.5-7B-Instruct"  # 32768, 131072 with YaRN
QWEN25_15B = "Qwen/Qwen2.5-1.5B-Instruct"  # 32768 only
QWEN3_8B = "Qwen/Qwen3-8B"  # 40960, 131072 via YaRN
GPT2 = "openai-community/gpt2"  # learned positions, 1024


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(
            AXOLOTL.format(model=LLAMA3, seq=16384, extra=""),
            "axolotl",
            [("C001", 6, 15)],
            id="axolotl-llama3-16384-none",
        ),
        pytest.param(
            AXOLOTL.format(model=LLAMA3, seq=8192, extra=""),
            "axolotl",
            [],
            id="axolotl-llama3-8192-none_noop",
        ),
        pytest.param(
            AXOLOTL.format(model=LLAMA31, seq=16384, extra=""),
            "axolotl",
            [],
            id="axolotl-llama31-16384-none_noop",
        ),
        pytest.param(
            AXOLOTL.format(model=LLAMA3, seq=16384, extra=ROPE_AXOLOTL),
            "axolotl",
            [],
            id="axolotl-llama3-16384-rope-axolotl_noop",
        ),
        pytest.param(
            AXOLOTL.format(model=LLAMA3, seq=200000, extra=ROPE_AXOLOTL),
            "axolotl",
            [("C001", 6, 15)],
            id="axolotl-llama3-200000-rope-axolotl",
        ),
        pytest.param(
            AXOLOTL.format(model="my-org/secret-7b", seq=500000, extra=""),
            "axolotl",
            [],
            id="axolotl-my-org-secret-7b-500000-none_noop",
        ),
        # continued pretraining on raw text: a warning (checked below), same place
        pytest.param(
            AXOLOTL.format(
                model=LLAMA31, seq=500000, extra="datasets:\n  - path: x\n    type: completion"
            ),
            "axolotl",
            [("C001", 6, 15)],
            id="axolotl-llama31-500000",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=QWEN25_7B, extra="cutoff_len: 65536"),
            "llamafactory",
            [("C001", 4, 13)],
            id="llamafactory-qwen25-7b-cutoff-len-65536",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=QWEN25_7B, extra="cutoff_len: 65536\nrope_scaling: yarn"),
            "llamafactory",
            [],
            id="llamafactory-qwen25-7b_noop",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=QWEN25_15B, extra="cutoff_len: 65536\nrope_scaling: yarn"),
            "llamafactory",
            [("C001", 4, 13)],
            id="llamafactory-qwen25-15b",
        ),
        # the framework default (cutoff_len 2048) on GPT-2's learned 1024 positions
        pytest.param(
            LLAMAFACTORY.format(model=GPT2, extra=""),
            "llamafactory",
            [("C001", 1, 1)],
            id="llamafactory-gpt2-none",
        ),
        pytest.param(
            LLAMAFACTORY.format(model=GPT2, extra="cutoff_len: 1024"),
            "llamafactory",
            [],
            id="llamafactory-gpt2-cutoff-len-1024_noop",
        ),
        pytest.param(
            TRL.format(model=QWEN3_8B, seq=65536, extra=""),
            "trl",
            [("C001", 2, 13)],
            id="trl-qwen3-8b-65536-none",
        ),
        pytest.param(
            TRL.format(
                model=QWEN3_8B,
                seq=65536,
                extra="model_init_kwargs:\n  rope_scaling: {rope_type: yarn, factor: 4.0}",
            ),
            "trl",
            [],
            id="trl-qwen3-8b-65536_noop",
        ),
        pytest.param(
            TORCHTUNE.format(seq=32768), "torchtune", [("C001", 6, 16)], id="torchtune-32768"
        ),
        pytest.param(TORCHTUNE.format(seq=8192), "torchtune", [], id="torchtune-8192_noop"),
        pytest.param(
            VERL.format(model=LLAMA3, prompt=2048, extra=""),
            "verl",
            [("C001", 6, 22)],
            id="verl-llama3-2048-none",
        ),
        pytest.param(
            VERL.format(
                model=LLAMA3,
                prompt=2048,
                extra="    override_config:\n      rope_scaling: {type: linear, factor: 2.0}",
            ),
            "verl",
            [],
            id="verl-llama3-2048_noop",
        ),
        pytest.param(
            VERL.format(model=LLAMA31, prompt=2048, extra=""),
            "verl",
            [],
            id="verl-llama31-2048-none_noop",
        ),
    ],
)
def test_c001(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "C001") == expected


def _one(text: str, dialect: str) -> Finding:
    (finding,) = [f for f in run(text, dialect) if f.code == "C001"]
    return finding


def test_c001_message_without_scaling() -> None:
    finding = _one(AXOLOTL.format(model=LLAMA3, seq=16384, extra=""), "axolotl")
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "sequence length 16384 is beyond meta-llama/Meta-Llama-3-8B's context of 8192 (8K)"
        " and no RoPE scaling is set: positions past 8192 were never trained; with RoPE"
        " scaling it reaches 131072 (128K) (Context Lengths / Maximum Sequence Length: Llama 3;"
        " model table: max_position_embeddings)"
    )


def test_c001_beyond_extended_is_a_warning() -> None:
    text = LLAMAFACTORY.format(model=QWEN25_15B, extra="cutoff_len: 65536\nrope_scaling: yarn")
    finding = _one(text, "llamafactory")
    assert finding.severity is Severity.WARNING
    assert "extended context of 32768 (32K) even with RoPE scaling (yarn)" in finding.message
    assert "128K for 7B and larger only" in finding.message


def test_c001_pretraining_is_a_warning() -> None:
    extra = "datasets:\n  - path: x\n    type: completion"
    finding = _one(AXOLOTL.format(model=LLAMA31, seq=500000, extra=extra), "axolotl")
    assert finding.severity is Severity.WARNING


def test_c001_learned_positions_and_default() -> None:
    finding = _one(LLAMAFACTORY.format(model=GPT2, extra=""), "llamafactory")
    assert finding.severity is Severity.ERROR
    assert "2048 (the framework default)" in finding.message
    assert "learned table of 1024" in finding.message
