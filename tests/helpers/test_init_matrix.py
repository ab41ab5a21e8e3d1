"""``cfgguard init``: every dialect x method x a dozen models is clean under ``check``.

Clean means no finding at all (not only no warning): the starting config follows every
table it is built from. Each generated key is also one the dialect's key list knows, so
the framework's own loader would accept it. Combinations a framework does not support
exit 2 with a reason (see ``init/command.py``).
"""

from __future__ import annotations

import pytest

from cfgguard.check import Options, check_source
from cfgguard.derived.context import Settings
from cfgguard.findings import Finding
from cfgguard.helpers.keycheck import unknown_keys
from cfgguard.init.command import generate
from cfgguard.init.plan import InitError
from cfgguard.source import decode

DIALECTS = ("axolotl", "llamafactory", "trl", "torchtune", "verl", "plain")
METHODS = ("sft", "dpo", "grpo")
# A dozen models across sizes, families, hidden sizes, tied embeddings and context windows;
# all have torchtune builders, so every dialect is exercised on every one.
MODELS = (
    "meta-llama/Llama-3.1-8B-Instruct",  # 7-8B, 128K native
    "meta-llama/Llama-3.2-1B",  # 1-3B, tied embeddings
    "meta-llama/Llama-2-13b-hf",  # 13B, 4K window
    "meta-llama/Llama-3.1-70B",  # 70B
    "Qwen/Qwen2.5-0.5B-Instruct",  # tied, hidden 896 (LR rule clamped)
    "Qwen/Qwen2.5-7B-Instruct",  # hidden 3584
    "Qwen/Qwen2.5-32B-Instruct",  # 34B row
    "google/gemma-2-9b",  # tied, 8K window
    "mistralai/Mistral-7B-v0.1",
    "microsoft/Phi-3-mini-4k-instruct",  # fused qkv_proj / gate_up_proj, 4K window
    "microsoft/phi-4",  # 13B, fused
)
# Models torchtune has no builder for: checked in the other dialects.
MORE_MODELS = (
    "mistralai/Mixtral-8x7B-v0.1",  # MoE
    "Qwen/Qwen-7B",  # first-generation Qwen names (c_attn, w1, w2)
    "EleutherAI/pythia-6.9b",  # head named embed_out
    "THUDM/glm-4-9b-chat",  # head named output_layer
    "Qwen/Qwen3-30B-A3B",  # MoE, 8 active experts
    "Qwen/Qwen3-8B",  # no builder in a released torchtune (0.6.1 has none for Qwen3)
)
# what the frameworks cannot run, stated here independently of the dialects' declarations
UNSUPPORTED = frozenset({("llamafactory", "grpo"), ("verl", "dpo")})  # no such trainer
NO_QLORA = frozenset({"verl", "plain"})  # no 4-bit key
CASES = [
    (d, m, model)
    for d in DIALECTS
    for m in METHODS
    for model in MODELS
    if (d, m) not in UNSUPPORTED
]


def _check(text: str, dialect: str, gpu_memory: int | None) -> list[Finding]:
    options = Options(dialect=dialect, settings=Settings(gpu_memory_gb=gpu_memory))
    return check_source(decode(text.encode(), "init.yaml"), options)


def _describe(findings: list[Finding]) -> list[str]:
    return [f"{f.line}:{f.column} {f.code} [{f.severity.label}] {f.message}" for f in findings]


@pytest.mark.parametrize(("dialect", "method", "model"), CASES)
def test_init_is_clean(dialect: str, method: str, model: str) -> None:
    text = generate(dialect, method, model)
    assert _describe(_check(text, dialect, None)) == []
    assert _describe(_check(text, dialect, 80)) == []  # B002 knows the GPU memory
    assert unknown_keys(text, dialect) == []


@pytest.mark.parametrize("dialect", DIALECTS)
def test_init_is_detected_as_its_dialect(dialect: str) -> None:
    """Without --dialect, detection finds the dialect the file was written in."""
    text = generate(dialect, "sft", MODELS[0])
    found = check_source(decode(text.encode(), "init.yaml"), Options())
    assert _describe(found) == []


@pytest.mark.parametrize("gpu_memory", [16, 24, 40, 80])
@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("method", METHODS)
def test_init_every_gpu_row(dialect: str, method: str, gpu_memory: int) -> None:
    if (dialect, method) in UNSUPPORTED:
        pytest.skip("unsupported pair (tested below)")
    text = generate(dialect, method, MODELS[0], gpu_memory=gpu_memory)
    assert _describe(_check(text, dialect, gpu_memory)) == []


def _refused(dialect: str, method: str, adapter: str) -> bool:
    if (dialect, method) in UNSUPPORTED:
        return True
    if adapter == "qlora" and dialect in NO_QLORA:
        return True
    return (dialect, method) == ("torchtune", "grpo") and adapter != "full"


@pytest.mark.parametrize("adapter", ["lora", "qlora", "full"])
@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("method", METHODS)
def test_init_every_adapter(dialect: str, method: str, adapter: str) -> None:
    if _refused(dialect, method, adapter):
        with pytest.raises(InitError):
            generate(dialect, method, MODELS[0], adapter)
        return
    text = generate(dialect, method, MODELS[0], adapter)
    assert _describe(_check(text, dialect, 80)) == []
    assert unknown_keys(text, dialect) == []


@pytest.mark.parametrize("model", MORE_MODELS)
@pytest.mark.parametrize("dialect", ["axolotl", "llamafactory", "trl", "verl", "plain"])
def test_init_more_models(dialect: str, model: str) -> None:
    for method in METHODS:
        if (dialect, method) in UNSUPPORTED:
            continue
        text = generate(dialect, method, model)
        assert _describe(_check(text, dialect, 80)) == [], method


def test_no_learning_rate_info_for_a_model_under_1b() -> None:
    """GPT-2 (124M, hidden 768): the hidden-size rule (2.6e-3) and the SFT LoRA range
    (1e-4..5e-4) disagree by more than R004's factor; a model under 1B parameters is below
    the reference's rows, so the learning-rate rules do not judge it (was one R004 info)."""
    text = generate("trl", "sft", "openai-community/gpt2")
    assert [f.code for f in _check(text, "trl", 80)] == []


@pytest.mark.parametrize(
    ("dialect", "method", "adapter", "words"),
    [
        ("llamafactory", "grpo", None, "LLaMA-Factory has no GRPO trainer"),
        ("verl", "dpo", None, "verl has no DPO trainer"),
        ("torchtune", "grpo", "lora", "torchtune has no LoRA GRPO recipe"),
        ("verl", "sft", "qlora", "no 4-bit"),
        ("plain", "sft", "qlora", "no quantization key"),
    ],
)
def test_unsupported_requests_are_refused(
    dialect: str, method: str, adapter: str | None, words: str
) -> None:
    with pytest.raises(InitError, match=words):
        generate(dialect, method, MODELS[0], adapter)


def test_torchtune_grpo_defaults_to_full() -> None:
    text = generate("torchtune", "grpo", MODELS[0])
    assert "dev/grpo_full_finetune_distributed" in text
    assert "torchtune.models.llama3_1.llama3_1_8b" in text


def test_torchtune_refuses_a_model_without_builder() -> None:
    with pytest.raises(InitError, match="no lora model builder"):
        generate("torchtune", "sft", "mistralai/Mixtral-8x7B-v0.1")


def test_unknown_model_is_refused() -> None:
    with pytest.raises(InitError, match="not in cfgguard's model table"):
        generate("axolotl", "sft", "my-org/secret-7b")
