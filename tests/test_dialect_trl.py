"""The TRL dialect (and alignment-handbook recipes): detection, mapping, corpus.

What every dialect has (its fixtures detected, other dialects' files not claimed, the
canonical field table, fields left unset; the corpus of axolotl, LLaMA-Factory and TRL) is a
row of tests/test_dialects.py.
"""

from __future__ import annotations

import pytest

from cfgguard.canonical import Targets
from cfgguard.dialects import detect, trl
from tests.dialect_helpers import files_of, line, root_of

fixture, canonical, from_text = files_of("trl")


# -- detection --------------------------------------------------------------------


def test_two_training_arguments_keys_are_weakly_trl() -> None:
    assert trl.detect(fixture("training_args_only.yaml")) == 2.0


AMBIGUOUS_LF = """\
model_name_or_path: Qwen/Qwen2.5-7B
lora_rank: 16
lora_target: all
cutoff_len: 1024
per_device_train_batch_size: 2
gradient_accumulation_steps: 4
learning_rate: 1.0e-4
num_train_epochs: 3.0
lr_scheduler_type: cosine
"""
AMBIGUOUS_TRL = """\
model_name_or_path: Qwen/Qwen2.5-7B
use_peft: true
lora_r: 16
lora_alpha: 32
per_device_train_batch_size: 2
learning_rate: 1.0e-4
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(AMBIGUOUS_LF, "llamafactory", id="ambiguous-lf"),
        pytest.param(AMBIGUOUS_TRL, "trl", id="ambiguous-trl"),
    ],
)
def test_model_name_or_path_ambiguity(text: str, expected: str) -> None:
    detection = detect(root_of(text))
    assert detection is not None
    assert detection.dialect.name == expected


# -- canonical mapping --------------------------------------------------------------


def test_one_element_target_list_collapses_to_a_regex() -> None:
    got = canonical("sft_lora.yaml").target_modules
    assert got is not None
    assert (got.value.names, got.value.all_linear, got.value.regex) == ((), False, "q_proj")
    assert "collapsed" in got.note
    assert line(got) == 8


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("all-linear", Targets(all_linear=True), id="all-linear"),
        pytest.param("[all-linear]", Targets(all_linear=True), id="all-linear-2"),
        pytest.param("q_proj", Targets(regex="q_proj"), id="q-proj"),
        pytest.param(r"'.*\.(q|v)_proj'", Targets(regex=r".*\.(q|v)_proj"), id=".-.-q-v-proj"),
        pytest.param("[q_proj, v_proj]", Targets(names=("q_proj", "v_proj")), id="q-proj-v-proj"),
    ],
)
def test_lora_target_modules_spellings(value: str, expected: Targets) -> None:
    text = f"model_name_or_path: m\nuse_peft: true\nlora_target_modules: {value}\n"
    got = from_text(text).target_modules
    assert got is not None
    assert (got.value.names, got.value.all_linear, got.value.regex) == (
        expected.names,
        expected.all_linear,
        expected.regex,
    )


def test_peft_defaults() -> None:
    c = from_text("model_name_or_path: m\nuse_peft: true\n")
    assert c.adapter is not None
    assert (c.adapter.value, c.adapter.origin) == ("lora", "file")
    assert c.lora_rank is not None
    assert (c.lora_rank.value, c.lora_rank.origin) == (16, "default")
    assert c.lora_alpha is not None
    assert (c.lora_alpha.value, c.lora_alpha.origin) == (32.0, "default")
    assert c.target_modules is None  # PEFT's per-architecture default


def test_lora_keys_without_use_peft_are_a_full_fine_tune() -> None:
    c = from_text("model_name_or_path: m\nuse_peft: false\nlora_r: 8\n")
    assert c.adapter is not None
    assert (c.adapter.value, c.adapter.origin) == ("full", "file")
    assert c.lora_rank is None


@pytest.mark.parametrize(
    ("text", "method"),
    [
        pytest.param("reward_funcs: [accuracy]\nbeta: 0.04\n", "grpo", id="grpo"),
        pytest.param("loss_type: dapo\nbeta: 0.0\n", "grpo", id="grpo-2"),
        pytest.param("temperature: 0.7\nbeta: 0.04\n", "grpo", id="grpo-3"),
        pytest.param("max_completion_length: 256\n", "grpo", id="max-completion-length-256-grpo"),
        pytest.param("kl_coef: 0.05\nnum_ppo_epochs: 4\n", "ppo", id="ppo"),
        pytest.param("center_rewards_coefficient: 0.01\n", "rm", id="rm"),
        pytest.param("undesirable_weight: 1.0\n", "kto", id="undesirable-weight-1.0-kto"),
        pytest.param("loss_type: simpo\nbeta: 2.0\n", "simpo", id="simpo"),
        # CPOConfig: the loss is CPO's sigmoid unless loss_type: simpo (trl cpo_config.py)
        pytest.param("cpo_alpha: 0.0\n", "cpo", id="cpo-alpha-0.0"),
        pytest.param("cpo_alpha: 0.0\nloss_type: simpo\n", "simpo", id="simpo-2"),
        pytest.param("simpo_gamma: 0.5\n", "cpo", id="simpo-gamma-0.5-cpo"),
        # layer sizes for a new model: pretraining from its config
        pytest.param(
            "model_init_kwargs:\n  hidden_size: 1024\npacking: true\n", "pretrain", id="pretrain"
        ),
        pytest.param("model_config:\n  num_hidden_layers: 30\n", "pretrain", id="pretrain-2"),
        pytest.param(
            "model_init_kwargs:\n  torch_dtype: bfloat16\npacking: true\n", "sft", id="sft"
        ),
        pytest.param("loss_type: [sigmoid, sft]\nbeta: 0.1\n", "dpo", id="dpo"),
        pytest.param("loss_type: nll\n", "sft", id="loss-type-nll-sft"),
        pytest.param("max_prompt_length: 512\n", "dpo", id="max-prompt-length-512-dpo"),
        pytest.param("beta: 0.1\n", "dpo", id="beta-0.1-dpo"),
        pytest.param("dataset_text_field: text\n", "sft", id="dataset-text-field-text-sft"),
    ],
)
def test_method_heuristic(text: str, method: str) -> None:
    c = from_text("model_name_or_path: m\n" + text)
    assert c.method is not None
    assert (c.method.value, c.method.origin) == (method, "derived")


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        pytest.param("packing: true\n", 2e-5, id="packing-true-rate=2e-05"),
        pytest.param("beta: 0.1\n", 1e-6, id="beta-0.1-rate=1e-06"),
        pytest.param("num_generations: 4\n", 1e-6, id="num-generations-4-rate=1e-06"),
        pytest.param("center_rewards_coefficient: 0.01\n", 1e-4, id="rate=0.0001"),
        pytest.param("kl_coef: 0.05\n", 3e-6, id="kl-coef-0.05-rate=3e-06"),
    ],
)
def test_learning_rate_default_follows_the_method(text: str, rate: float) -> None:
    c = from_text("model_name_or_path: m\n" + text)
    assert c.learning_rate is not None
    assert (c.learning_rate.value, c.learning_rate.origin) == (rate, "default")


def test_grpo_defaults() -> None:
    c = from_text("model_name_or_path: m\nreward_funcs: [accuracy]\n")
    assert c.group_size is not None
    assert (c.group_size.value, c.group_size.origin) == (8, "default")
    assert c.temperature is not None
    assert (c.temperature.value, c.temperature.origin) == (1.0, "default")


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        pytest.param("fp16: true\n", "fp16", id="fp16-true-precision=fp16"),
        pytest.param("bf16: false\n", "fp32", id="bf16-false-precision=fp32"),
        pytest.param("bf16: yes\n", "bf16", id="bf16-yes-precision=bf16"),
    ],
)
def test_precision(text: str, precision: str) -> None:
    c = from_text("model_name_or_path: m\n" + text)
    assert c.precision is not None
    assert (c.precision.value, c.precision.origin) == (precision, "file")


def test_old_max_seq_length_is_the_sequence_length() -> None:
    c = from_text("model_name_or_path: m\nmax_seq_length: 4096\n")
    assert c.max_seq_len is not None
    assert (c.max_seq_len.value, c.max_seq_len.key) == (4096, "max_seq_length")


def test_modules_to_save() -> None:
    text = "model_name_or_path: m\nuse_peft: true\nlora_modules_to_save: [lm_head]\n"
    got = from_text(text).modules_to_save
    assert got is not None
    assert (got.value, got.key, line(got)) == (("lm_head",), "lora_modules_to_save", 3)


def test_modules_to_save_needs_peft() -> None:
    assert (
        from_text("model_name_or_path: m\nlora_modules_to_save: [lm_head]\n").modules_to_save
        is None
    )


# -- corpus ---------------------------------------------------------------------------
