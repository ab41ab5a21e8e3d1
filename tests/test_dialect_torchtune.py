"""The torchtune dialect: detection, canonical mapping (values, origins, lines), corpus.

What every dialect has (its fixtures detected, other dialects' files not claimed, the
canonical field table, fields left unset; the corpus of axolotl, LLaMA-Factory and TRL) is a
row of tests/test_dialects.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.dialects import detect, torchtune
from cfgguard.dialects.torchtune import read as torchtune_read
from cfgguard.knowledge.models import resolve
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping
from tests.conftest import corpus_dir
from tests.dialect_helpers import files_of, line, root_of, targets

fixture, canonical, from_text = files_of("torchtune")


# -- detection --------------------------------------------------------------------


def test_nested_component_is_enough() -> None:
    text = "training:\n  optimizer:\n    _component_: torch.optim.AdamW\n    lr: 1e-5\n"
    assert torchtune.detect(root_of(text)) == 10.0


def test_dialect_metadata() -> None:
    assert torchtune.DIALECT.name == "torchtune"
    assert torchtune.DIALECT.profile == "omegaconf"


# -- canonical mapping --------------------------------------------------------------


def test_lora_sft_unset_fields() -> None:
    c = canonical("lora_sft.yaml")
    assert (c.max_steps, c.dpo_beta, c.group_size, c.temperature, c.warmup_ratio) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert c.devices is None
    assert "max_steps_per_epoch" not in c.extra  # null: no cap


def test_lora_sft_base_model_resolves() -> None:
    c = canonical("lora_sft.yaml")
    assert c.base_model is not None
    assert c.base_model.key == "checkpointer.checkpoint_dir"
    facts = resolve(c.base_model.value)
    assert facts is not None
    assert facts.id == "meta-llama/Llama-3.1-8B"


def test_lora_targets_are_hf_names_with_yaml_nodes() -> None:
    c = canonical("lora_sft.yaml")
    t = targets(c)
    assert t.names == ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
    assert t.all_linear is False
    assert t.regex is None
    assert t.output is True
    # flow list items on line 6 (output_proj is recorded as o_proj); MLP from line 7
    assert [n.start.line + 1 for n in t.name_nodes] == [6, 6, 6, 6, 7, 7, 7]
    assert [n.start.column for n in t.name_nodes[:4]] == [22, 32, 42, 52]
    assert c.target_modules is not None
    assert c.target_modules.origin == "file"
    assert c.target_modules.key == "model.lora_attn_modules"


def test_hf_name_in_lora_attn_modules_is_reported_as_ignored() -> None:
    extra = canonical("lora_sft.yaml").extra["lora_attn_modules_ignored"]
    assert extra.value == ("o_proj",)
    assert line(extra) == 6
    assert extra.node is not None
    assert extra.node.start.column == 67


def test_apply_lora_switches_are_kept_with_their_origin() -> None:
    c = canonical("lora_sft.yaml")
    assert c.extra["apply_lora_to_output"].value is True
    assert line(c.extra["apply_lora_to_output"]) == 8
    d = canonical("qlora_builder_only.yaml")
    out = d.extra["apply_lora_to_output"]
    assert (out.value, out.origin, out.node) == (False, "default", None)
    assert out.parent is not None
    assert out.parent.start.line + 1 == 3  # the model mapping, where the key would go
    assert targets(d).output is False


def test_qlora_builder_without_checkpointer() -> None:
    c = canonical("qlora_builder_only.yaml")
    assert c.base_model is not None
    assert c.base_model.value == "meta-llama/Llama-3.2-3B"
    assert c.base_model.origin == "derived"
    assert c.base_model.key == "model._component_"
    assert "qlora_llama3_2_3b" in c.base_model.note
    assert line(c.base_model) == 3
    assert c.adapter is not None
    assert (c.adapter.value, line(c.adapter)) == ("qlora", 3)
    for f, value in ((c.lora_rank, 8), (c.lora_alpha, 16.0), (c.lora_dropout, 0.0)):
        assert f is not None
        assert (f.value, f.origin, f.node) == (value, "default", None)
        assert "torchtune 0.6.1 torchtune/models/llama3_1/_model_builders.py:86-90" in f.note
    assert targets(c).names == ("q_proj", "v_proj")
    assert c.extra["max_steps_per_epoch"].value == 500
    assert line(c.extra["max_steps_per_epoch"]) == 11
    assert c.max_steps is None  # a per-epoch cap is not a total


def test_dpo_loss_gives_method_and_default_beta() -> None:
    c = canonical("dpo.yaml")
    assert c.method is not None
    assert (c.method.value, c.method.origin, line(c.method)) == ("dpo", "derived", 15)
    assert c.dpo_beta is not None
    assert (c.dpo_beta.value, c.dpo_beta.origin, c.dpo_beta.node) == (0.1, "default", None)
    assert c.dpo_beta.key == "loss.beta"
    assert targets(c).names == ("q_proj", "v_proj", "o_proj")  # apply_lora_to_mlp: False
    assert c.extra["apply_lora_to_mlp"].value is False
    assert c.learning_rate is not None
    assert c.learning_rate.value == 5e-6


def test_grpo_recipe_keys() -> None:
    c = canonical("grpo.yaml")
    assert c.method is not None
    assert (c.method.value, line(c.method)) == ("grpo", 13)
    assert c.adapter is not None
    assert c.adapter.value == "full"
    assert (c.lora_rank, c.lora_alpha, c.target_modules) == (None, None, None)
    assert c.group_size is not None
    assert (c.group_size.value, line(c.group_size)) == (16, 18)
    assert c.temperature is not None
    assert (c.temperature.value, line(c.temperature)) == (1.0, 19)
    assert c.max_steps is not None
    assert (c.max_steps.value, line(c.max_steps)) == (200, 21)
    assert c.max_seq_len is None  # max_seq_len: null


def test_grpo_samples_alone_means_grpo() -> None:
    c = torchtune.DIALECT.to_canonical(
        root_of("grpo_samples: 8\nmodel:\n  _component_: a.b.qwen2_5_3b\n")
    )
    assert c.method is not None
    assert (c.method.value, c.method.key, line(c.method)) == ("grpo", "grpo_samples", 1)


def test_ppo_reads_policy_model() -> None:
    c = canonical("ppo.yaml")
    assert c.method is not None
    assert (c.method.value, line(c.method)) == ("ppo", 12)
    assert c.adapter is not None
    assert (c.adapter.value, c.adapter.key, line(c.adapter)) == (
        "full",
        "policy_model._component_",
        2,
    )
    assert c.optimizer is not None
    assert c.optimizer.value == "PagedAdamW"
    assert c.max_steps is not None
    assert (c.max_steps.value, line(c.max_steps)) == (10000, 18)
    assert c.temperature is not None
    assert c.temperature.value == 0.7
    assert c.group_size is None


def test_kd_counts_as_sft() -> None:
    text = "kd_loss:\n  _component_: torchtune.modules.loss.ForwardKLLoss\nkd_ratio: 0.5\n"
    c = torchtune.DIALECT.to_canonical(root_of(text))
    assert c.method is not None
    assert (c.method.value, c.method.key, line(c.method)) == ("sft", "kd_loss", 2)
    assert "distillation" in c.method.note


def test_quantize_base_means_qlora() -> None:
    text = (
        "model:\n  _component_: torchtune.models.llama3.lora_llama3_8b\n"
        "  lora_attn_modules: [q_proj]\n  quantize_base: True\n  use_dora: True\n"
    )
    c = torchtune.DIALECT.to_canonical(root_of(text))
    assert c.adapter is not None
    assert (c.adapter.value, c.adapter.key, line(c.adapter)) == ("qlora", "model.quantize_base", 4)
    assert c.extra["use_dora"].value is True


def test_phi3_fused_projections() -> None:
    t = targets(canonical("phi3_lora.yaml"))
    assert t.names == ("qkv_proj", "o_proj", "gate_up_proj", "down_proj")
    assert [n.start.line + 1 for n in t.name_nodes] == [3, 3, 4, 4]


def test_unknown_checkpoint_keeps_the_directory() -> None:
    c = canonical("unknown_model.yaml")
    assert c.base_model is not None
    assert (c.base_model.value, c.base_model.origin) == ("/ckpt/my-tiny-llama/", "derived")
    assert line(c.base_model) == 8
    assert resolve(c.base_model.value) is None
    assert c.adapter is not None
    assert c.adapter.value == "full"


# -- interpolation ------------------------------------------------------------------


def test_same_file_interpolations_are_followed() -> None:
    c = canonical("interpolation.yaml")
    assert c.lora_rank is not None
    assert (c.lora_rank.value, c.lora_rank.origin, line(c.lora_rank)) == (64, "file", 6)
    assert c.max_seq_len is not None
    assert (c.max_seq_len.value, line(c.max_seq_len)) == (2048, 11)
    assert c.base_model is not None
    assert (c.base_model.value, line(c.base_model)) == ("/models/Qwen3-8B", 14)
    facts = resolve(c.base_model.value)
    assert facts is not None
    assert facts.id == "Qwen/Qwen3-8B"


def test_resolver_interpolations_stay_unknown() -> None:
    c = canonical("interpolation.yaml")
    assert c.learning_rate is None  # ${oc.env:LR}
    assert c.weight_decay is None  # ${oc.select:wd,0.01}


def test_unresolvable_checkpoint_dir_falls_back_to_builder() -> None:
    text = (
        "model:\n  _component_: torchtune.models.gemma2.lora_gemma2_9b\n"
        "  lora_attn_modules: [q_proj]\n"
        "checkpointer:\n  checkpoint_dir: ${oc.env:CKPT}\n"
    )
    c = torchtune.DIALECT.to_canonical(root_of(text))
    assert c.base_model is not None
    assert (c.base_model.value, c.base_model.key) == ("google/gemma-2-9b", "model._component_")


def test_omegaconf_floats() -> None:
    c = torchtune.DIALECT.to_canonical(
        root_of("optimizer:\n  _component_: torch.optim.AdamW\n  lr: 5e-4\n")
    )
    assert c.learning_rate is not None
    assert c.learning_rate.value == 5e-4


# -- builder table ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "model_id"),
    [
        pytest.param(
            "torchtune.models.llama3_1.lora_llama3_1_8b",
            "meta-llama/Llama-3.1-8B",
            id="model-id=meta-llama-llama-3.1-8b",
        ),
        pytest.param(
            "torchtune.models.llama3_1.qlora_llama3_1_405b",
            "meta-llama/Llama-3.1-405B",
            id="model-id=meta-llama-llama-3.1-405b",
        ),
        pytest.param(
            "torchtune.models.qwen2_5.qwen2_5_7b_instruct",
            "Qwen/Qwen2.5-7B-Instruct",
            id="model-id=qwen-qwen2.5-7b-instruct",
        ),
        pytest.param(
            "torchtune.models.qwen3.lora_qwen3_8b_base",
            "Qwen/Qwen3-8B-Base",
            id="model-id=qwen-qwen3-8b-base",
        ),
        pytest.param(
            "torchtune.models.gemma.gemma_2b", "google/gemma-2b", id="model-id=google-gemma-2b"
        ),
        pytest.param(
            "torchtune.models.phi3.qlora_phi3_mini", "microsoft/Phi-3-mini-4k-instruct", id="FIXME5"
        ),
        pytest.param(
            "torchtune.models.phi4.phi4_14b", "microsoft/phi-4", id="model-id=microsoft-phi-4"
        ),
        pytest.param(
            "torchtune.models.mistral.mistral_7b",
            "mistralai/Mistral-7B-v0.1",
            id="model-id=mistralai-mistral-7b-v0.1",
        ),
        pytest.param("torchtune.models.llama2.llama2", None, id="model-id=none"),
        pytest.param("torchtune.models.llama2.llama2_classifier", None, id="model-id=none-2"),
    ],
)
def test_builder_model_id(component: str, model_id: str | None) -> None:
    assert torchtune_read.builder_model_id(component) == model_id


def test_builder_table_ids_that_the_model_table_knows() -> None:
    unknown = {b: i for b, i in torchtune_read.builder_ids().items() if resolve(i) is None}
    assert set(unknown) == {
        "llama3_2_vision_11b",
        "llama3_2_vision_90b",
        "qwen2_0_5b",
        "qwen2_1_5b",
    }


# -- corpus -------------------------------------------------------------------------


def _corpus(folder: str) -> list[Path]:
    return sorted(p for p in (corpus_dir() / folder).iterdir() if p.suffix in (".yaml", ".yml"))


def test_every_torchtune_corpus_file_is_torchtune() -> None:
    files = _corpus("torchtune")
    assert len(files) == 83
    wrong: dict[str, str | None] = {}
    for path in files:
        detection = detect(root_of(path.read_text(encoding="utf-8")))
        name = detection.dialect.name if detection else None
        if name != "torchtune":
            wrong[path.name] = name
    assert wrong == {}


def test_torchtune_corpus_maps_without_error() -> None:
    missing: list[str] = []
    for path in _corpus("torchtune"):
        c = torchtune.DIALECT.to_canonical(root_of(path.read_text(encoding="utf-8")))
        if c.base_model is None or c.method is None or c.adapter is None:
            missing.append(path.name)
    assert missing == []


@pytest.mark.parametrize("folder", ["axolotl", "llamafactory", "trl", "alignment-handbook", "verl"])
def test_other_corpus_folders_have_no_component(folder: str) -> None:
    for path in _corpus(folder):
        for doc in compose(path.read_text(encoding="utf-8")).documents:
            if isinstance(doc.root, Mapping):
                assert torchtune.detect(doc.root) == 0.0, path.name


def test_rope_scaling_under_the_model_builder() -> None:
    text = (
        "model:\n  _component_: my.models.qwen3_8b_yarn\n  rope_scaling:\n"
        "    rope_type: yarn\n    factor: 4.0\n"
    )
    config = torchtune.DIALECT.to_canonical(root_of(text))
    assert config.rope_scaling is not None
    assert (config.rope_scaling.value, config.rope_scaling.key) == (
        "yarn",
        "model.rope_scaling.rope_type",
    )
