"""The axolotl dialect: detection, canonical mapping (values, origins, lines), corpus."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

import pytest

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.dialects import MIN_SCORE, axolotl, detect
from cfgguard.yaml.nodes import Mapping
from tests.dialect_helpers import line, root_of

T = TypeVar("T")

FIXTURES = Path(__file__).parent / "fixtures" / "dialects" / "axolotl"
CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


def fixture(name: str) -> Mapping:
    return root_of((FIXTURES / name).read_text(encoding="utf-8"))


def canonical(name: str) -> Canonical:
    return axolotl.to_canonical(fixture(name))


# -- detection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "lora_sft.yaml",
        "qlora_dpo.yaml",
        "grpo_full.yaml",
        "pretrain.yaml",
        "reward_model.yaml",
        "plugin_only.yaml",
    ],
)
def test_fixture_is_detected_as_axolotl(name: str) -> None:
    detection = detect(fixture(name))
    assert detection is not None
    assert detection.dialect.name == "axolotl"
    assert MIN_SCORE <= detection.score <= 20.0


PLAIN = """\
base_model: meta-llama/Llama-3.1-8B
lora_rank: 16
lora_alpha: 32
learning_rate: 1e-4
batch_size: 8
num_steps: 1000
max_seq_len: 4096
target_modules: [q_proj, v_proj]
"""
TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
  lora_rank: 8
optimizer:
  _component_: torch.optim.AdamW
  lr: 3e-4
lr_scheduler:
  _component_: torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup
  num_warmup_steps: 100
batch_size: 2
epochs: 1
gradient_accumulation_steps: 8
output_dir: /tmp/out
"""
LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B
stage: sft
finetuning_type: lora
lora_rank: 8
template: qwen
cutoff_len: 2048
learning_rate: 1.0e-4
"""
TRL_PEFT = """\
model_name_or_path: Qwen/Qwen2.5-0.5B
use_peft: true
lora_r: 16
lora_alpha: 32
lora_target_modules: [q_proj, v_proj]
learning_rate: 2.0e-5
"""
NO_BASE_MODEL = """\
sequence_len: 2048
micro_batch_size: 2
learning_rate: 1.0e-4
"""


@pytest.mark.parametrize(
    "text",
    [PLAIN, TORCHTUNE, LLAMAFACTORY, TRL_PEFT, NO_BASE_MODEL, "name: ci\non: [push]\n"],
    ids=["plain", "torchtune", "llamafactory", "trl-peft", "no-base-model", "workflow"],
)
def test_axolotl_does_not_claim(text: str) -> None:
    assert axolotl.detect(root_of(text)) < MIN_SCORE


def test_plain_file_scores_zero() -> None:
    # base_model alone is the plain dialect's key too: it must give axolotl nothing.
    assert axolotl.detect(root_of(PLAIN)) == 0.0


def test_datasets_must_be_axolotl_shaped() -> None:
    text = "base_model: m\nsequence_len: 512\ndatasets: [trl-lib/Capybara]\n"
    assert axolotl.detect(root_of(text)) < MIN_SCORE
    shaped = "base_model: m\nsequence_len: 512\ndatasets:\n  - path: a\n    type: alpaca\n"
    assert axolotl.detect(root_of(shaped)) == 6.0


def test_score_is_capped() -> None:
    assert axolotl.detect(fixture("lora_sft.yaml")) <= 20.0


# -- canonical mapping --------------------------------------------------------------

# (fixture, canonical field, value, origin, 1-based line of the value node or None)
CASES: list[tuple[str, str, object, str, int | None]] = [
    ("lora_sft.yaml", "base_model", "meta-llama/Llama-3.1-8B", "file", 2),
    ("lora_sft.yaml", "method", "sft", "default", None),
    ("lora_sft.yaml", "adapter", "lora", "file", 11),
    ("lora_sft.yaml", "lora_rank", 16, "file", 12),
    ("lora_sft.yaml", "lora_alpha", 32.0, "file", 13),
    ("lora_sft.yaml", "lora_dropout", 0.05, "file", 14),
    ("lora_sft.yaml", "learning_rate", 0.0002, "file", 27),  # `2e-4`: a YAML 1.1 string
    ("lora_sft.yaml", "lr_scheduler", "cosine", "file", 26),
    ("lora_sft.yaml", "warmup_steps", 10.0, "file", 28),
    ("lora_sft.yaml", "optimizer", "adamw_bnb_8bit", "file", 25),
    ("lora_sft.yaml", "weight_decay", 0.01, "file", 29),
    ("lora_sft.yaml", "max_grad_norm", 1.0, "default", None),
    ("lora_sft.yaml", "micro_batch_size", 2, "file", 22),
    ("lora_sft.yaml", "gradient_accumulation_steps", 4, "file", 23),
    ("lora_sft.yaml", "num_epochs", 3.0, "file", 24),
    ("lora_sft.yaml", "max_seq_len", 4096, "file", 19),
    ("lora_sft.yaml", "rope_scaling", "linear", "file", 34),
    ("lora_sft.yaml", "precision", "bf16", "file", 31),
    ("qlora_dpo.yaml", "method", "dpo", "file", 10),
    ("qlora_dpo.yaml", "adapter", "qlora", "file", 3),
    ("qlora_dpo.yaml", "lora_dropout", 0.0, "default", None),
    ("qlora_dpo.yaml", "learning_rate", 5e-6, "file", 19),
    ("qlora_dpo.yaml", "num_epochs", 1.0, "default", None),
    ("qlora_dpo.yaml", "max_seq_len", 512, "default", None),
    ("qlora_dpo.yaml", "dpo_beta", 0.05, "file", 12),
    ("qlora_dpo.yaml", "precision", "fp16", "file", 20),
    ("grpo_full.yaml", "method", "grpo", "file", 2),
    ("grpo_full.yaml", "adapter", "full", "default", None),
    ("grpo_full.yaml", "group_size", 4, "file", 4),
    ("grpo_full.yaml", "temperature", 1.0, "default", None),
    ("grpo_full.yaml", "max_grad_norm", 0.5, "file", 13),
    ("grpo_full.yaml", "gradient_accumulation_steps", 1, "default", None),
    ("grpo_full.yaml", "precision", "auto", "file", 14),
    ("pretrain.yaml", "method", "pretrain", "derived", 3),
    ("pretrain.yaml", "max_steps", 1000, "file", 7),
    ("pretrain.yaml", "lr_scheduler", "constant", "file", 9),
    ("pretrain.yaml", "precision", "auto", "default", None),
    ("reward_model.yaml", "method", "rm", "file", 2),
    ("reward_model.yaml", "learning_rate", 2e-5, "file", 10),
    ("plugin_only.yaml", "micro_batch_size", 1, "default", None),
    ("plugin_only.yaml", "optimizer", "adamw_torch_fused", "default", None),
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
        ("grpo_full.yaml", "lora_rank"),  # full fine-tune: no LoRA fields
        ("grpo_full.yaml", "target_modules"),
        ("grpo_full.yaml", "dpo_beta"),  # GRPO's beta is a KL weight, not DPO's
        ("qlora_dpo.yaml", "group_size"),
        ("lora_sft.yaml", "dpo_beta"),
        ("lora_sft.yaml", "temperature"),
        ("lora_sft.yaml", "warmup_ratio"),
    ],
)
def test_absent_field(name: str, attr: str) -> None:
    assert getattr(canonical(name), attr) is None


def test_target_names() -> None:
    got = canonical("lora_sft.yaml").target_modules
    assert got is not None
    assert got.value.names == ("q_proj", "v_proj")
    assert not got.value.all_linear
    assert got.value.regex is None
    assert [n.start.line + 1 for n in got.value.name_nodes] == [16, 17]


def test_target_linear_is_union_with_names() -> None:
    got = canonical("qlora_dpo.yaml").target_modules
    assert got is not None
    assert got.value.all_linear
    assert got.value.names == ("lm_head",)
    assert got.key == "lora_target_modules"
    assert line(got) == 8


def test_target_linear_alone() -> None:
    text = "base_model: m\nadapter: lora\nlora_r: 8\nlora_target_linear: true\n"
    got = axolotl.to_canonical(root_of(text)).target_modules
    assert got is not None
    assert got.value == Targets(all_linear=True)
    assert got.key == "lora_target_linear"
    assert line(got) == 4


def test_single_string_target_is_a_regex() -> None:
    text = "base_model: m\nadapter: lora\nlora_target_modules: 'model.*q_proj'\n"
    got = axolotl.to_canonical(root_of(text)).target_modules
    assert got is not None
    assert got.value.regex == "model.*q_proj"


@pytest.mark.parametrize(
    ("rl", "method"),
    [("ipo", "dpo"), ("orpo", "orpo"), ("simpo", "simpo"), ("kto", "kto"), ("ebft", "other")],
)
def test_rl_values(rl: str, method: str) -> None:
    c = axolotl.to_canonical(root_of(f"base_model: m\nrl: {rl}\n"))
    assert c.method is not None
    assert c.method.value == method


def test_orpo_alpha_is_the_beta() -> None:
    c = axolotl.to_canonical(root_of("base_model: m\nrl: orpo\norpo_alpha: 0.2\n"))
    assert c.dpo_beta is not None
    assert (c.dpo_beta.value, c.dpo_beta.key) == (0.2, "orpo_alpha")


def test_dpo_beta_default() -> None:
    c = axolotl.to_canonical(root_of("base_model: m\nrl: dpo\n"))
    assert c.dpo_beta is not None
    assert (c.dpo_beta.value, c.dpo_beta.origin) == (0.1, "default")


def test_blank_adapter_is_full() -> None:
    c = axolotl.to_canonical(root_of("base_model: m\nadapter:\nlora_r: 8\n"))
    assert c.adapter is not None
    assert (c.adapter.value, c.adapter.origin) == ("full", "file")
    assert c.lora_rank is None


def test_completion_datasets_mean_pretraining() -> None:
    text = "base_model: m\ndatasets:\n  - path: a\n    type: completion\n"
    c = axolotl.to_canonical(root_of(text))
    assert c.method is not None
    assert (c.method.value, c.method.origin) == ("pretrain", "derived")


def test_modules_to_save() -> None:
    text = "base_model: m\nadapter: lora\nlora_modules_to_save:\n  - embed_tokens\n  - lm_head\n"
    got = axolotl.to_canonical(root_of(text)).modules_to_save
    assert got is not None
    assert (got.value, got.origin, line(got)) == (("embed_tokens", "lm_head"), "file", 4)


# -- corpus ---------------------------------------------------------------------------


def _corpus(*dirs: str) -> list[object]:
    if not all((CORPUS / d).is_dir() for d in dirs):
        return [pytest.param(None, id="corpus-missing")]
    files = sorted(p for d in dirs for p in (CORPUS / d).iterdir() if p.is_file())
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in files]


@pytest.mark.parametrize("path", _corpus("axolotl"))
def test_corpus_file_is_axolotl(path: Path | None) -> None:
    if path is None:
        reason = f"corpus not found at {CORPUS}"
        if os.environ.get("CFGGUARD_REQUIRE_CORPUS") == "1":
            pytest.fail(reason + " (CFGGUARD_REQUIRE_CORPUS=1)")
        pytest.skip(reason)
    root = root_of(path.read_text(encoding="utf-8"))
    detection = detect(root)
    assert detection is not None, path.name
    assert detection.dialect.name == "axolotl", (path.name, detection.runner_up)
    c = axolotl.to_canonical(root)
    assert c.base_model is not None
    assert c.learning_rate is not None


def test_peft_use_rslora() -> None:
    text = "base_model: m\nadapter: lora\nlora_r: 16\nlora_alpha: 16\npeft_use_rslora: true\n"
    c = axolotl.to_canonical(root_of(text))
    assert c.use_rslora is not None
    assert c.use_rslora.value is True


@pytest.mark.parametrize(
    ("loss", "method", "rank"),
    [
        pytest.param("cross_entropy", "sft", 16, id="sft"),
        pytest.param("importance_sampling", "grpo", 16, id="rl"),
        pytest.param(None, "sft", 32, id="defaults"),  # args.py: cross_entropy, rank 32
    ],
)
def test_hatchery_trains_a_lora_adapter(loss: str | None, method: str, rank: int) -> None:
    section = "hatchery:\n  backend: tinker\n"
    if loss is not None:
        section += f"  loss_fn: {loss}\n  lora_rank: 16\n"
    c = axolotl.to_canonical(root_of("base_model: Qwen/Qwen3-8B\n" + section))
    assert c.adapter is not None
    assert c.method is not None
    assert c.lora_rank is not None
    assert (c.adapter.value, c.method.value, c.lora_rank.value) == ("lora", method, rank)
