"""The LLaMA-Factory dialect: detection, canonical mapping (values, origins, lines), corpus."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

import pytest

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.dialects import MIN_SCORE, detect, llamafactory
from cfgguard.yaml.nodes import Mapping
from tests.dialect_helpers import line, root_of

T = TypeVar("T")

FIXTURES = Path(__file__).parent / "fixtures" / "dialects" / "llamafactory"
CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


def fixture(name: str) -> Mapping:
    return root_of((FIXTURES / name).read_text(encoding="utf-8"))


def canonical(name: str) -> Canonical:
    return llamafactory.to_canonical(fixture(name))


def from_text(text: str) -> Canonical:
    return llamafactory.to_canonical(root_of(text))


# -- detection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["lora_sft.yaml", "qlora_orpo.yaml", "defaults.yaml", "full_dpo.yaml", "v1_lora.yaml"]
)
def test_fixture_is_detected_as_llamafactory(name: str) -> None:
    detection = detect(fixture(name))
    assert detection is not None
    assert detection.dialect.name == "llamafactory"
    assert MIN_SCORE <= detection.score <= 20.0


def test_profile_is_omegaconf() -> None:
    assert llamafactory.DIALECT.profile == "omegaconf"


def test_without_model_name_only_unmistakable_keys_count() -> None:
    assert llamafactory.detect(root_of("stage: sft\nfinetuning_type: lora\n")) == 2.0
    assert llamafactory.detect(root_of("template: x\nlora_rank: 8\n")) == 0.0


PLAIN = """\
base_model: meta-llama/Llama-3.1-8B
lora_rank: 16
lora_alpha: 32
learning_rate: 1e-4
batch_size: 8
num_steps: 1000
"""
TRL = """\
model_name_or_path: Qwen/Qwen2.5-0.5B
dataset_name: trl-lib/Capybara
learning_rate: 2.0e-5
per_device_train_batch_size: 4
max_length: 1024
"""
TORCHTUNE = """\
model:
  _component_: torchtune.models.qwen2_5.qwen2_5_0_5b
dataset:
  _component_: torchtune.datasets.alpaca_dataset
batch_size: 4
"""
VERL = """\
data:
  train_batch_size: 256
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-3B
algorithm:
  adv_estimator: grpo
trainer:
  total_epochs: 1
