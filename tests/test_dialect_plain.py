"""The plain (quick-reference) dialect: detection, canonical mapping, module groups."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import pytest

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.dialects import detect, plain
from cfgguard.dialects.base import Reader
from cfgguard.yaml.nodes import Mapping
from tests.dialect_helpers import line, root_of, targets, value_origin

T = TypeVar("T")

FIXTURES = Path(__file__).parent / "fixtures" / "dialects" / "plain"


def fixture(name: str) -> Mapping:
    return root_of((FIXTURES / name).read_text(encoding="utf-8"))


def canonical(name: str) -> Canonical:
    return plain.to_canonical(fixture(name))


# -- detection --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("sft.yaml", 12.0),
        ("dpo.yaml", 10.0),
        ("grpo.yaml", 12.0),
        ("unknown_model.yaml", 9.0),
        ("full.yaml", 7.0),
    ],
)
def test_fixture_is_detected_as_plain(name: str, score: float) -> None:
    assert plain.detect(fixture(name)) == score
    detection = detect(fixture(name))
    assert detection is not None
    assert detection.dialect.name == "plain"


@pytest.mark.parametrize(
    "text",
    [
        # axolotl: base_model with its own vocabulary
        "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: 16\nlora_alpha: 32\n"
        "micro_batch_size: 2\nsequence_len: 4096\nlearning_rate: 2e-4\n",
        # axolotl that happens to share a plain key
        "base_model: m\nmax_seq_len: 2048\nmicro_batch_size: 2\nsequence_len: 2048\n"
        "num_epochs: 1\ndatasets: []\n",
        # base_model with only shared keys
        "base_model: m\nlearning_rate: 1e-4\nlora_alpha: 16\n",
        # torchtune top-level names without base_model
        "batch_size: 4\nnum_steps: 100\ntemperature: 0.7\nmodel:\n  _component_: a.b\n",
        # LLaMA-Factory and TRL
        "model_name_or_path: m\nstage: sft\nlora_rank: 8\ncutoff_len: 1024\n",
        "model_name_or_path: m\nper_device_train_batch_size: 4\nbeta: 0.1\n",
    ],
)
def test_does_not_claim_other_dialects(text: str) -> None:
    assert plain.detect(root_of(text)) == 0.0


def test_dialect_metadata() -> None:
    assert plain.DIALECT.name == "plain"
    assert plain.DIALECT.profile == "yaml11"


# -- canonical mapping --------------------------------------------------------------

SFT: list[tuple[str, object, str, int]] = [
    ("base_model", "meta-llama/Llama-3.1-8B-Instruct", "file", 1),
    ("method", "sft", "derived", 0),
    ("adapter", "lora", "derived", 2),
    ("lora_rank", 64, "file", 2),
    ("lora_alpha", 32.0, "file", 3),
    ("learning_rate", 5e-4, "file", 4),
    ("micro_batch_size", 16, "file", 5),
    ("max_steps", 5000, "file", 6),
    ("max_seq_len", 4096, "file", 7),
]


@pytest.mark.parametrize(("name", "value", "origin", "at"), SFT)
def test_sft_mapping(name: str, value: object, origin: str, at: int) -> None:
    got: Field[object] | None = getattr(canonical("sft.yaml"), name)
    assert got is not None
    assert got.value == value
    assert got.origin == origin
    if at:
        assert line(got) == at
    else:
        assert got.node is None


def test_yaml11_reads_exponent_as_text_but_the_field_is_a_number() -> None:
    root = fixture("sft.yaml")
    assert Reader(root, plain.PROFILE).value("learning_rate") == "5e-4"
    assert value_origin(plain.to_canonical(root).learning_rate) == (5e-4, "file")


def test_groups_expand_through_the_model_table() -> None:
    c = canonical("sft.yaml")
    t = targets(c)
    assert t.names == (
        "gate_proj",
        "up_proj",
        "down_proj",
        "q_proj",
        "k_proj",
        "v_proj",
        "o_proj",
        "lm_head",
    )
    assert [n.start.line + 1 for n in t.name_nodes] == [9, 9, 9, 10, 10, 10, 10, 11]
    assert t.output is True
    assert (t.all_linear, t.regex) == (False, None)
    assert value_origin(c.target_modules)[1] == "file"
    assert line(c.target_modules) == 9
    assert "target_module_groups" not in c.extra


def test_groups_of_an_unknown_model_are_kept_aside() -> None:
    c = canonical("unknown_model.yaml")
    t = targets(c)
    assert t.names == ("q_proj", "lm_head")
    assert t.output is True
    assert [n.start.column for n in t.name_nodes] == [23, 36]
    groups = c.extra["target_module_groups"]
    assert value_origin(groups) == (("attn", "mlp"), "file")
    assert line(groups) == 3
    assert groups.node is not None
    assert groups.node.start.column == 17


def test_fused_family_groups() -> None:
    text = "base_model: microsoft/phi-4\nlora_rank: 8\nbatch_size: 1\ntarget_modules: [attn]\n"
    assert targets(plain.to_canonical(root_of(text))).names == ("qkv_proj", "o_proj")


def test_all_linear_string() -> None:
    c = canonical("full.yaml")
    assert targets(c) == Targets(all_linear=True)
    assert value_origin(c.adapter) == ("full", "derived")
    assert c.adapter is not None
    assert c.adapter.node is None
    assert c.lora_rank is None


def test_dpo_method_and_beta() -> None:
    c = canonical("dpo.yaml")
    assert value_origin(c.method) == ("dpo", "derived")
    assert line(c.method) == 4
    assert value_origin(c.dpo_beta) == (0.1, "file")
    assert (c.group_size, c.temperature, c.target_modules) == (None, None, None)


def test_grpo_method_and_optimizer_settings() -> None:
    c = canonical("grpo.yaml")
    assert value_origin(c.method) == ("grpo", "derived")
    assert c.method is not None
    assert (c.method.key, line(c.method)) == ("group_size", 4)
    assert value_origin(c.group_size) == (8, "file")
    assert value_origin(c.temperature) == (0.7, "file")
    assert value_origin(c.optimizer) == ("adamw", "file")
    assert value_origin(c.adam_beta1) == (0.9, "file")
    assert value_origin(c.adam_beta2) == (0.999, "file")
    assert line(c.adam_beta2) == 10
    assert value_origin(c.adam_epsilon) == (1e-8, "file")
    assert value_origin(c.weight_decay) == (0.0, "file")
    assert value_origin(c.max_grad_norm) == (1.0, "file")
    assert value_origin(c.warmup_ratio) == (0.03, "file")
    assert value_origin(c.lr_scheduler) == ("cosine", "file")
    assert c.dpo_beta is None


@pytest.mark.parametrize(
    ("extra", "method"),
    [
        ("beta: 0.1\n", "dpo"),
        ("group_size: 4\n", "grpo"),
        ("temperature: 0.7\n", "grpo"),
        ("beta: 0.1\ngroup_size: 4\n", "dpo"),
        ("", "sft"),
    ],
)
def test_method_inference(extra: str, method: str) -> None:
    c = plain.to_canonical(root_of("base_model: m\nnum_steps: 10\n" + extra))
    assert value_origin(c.method) == (method, "derived")
