"""The axolotl dialect: detection, canonical mapping (values, origins, lines), corpus.

What every dialect has (its fixtures detected, other dialects' files not claimed, the
canonical field table, fields left unset; the corpus of axolotl, LLaMA-Factory and TRL) is a
row of tests/test_dialects.py.
"""

from __future__ import annotations

import pytest

from cfgguard.canonical import Targets
from cfgguard.dialects import MIN_SCORE, axolotl
from tests.dialect_helpers import files_of, line, root_of

fixture, canonical, from_text = files_of("axolotl")


# -- detection --------------------------------------------------------------------


def test_datasets_must_be_axolotl_shaped() -> None:
    text = "base_model: m\nsequence_len: 512\ndatasets: [trl-lib/Capybara]\n"
    assert axolotl.detect(root_of(text)) < MIN_SCORE
    shaped = "base_model: m\nsequence_len: 512\ndatasets:\n  - path: a\n    type: alpaca\n"
    assert axolotl.detect(root_of(shaped)) == 6.0


def test_score_is_capped() -> None:
    assert axolotl.detect(fixture("lora_sft.yaml")) <= 20.0


# -- canonical mapping --------------------------------------------------------------


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
    got = axolotl.DIALECT.to_canonical(root_of(text)).target_modules
    assert got is not None
    assert got.value == Targets(all_linear=True)
    assert got.key == "lora_target_linear"
    assert line(got) == 4


def test_single_string_target_is_a_regex() -> None:
    text = "base_model: m\nadapter: lora\nlora_target_modules: 'model.*q_proj'\n"
    got = axolotl.DIALECT.to_canonical(root_of(text)).target_modules
    assert got is not None
    assert got.value.regex == "model.*q_proj"


@pytest.mark.parametrize(
    ("rl", "method"),
    [
        pytest.param("ipo", "dpo", id="ipo-dpo"),
        pytest.param("orpo", "orpo", id="orpo"),
        pytest.param("simpo", "simpo", id="simpo"),
        pytest.param("kto", "kto", id="kto"),
        pytest.param("ebft", "other", id="ebft-other"),
    ],
)
def test_rl_values(rl: str, method: str) -> None:
    c = axolotl.DIALECT.to_canonical(root_of(f"base_model: m\nrl: {rl}\n"))
    assert c.method is not None
    assert c.method.value == method


def test_orpo_alpha_is_the_beta() -> None:
    c = axolotl.DIALECT.to_canonical(root_of("base_model: m\nrl: orpo\norpo_alpha: 0.2\n"))
    assert c.dpo_beta is not None
    assert (c.dpo_beta.value, c.dpo_beta.key) == (0.2, "orpo_alpha")


def test_dpo_beta_default() -> None:
    c = axolotl.DIALECT.to_canonical(root_of("base_model: m\nrl: dpo\n"))
    assert c.dpo_beta is not None
    assert (c.dpo_beta.value, c.dpo_beta.origin) == (0.1, "default")


def test_blank_adapter_is_full() -> None:
    c = axolotl.DIALECT.to_canonical(root_of("base_model: m\nadapter:\nlora_r: 8\n"))
    assert c.adapter is not None
    assert (c.adapter.value, c.adapter.origin) == ("full", "file")
    assert c.lora_rank is None


def test_completion_datasets_mean_pretraining() -> None:
    text = "base_model: m\ndatasets:\n  - path: a\n    type: completion\n"
    c = axolotl.DIALECT.to_canonical(root_of(text))
    assert c.method is not None
    assert (c.method.value, c.method.origin) == ("pretrain", "derived")


def test_modules_to_save() -> None:
    text = "base_model: m\nadapter: lora\nlora_modules_to_save:\n  - embed_tokens\n  - lm_head\n"
    got = axolotl.DIALECT.to_canonical(root_of(text)).modules_to_save
    assert got is not None
    assert (got.value, got.origin, line(got)) == (("embed_tokens", "lm_head"), "file", 4)


# -- corpus ---------------------------------------------------------------------------


def test_peft_use_rslora() -> None:
    text = "base_model: m\nadapter: lora\nlora_r: 16\nlora_alpha: 16\npeft_use_rslora: true\n"
    c = axolotl.DIALECT.to_canonical(root_of(text))
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
    c = axolotl.DIALECT.to_canonical(root_of("base_model: Qwen/Qwen3-8B\n" + section))
    assert c.adapter is not None
    assert c.method is not None
    assert c.lora_rank is not None
    assert (c.adapter.value, c.method.value, c.lora_rank.value) == ("lora", method, rank)