"""
AXOLOTL = """\
base_model: Qwen/Qwen2.5-0.5B
micro_batch_size: 2
sequence_len: 2048
num_epochs: 1
learning_rate: 1.0e-5
"""


@pytest.mark.parametrize(
    "text",
    [PLAIN, TRL, TORCHTUNE, VERL, AXOLOTL, "name: ci\non: [push]\n"],
    ids=["plain", "trl", "torchtune", "verl", "axolotl", "workflow"],
)
def test_llamafactory_does_not_claim(text: str) -> None:
    assert llamafactory.detect(root_of(text)) < MIN_SCORE


# -- canonical mapping --------------------------------------------------------------

# (fixture, canonical field, value, origin, 1-based line of the value node or None)
CASES: list[tuple[str, str, object, str, int | None]] = [
    ("lora_sft.yaml", "base_model", "meta-llama/Meta-Llama-3-8B-Instruct", "file", 2),
    ("lora_sft.yaml", "method", "sft", "file", 5),
    ("lora_sft.yaml", "adapter", "lora", "file", 7),
    ("lora_sft.yaml", "lora_rank", 16, "file", 8),
    ("lora_sft.yaml", "lora_alpha", 32.0, "file", 9),
    ("lora_sft.yaml", "lora_dropout", 0.1, "file", 10),
    ("lora_sft.yaml", "learning_rate", 1e-4, "file", 23),  # `1e-4`: a float in OmegaConf
    ("lora_sft.yaml", "lr_scheduler", "cosine", "file", 25),
    ("lora_sft.yaml", "warmup_ratio", 0.1, "file", 26),
    ("lora_sft.yaml", "optimizer", "adamw_torch", "file", 27),
    ("lora_sft.yaml", "micro_batch_size", 2, "file", 21),
    ("lora_sft.yaml", "gradient_accumulation_steps", 4, "file", 22),
    ("lora_sft.yaml", "num_epochs", 2.0, "file", 24),
    ("lora_sft.yaml", "max_seq_len", 1024, "file", 16),
    ("lora_sft.yaml", "rope_scaling", "linear", "file", 28),
    ("lora_sft.yaml", "precision", "bf16", "file", 29),
    ("lora_sft.yaml", "dataset_size", 500, "file", 17),
    ("lora_sft.yaml", "max_grad_norm", 1.0, "default", None),
    ("qlora_orpo.yaml", "method", "orpo", "file", 4),
    ("qlora_orpo.yaml", "adapter", "qlora", "default", None),
    ("qlora_orpo.yaml", "dpo_beta", 0.2, "file", 5),
    ("qlora_orpo.yaml", "precision", "fp16", "file", 11),
    ("defaults.yaml", "method", "pretrain", "file", 3),
    ("defaults.yaml", "adapter", "lora", "default", None),
    ("defaults.yaml", "lora_rank", 8, "default", None),
    ("defaults.yaml", "lora_alpha", 16.0, "default", None),
    ("defaults.yaml", "lora_dropout", 0.0, "default", None),
    ("defaults.yaml", "learning_rate", 5e-5, "default", None),
    ("defaults.yaml", "lr_scheduler", "linear", "default", None),
    ("defaults.yaml", "micro_batch_size", 8, "default", None),
    ("defaults.yaml", "gradient_accumulation_steps", 1, "default", None),
    ("defaults.yaml", "num_epochs", 3.0, "default", None),
    ("defaults.yaml", "max_seq_len", 2048, "default", None),
    ("defaults.yaml", "precision", "fp32", "default", None),
    ("full_dpo.yaml", "method", "dpo", "file", 2),
    ("full_dpo.yaml", "adapter", "full", "file", 3),
    ("full_dpo.yaml", "dpo_beta", 0.1, "default", None),
    ("full_dpo.yaml", "max_seq_len", 4096, "file", 6),
    ("full_dpo.yaml", "precision", "fp32", "file", 10),
    ("v1_lora.yaml", "base_model", "Qwen/Qwen3-0.6B", "file", 1),
    ("v1_lora.yaml", "method", "sft", "default", None),
    ("v1_lora.yaml", "adapter", "lora", "file", 5),
    ("v1_lora.yaml", "lora_rank", 32, "file", 6),
    ("v1_lora.yaml", "lora_alpha", 64.0, "file", 7),
    ("v1_lora.yaml", "learning_rate", 2e-5, "file", 17),
    ("v1_lora.yaml", "micro_batch_size", 4, "file", 15),
    ("v1_lora.yaml", "num_epochs", 3.0, "default", None),
    ("v1_lora.yaml", "max_steps", 100, "file", 18),
    ("v1_lora.yaml", "max_seq_len", 4096, "file", 16),
    ("v1_lora.yaml", "precision", "bf16", "default", None),
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
        ("full_dpo.yaml", "lora_rank"),  # full fine-tune: no LoRA fields
        ("full_dpo.yaml", "target_modules"),
        ("lora_sft.yaml", "dpo_beta"),  # SFT has no preference beta
        ("lora_sft.yaml", "group_size"),  # no GRPO in LLaMA-Factory
        ("lora_sft.yaml", "temperature"),
        ("v1_lora.yaml", "lora_dropout"),  # v1 plugin defaults are unknown
        ("v1_lora.yaml", "gradient_accumulation_steps"),
    ],
)
def test_absent_field(name: str, attr: str) -> None:
    assert getattr(canonical(name), attr) is None


def test_comma_separated_targets() -> None:
    got = canonical("lora_sft.yaml").target_modules
    assert got is not None
    assert (got.value.names, got.value.all_linear, got.value.regex) == (
        ("q_proj", "v_proj"),
        False,
        None,
    )
    assert line(got) == 11


def test_default_targets_are_all_linear() -> None:
    got = canonical("defaults.yaml").target_modules
    assert got is not None
    assert got.value == Targets(all_linear=True)
    assert got.origin == "default"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("all", Targets(all_linear=True)),
        ("[all]", Targets(all_linear=True)),
        # only `all` is special in LLaMA-Factory: `all-linear` names no module
        ("all-linear", Targets(names=("all-linear",))),
        ("[q_proj, k_proj]", Targets(names=("q_proj", "k_proj"))),
        ("q_proj", Targets(names=("q_proj",))),  # a list of one name, not a regex
    ],
)
def test_lora_target_spellings(value: str, expected: Targets) -> None:
    got = from_text(f"model_name_or_path: m\nlora_target: {value}\n").target_modules
    assert got is not None
    assert (got.value.names, got.value.all_linear, got.value.regex) == (
        expected.names,
        expected.all_linear,
        expected.regex,
    )


def test_alpha_defaults_to_twice_the_rank() -> None:
    c = from_text("model_name_or_path: m\nlora_rank: 64\n")
    assert c.lora_alpha is not None
    assert (c.lora_alpha.value, c.lora_alpha.origin) == (128.0, "default")
    assert "2 x lora_rank" in c.lora_alpha.note


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("stage: dpo\npref_loss: sigmoid\n", "dpo"),
        ("stage: dpo\npref_loss: simpo\n", "simpo"),
        ("stage: dpo\npref_loss: kto_pair\n", "kto"),
        ("stage: kto\n", "kto"),
        ("stage: rm\n", "rm"),
        ("stage: ppo\n", "ppo"),
        ("stage: grpo\n", "other"),  # "Unknown task" at train time
    ],
)
def test_stage_and_pref_loss(text: str, method: str) -> None:
    c = from_text("model_name_or_path: m\n" + text)
    assert c.method is not None
    assert c.method.value == method


@pytest.mark.parametrize(
    ("text", "adapter"),
    [
        ("quantization_bit: 8\n", "lora"),
        ("quantization_bit: 4\nfinetuning_type: lora\n", "qlora"),
        ("finetuning_type: freeze\n", "other"),
        ("finetuning_type: oft\n", "other"),
    ],
)
def test_adapter(text: str, adapter: str) -> None:
    c = from_text("model_name_or_path: m\n" + text)
    assert c.adapter is not None
    assert c.adapter.value == adapter


def test_pure_bf16() -> None:
    c = from_text("model_name_or_path: m\npure_bf16: true\n")
    assert c.precision is not None
    assert (c.precision.value, c.precision.key) == ("bf16", "pure_bf16")


def test_v1_quantized_peft_is_qlora() -> None:
    text = (
        "model: m\npeft_config:\n  name: lora\n  r: 8\n"
        "quant_config:\n  name: bnb\n  quantization_bit: 4\ndist_config:\n  name: fsdp2\n"
    )
    c = from_text(text)
    assert c.adapter is not None
    assert c.adapter.value == "qlora"


def test_v1_without_peft_is_full() -> None:
    c = from_text("model: m\ndist_config:\n  name: fsdp2\nmicro_batch_size: 1\n")
    assert c.adapter is not None
    assert (c.adapter.value, c.adapter.origin) == ("full", "default")
    assert c.lora_rank is None


def test_additional_target_is_modules_to_save() -> None:
    c = from_text("model_name_or_path: m\nadditional_target: embed_tokens,lm_head\n")
    assert c.modules_to_save is not None
    assert (c.modules_to_save.value, line(c.modules_to_save)) == (("embed_tokens", "lm_head"), 2)


# -- corpus ---------------------------------------------------------------------------


def _corpus(*dirs: str) -> list[object]:
    if not all((CORPUS / d).is_dir() for d in dirs):
        return [pytest.param(None, id="corpus-missing")]
    files = sorted(p for d in dirs for p in (CORPUS / d).iterdir() if p.is_file())
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in files]


@pytest.mark.parametrize("path", _corpus("llamafactory"))
def test_corpus_file_is_llamafactory(path: Path | None) -> None:
    if path is None:
        reason = f"corpus not found at {CORPUS}"
        if os.environ.get("CFGGUARD_REQUIRE_CORPUS") == "1":
            pytest.fail(reason + " (CFGGUARD_REQUIRE_CORPUS=1)")
        pytest.skip(reason)
    root = root_of(path.read_text(encoding="utf-8"))
    detection = detect(root)
    assert detection is not None, path.name
    assert detection.dialect.name == "llamafactory", (path.name, detection.runner_up)
    c = llamafactory.to_canonical(root)
    assert c.base_model is not None
    assert c.learning_rate is not None


@pytest.mark.parametrize(
    ("text", "trains"),
    [
        pytest.param("do_train: true\n", True, id="do-train"),
        pytest.param("do_train: false\ndo_predict: true\n", False, id="predict-only"),
        pytest.param("do_predict: true\n", False, id="no-do-train"),  # transformers' False
    ],
)
def test_trains_only_under_do_train(text: str, trains: bool) -> None:
    c = llamafactory.to_canonical(root_of("model_name_or_path: m\nstage: sft\n" + text))
    assert c.trains is not None
    assert c.trains.value is trains


@pytest.mark.parametrize(
    ("text", "method", "variant"),
    [
        pytest.param("pref_loss: simpo\n", "simpo", "simpo"),
        pytest.param("pref_loss: sigmoid\n", "dpo", "sigmoid"),
        pytest.param("", "dpo", None),
    ],
)
def test_v0_preference_loss_variant(text: str, method: str, variant: str | None) -> None:
    c = llamafactory.to_canonical(root_of("model_name_or_path: m\nstage: dpo\n" + text))
    assert c.method is not None
    assert c.method.value == method
    assert (c.loss_variant.value if c.loss_variant else None) == variant


@pytest.mark.parametrize(
    ("text", "rslora"),
    [
        pytest.param("model_name_or_path: m\nfinetuning_type: lora\nuse_rslora: true\n", True),
        pytest.param("model: m\npeft_config:\n  name: lora\n  r: 8\n  use_rslora: true\n", True),
        pytest.param("model_name_or_path: m\nfinetuning_type: lora\n", None),
    ],
)
def test_use_rslora(text: str, rslora: bool | None) -> None:
    c = llamafactory.to_canonical(root_of(text))
    assert (c.use_rslora.value if c.use_rslora else None) == rslora


@pytest.mark.parametrize(
    ("text", "method"),
    [
        pytest.param("train_dataset: data/v1_dpo_demo.yaml\n", "dpo", id="dpo-data"),
        pytest.param("pref_loss: orpo\n", "orpo", id="pref-loss"),
        pytest.param("pref_beta: 0.2\n", "dpo", id="pref-beta"),
        pytest.param("train_dataset: data/v1_sft_demo.yaml\n", "sft", id="sft-data"),
    ],
)
def test_v1_method(text: str, method: str) -> None:
    c = llamafactory.to_canonical(root_of("model: Qwen/Qwen3-4B\nmicro_batch_size: 1\n" + text))
    assert c.method is not None
    assert c.method.value == method
