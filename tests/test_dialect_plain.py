"""The plain (quick-reference) dialect: detection, canonical mapping, module groups.

What every dialect has (its fixtures detected, other dialects' files not claimed, the
canonical field table, fields left unset; the corpus of axolotl, LLaMA-Factory and TRL) is a
row of tests/test_dialects.py.
"""

from __future__ import annotations

import pytest

from cfgguard.canonical import Targets
from cfgguard.dialects import plain
from cfgguard.dialects.base import Reader
from tests.dialect_helpers import files_of, line, root_of, targets, value_origin

fixture, canonical, from_text = files_of("plain")


# -- detection --------------------------------------------------------------------


def test_dialect_metadata() -> None:
    assert plain.DIALECT.name == "plain"
    assert plain.DIALECT.profile == "yaml11"


# -- canonical mapping --------------------------------------------------------------


def test_yaml11_reads_exponent_as_text_but_the_field_is_a_number() -> None:
    root = fixture("sft.yaml")
    assert Reader(root, plain.PROFILE).value("learning_rate") == "5e-4"
    assert value_origin(plain.DIALECT.to_canonical(root).learning_rate) == (5e-4, "file")


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
    assert targets(plain.DIALECT.to_canonical(root_of(text))).names == ("qkv_proj", "o_proj")


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
        pytest.param("beta: 0.1\n", "dpo", id="beta-0.1-dpo"),
        pytest.param("group_size: 4\n", "grpo", id="group-size-4-grpo"),
        pytest.param("temperature: 0.7\n", "grpo", id="temperature-0.7-grpo"),
        pytest.param("beta: 0.1\ngroup_size: 4\n", "dpo", id="dpo"),
        pytest.param("", "sft", id="none-sft"),
    ],
)
def test_method_inference(extra: str, method: str) -> None:
    c = plain.DIALECT.to_canonical(root_of("base_model: m\nnum_steps: 10\n" + extra))
    assert value_origin(c.method) == (method, "derived")
