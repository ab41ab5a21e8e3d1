"""The LLaMA-Factory dialect: detection, canonical mapping (values, origins, lines), corpus.

What every dialect has (its fixtures detected, other dialects' files not claimed, the
canonical field table, fields left unset; the corpus of axolotl, LLaMA-Factory and TRL) is a
row of tests/test_dialects.py.
"""

from __future__ import annotations

import pytest

from cfgguard.canonical import Targets
from cfgguard.dialects import llamafactory
from tests.dialect_helpers import files_of, line, root_of

fixture, canonical, from_text = files_of("llamafactory")


# -- detection --------------------------------------------------------------------


def test_profile_is_omegaconf() -> None:
    assert llamafactory.DIALECT.profile == "omegaconf"


def test_without_model_name_only_unmistakable_keys_count() -> None:
    assert llamafactory.detect(root_of("stage: sft\nfinetuning_type: lora\n")) == 2.0
    assert llamafactory.detect(root_of("template: x\nlora_rank: 8\n")) == 0.0


# -- canonical mapping --------------------------------------------------------------


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
        pytest.param("all", Targets(all_linear=True), id="all"),
        pytest.param("[all]", Targets(all_linear=True), id="all-2"),
        # only `all` is special in LLaMA-Factory: `all-linear` names no module
        pytest.param("all-linear", Targets(names=("all-linear",)), id="all-linear"),
        pytest.param("[q_proj, k_proj]", Targets(names=("q_proj", "k_proj")), id="q-proj-k-proj"),
        pytest.param("q_proj", Targets(names=("q_proj",)), id="a-list-of-one-name-not-a-regex"),
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
        pytest.param("stage: dpo\npref_loss: sigmoid\n", "dpo", id="dpo"),
        pytest.param("stage: dpo\npref_loss: simpo\n", "simpo", id="simpo"),
        pytest.param("stage: dpo\npref_loss: kto_pair\n", "kto", id="kto"),
        pytest.param("stage: kto\n", "kto", id="stage-kto"),
        pytest.param("stage: rm\n", "rm", id="stage-rm"),
        pytest.param("stage: ppo\n", "ppo", id="stage-ppo"),
        pytest.param("stage: grpo\n", "other", id="unknown-task-at-train-time"),
    ],
)
def test_stage_and_pref_loss(text: str, method: str) -> None:
    c = from_text("model_name_or_path: m\n" + text)
    assert c.method is not None
    assert c.method.value == method


@pytest.mark.parametrize(
    ("text", "adapter"),
    [
        pytest.param("quantization_bit: 8\n", "lora", id="quantization-bit-8-adapter=lora"),
        pytest.param("quantization_bit: 4\nfinetuning_type: lora\n", "qlora", id="adapter=qlora"),
        pytest.param(
            "finetuning_type: freeze\n", "other", id="finetuning-type-freeze-adapter=other"
        ),
        pytest.param("finetuning_type: oft\n", "other", id="finetuning-type-oft-adapter=other"),
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


@pytest.mark.parametrize(
    ("text", "trains"),
    [
        pytest.param("do_train: true\n", True, id="do-train"),
        pytest.param("do_train: false\ndo_predict: true\n", False, id="predict-only"),
        pytest.param("do_predict: true\n", False, id="no-do-train"),  # transformers' False
    ],
)
def test_trains_only_under_do_train(text: str, trains: bool) -> None:
    c = llamafactory.DIALECT.to_canonical(root_of("model_name_or_path: m\nstage: sft\n" + text))
    assert c.trains is not None
    assert c.trains.value is trains


@pytest.mark.parametrize(
    ("text", "method", "variant"),
    [
        pytest.param("pref_loss: simpo\n", "simpo", "simpo", id="simpo"),
        pytest.param("pref_loss: sigmoid\n", "dpo", "sigmoid", id="sigmoid-is-dpo"),
        pytest.param("", "dpo", None, id="no-pref-loss"),
    ],
)
def test_v0_preference_loss_variant(text: str, method: str, variant: str | None) -> None:
    c = llamafactory.DIALECT.to_canonical(root_of("model_name_or_path: m\nstage: dpo\n" + text))
    assert c.method is not None
    assert c.method.value == method
    assert (c.loss_variant.value if c.loss_variant else None) == variant


@pytest.mark.parametrize(
    ("text", "rslora"),
    [
        pytest.param(
            "model_name_or_path: m\nfinetuning_type: lora\nuse_rslora: true\n", True, id="v0"
        ),
        pytest.param(
            "model: m\npeft_config:\n  name: lora\n  r: 8\n  use_rslora: true\n", True, id="v1"
        ),
        pytest.param("model_name_or_path: m\nfinetuning_type: lora\n", None, id="unset"),
    ],
)
def test_use_rslora(text: str, rslora: bool | None) -> None:
    c = llamafactory.DIALECT.to_canonical(root_of(text))
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
    c = llamafactory.DIALECT.to_canonical(
        root_of("model: Qwen/Qwen3-4B\nmicro_batch_size: 1\n" + text)
    )
    assert c.method is not None
    assert c.method.value == method
