"""The TRL dialect (and alignment-handbook recipes): detection, mapping, corpus."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

import pytest

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.dialects import MIN_SCORE, detect, trl
from cfgguard.yaml.nodes import Mapping
from tests.dialect_helpers import line, root_of

T = TypeVar("T")

FIXTURES = Path(__file__).parent / "fixtures" / "dialects" / "trl"
CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


def fixture(name: str) -> Mapping:
    return root_of((FIXTURES / name).read_text(encoding="utf-8"))


def canonical(name: str) -> Canonical:
    return trl.to_canonical(fixture(name))


def from_text(text: str) -> Canonical:
    return trl.to_canonical(root_of(text))


# -- detection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "sft_lora.yaml",
        "handbook_dpo_qlora.yaml",
        "grpo.yaml",
        "kto.yaml",
        "training_args_only.yaml",
    ],
)
def test_fixture_is_detected_as_trl(name: str) -> None:
    detection = detect(fixture(name))
    assert detection is not None
    assert detection.dialect.name == "trl"
    assert MIN_SCORE <= detection.score <= 20.0


def test_two_training_arguments_keys_are_weakly_trl() -> None:
    assert trl.detect(fixture("training_args_only.yaml")) == 2.0


PLAIN = """\
base_model: meta-llama/Llama-3.1-8B
lora_rank: 16
learning_rate: 1e-4
beta: 0.1
temperature: 0.7
group_size: 8
"""
TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
optimizer:
  _component_: torch.optim.AdamW
  lr: 3e-4
gradient_accumulation_steps: 8
output_dir: /tmp/out
max_steps_per_epoch: null
"""
VERL = """\
data:
  train_batch_size: 256
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-3B
algorithm:
  adv_estimator: grpo
"""
VERL_FRAGMENT = "rollout_is: null\nbypass_mode: false\nloss_type: ppo_clip\n"
AXOLOTL = """\
base_model: Qwen/Qwen2.5-0.5B
adapter: lora
lora_r: 16
lora_alpha: 32
lora_target_modules: [q_proj, v_proj]
learning_rate: 2.0e-4
gradient_accumulation_steps: 4
output_dir: ./out
"""
LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B
stage: sft
finetuning_type: lora
dataset: alpaca_en_demo
per_device_train_batch_size: 1
learning_rate: 1.0e-4
num_train_epochs: 3.0
"""


@pytest.mark.parametrize(
    "text",
    [PLAIN, TORCHTUNE, VERL, VERL_FRAGMENT, AXOLOTL, LLAMAFACTORY, "name: ci\non: [push]\n"],
    ids=["plain", "torchtune", "verl", "verl-fragment", "axolotl", "llamafactory", "workflow"],
)
def test_trl_does_not_claim(text: str) -> None:
    assert trl.detect(root_of(text)) < MIN_SCORE


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
    ("text", "expected"), [(AMBIGUOUS_LF, "llamafactory"), (AMBIGUOUS_TRL, "trl")]
)
def test_model_name_or_path_ambiguity(text: str, expected: str) -> None:
    detection = detect(root_of(text))
    assert detection is not None
    assert detection.dialect.name == expected


# -- canonical mapping --------------------------------------------------------------

# (fixture, canonical field, value, origin, 1-based line of the value node or None)
CASES: list[tuple[str, str, object, str, int | None]] = [
    ("sft_lora.yaml", "base_model", "Qwen/Qwen2.5-0.5B", "file", 2),
    ("sft_lora.yaml", "method", "sft", "derived", 14),
    ("sft_lora.yaml", "adapter", "lora", "file", 4),
    ("sft_lora.yaml", "lora_rank", 32, "file", 5),
    ("sft_lora.yaml", "lora_alpha", 16.0, "file", 6),
    ("sft_lora.yaml", "lora_dropout", 0.05, "default", None),
    ("sft_lora.yaml", "learning_rate", 2e-5, "file", 9),  # `2e-5`: a YAML 1.1 string
    ("sft_lora.yaml", "lr_scheduler", "linear", "default", None),
    ("sft_lora.yaml", "micro_batch_size", 4, "file", 10),
    ("sft_lora.yaml", "gradient_accumulation_steps", 2, "file", 11),
    ("sft_lora.yaml", "num_epochs", 1.0, "file", 12),
    ("sft_lora.yaml", "max_seq_len", 2048, "file", 13),
    ("sft_lora.yaml", "max_grad_norm", 1.0, "default", None),
    ("sft_lora.yaml", "precision", "bf16", "default", None),
    ("handbook_dpo_qlora.yaml", "method", "dpo", "derived", 21),
    ("handbook_dpo_qlora.yaml", "adapter", "qlora", "file", 5),
    ("handbook_dpo_qlora.yaml", "lora_rank", 64, "file", 7),
    ("handbook_dpo_qlora.yaml", "dpo_beta", 0.05, "file", 21),
    ("handbook_dpo_qlora.yaml", "max_seq_len", 1024, "file", 22),
    ("handbook_dpo_qlora.yaml", "learning_rate", 5e-7, "file", 24),
    ("handbook_dpo_qlora.yaml", "lr_scheduler", "cosine", "file", 25),
    ("handbook_dpo_qlora.yaml", "warmup_ratio", 0.1, "file", 26),
    ("handbook_dpo_qlora.yaml", "optimizer", "adamw_torch", "file", 30),
    ("handbook_dpo_qlora.yaml", "precision", "bf16", "file", 20),
    ("grpo.yaml", "method", "grpo", "derived", 5),
    ("grpo.yaml", "adapter", "full", "default", None),
    ("grpo.yaml", "group_size", 16, "file", 5),
    ("grpo.yaml", "temperature", 0.9, "file", 6),
    ("grpo.yaml", "micro_batch_size", 16, "file", 9),
    ("grpo.yaml", "learning_rate", 1e-6, "file", 10),
    ("grpo.yaml", "num_epochs", 3.0, "default", None),
    ("kto.yaml", "method", "kto", "derived", 3),
    ("kto.yaml", "dpo_beta", 0.1, "file", 5),
    ("kto.yaml", "max_seq_len", 1024, "default", None),
    ("training_args_only.yaml", "method", "sft", "default", None),
    ("training_args_only.yaml", "learning_rate", 3e-5, "file", 1),
    ("training_args_only.yaml", "num_epochs", 2.0, "file", 2),
]


@pytest.mark.parametrize(("name", "attr", "value", "origin", "lineno"), CASES)
def test_canonical_field(
    name: str, attr: str, value: object, origin: str, lineno: int | None
) -> None:
    got: Field[object] | None = getattr(canonical(name), attr)
    assert got is not None, attr
    assert got.value == value
    assert got.origin == origin
    if lineno is None:
        assert got.node is None
        assert got.note  # a default names its source
    else:
        assert line(got) == lineno


@pytest.mark.parametrize(
    ("name", "attr"),
    [
        ("grpo.yaml", "dpo_beta"),  # GRPO's beta is a KL weight, not DPO's
        ("grpo.yaml", "lora_rank"),
        ("grpo.yaml", "max_seq_len"),  # GRPO bounds completions, not sequences
        ("sft_lora.yaml", "dpo_beta"),
        ("sft_lora.yaml", "group_size"),
        ("kto.yaml", "temperature"),
        ("training_args_only.yaml", "base_model"),
    ],
)
def test_absent_field(name: str, attr: str) -> None:
    assert getattr(canonical(name), attr) is None


def test_one_element_target_list_collapses_to_a_regex() -> None:
    got = canonical("sft_lora.yaml").target_modules
    assert got is not None
    assert (got.value.names, got.value.all_linear, got.value.regex) == ((), False, "q_proj")
    assert "collapsed" in got.note
    assert line(got) == 8


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("all-linear", Targets(all_linear=True)),
        ("[all-linear]", Targets(all_linear=True)),
        ("q_proj", Targets(regex="q_proj")),
        (r"'.*\.(q|v)_proj'", Targets(regex=r".*\.(q|v)_proj")),
        ("[q_proj, v_proj]", Targets(names=("q_proj", "v_proj"))),
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
        ("reward_funcs: [accuracy]\nbeta: 0.04\n", "grpo"),
        ("loss_type: dapo\nbeta: 0.0\n", "grpo"),
        ("temperature: 0.7\nbeta: 0.04\n", "grpo"),
        ("max_completion_length: 256\n", "grpo"),
        ("kl_coef: 0.05\nnum_ppo_epochs: 4\n", "ppo"),
        ("center_rewards_coefficient: 0.01\n", "rm"),
        ("undesirable_weight: 1.0\n", "kto"),
        ("loss_type: simpo\nbeta: 2.0\n", "simpo"),
        # CPOConfig: the loss is CPO's sigmoid unless loss_type: simpo (trl cpo_config.py)
        ("cpo_alpha: 0.0\n", "cpo"),
        ("cpo_alpha: 0.0\nloss_type: simpo\n", "simpo"),
        ("simpo_gamma: 0.5\n", "cpo"),
        # layer sizes for a new model: pretraining from its config
        ("model_init_kwargs:\n  hidden_size: 1024\npacking: true\n", "pretrain"),
        ("model_config:\n  num_hidden_layers: 30\n", "pretrain"),
        ("model_init_kwargs:\n  torch_dtype: bfloat16\npacking: true\n", "sft"),
        ("loss_type: [sigmoid, sft]\nbeta: 0.1\n", "dpo"),
        ("loss_type: nll\n", "sft"),
        ("max_prompt_length: 512\n", "dpo"),
        ("beta: 0.1\n", "dpo"),
        ("dataset_text_field: text\n", "sft"),
    ],
)
def test_method_heuristic(text: str, method: str) -> None:
    c = from_text("model_name_or_path: m\n" + text)
    assert c.method is not None
    assert (c.method.value, c.method.origin) == (method, "derived")


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("packing: true\n", 2e-5),
        ("beta: 0.1\n", 1e-6),
        ("num_generations: 4\n", 1e-6),
        ("center_rewards_coefficient: 0.01\n", 1e-4),
        ("kl_coef: 0.05\n", 3e-6),
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
    [("fp16: true\n", "fp16"), ("bf16: false\n", "fp32"), ("bf16: yes\n", "bf16")],
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


def _corpus(*dirs: str) -> list[object]:
    if not all((CORPUS / d).is_dir() for d in dirs):
        return [pytest.param(None, id="corpus-missing")]
    files = sorted(p for d in dirs for p in (CORPUS / d).iterdir() if p.is_file())
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in files]


@pytest.mark.parametrize("path", _corpus("trl", "alignment-handbook"))
def test_corpus_file_is_trl(path: Path | None) -> None:
    if path is None:
        reason = f"corpus not found at {CORPUS}"
        if os.environ.get("CFGGUARD_REQUIRE_CORPUS") == "1":
            pytest.fail(reason + " (CFGGUARD_REQUIRE_CORPUS=1)")
        pytest.skip(reason)
    root = root_of(path.read_text(encoding="utf-8"))
    detection = detect(root)
    assert detection is not None, path.name
    assert detection.dialect.name == "trl", (path.name, detection.runner_up)
    c = trl.to_canonical(root)
    assert c.base_model is not None
    assert c.learning_rate is not None
