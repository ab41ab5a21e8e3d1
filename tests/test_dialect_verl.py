"""The verl dialect: detection, canonical mapping (values, origins, lines), corpus.

What every dialect has (its fixtures detected, other dialects' files not claimed, the
canonical field table, fields left unset; the corpus of axolotl, LLaMA-Factory and TRL) is a
row of tests/test_dialects.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.canonical import Targets
from cfgguard.dialects import detect, verl
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping
from tests.conftest import corpus_dir
from tests.dialect_helpers import files_of, line, root_of, value_origin

fixture, canonical, from_text = files_of("verl")


# -- detection --------------------------------------------------------------------


def test_score_is_capped() -> None:
    assert verl.detect(fixture("grpo_lora.yaml")) <= 20.0
    assert verl.DIALECT.name == "verl"
    assert verl.DIALECT.profile == "omegaconf"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        pytest.param("grpo_lora.yaml", "ppo", id="grpo-lora.yaml-kind=ppo"),
        pytest.param("hydra_user.yaml", "ppo", id="hydra-user.yaml-kind=ppo"),
        pytest.param("ppo_defaults.yaml", "ppo", id="ppo-defaults.yaml-kind=ppo"),
        pytest.param("sft.yaml", "sft", id="sft.yaml-kind=sft"),
        pytest.param("fragment_actor.yaml", None, id="fragment-actor.yaml-kind=none"),
        pytest.param("fragment_optim.yaml", None, id="fragment-optim.yaml-kind=none"),
        pytest.param("fragment_reward.yaml", None, id="fragment-reward.yaml-kind=none"),
    ],
)
def test_entry_point(name: str, kind: str | None) -> None:
    assert verl.entry_point(fixture(name)) == kind


# -- PPO/GRPO entry -----------------------------------------------------------------


def test_grpo_lora_targets_and_extras() -> None:
    c = canonical("grpo_lora.yaml")
    assert c.target_modules is not None
    t = c.target_modules.value
    assert t.names == ("q_proj", "k_proj", "v_proj", "o_proj")
    assert [n.start.line + 1 for n in t.name_nodes] == [13, 13, 13, 13]
    assert c.warmup_ratio is None  # lr_warmup_steps >= 0 wins
    assert c.extra["train_batch_size"].value == 512
    assert c.extra["ppo_mini_batch_size"].value == 128
    assert line(c.extra["kl_loss_coef"]) == 20
    assert c.devices is not None
    assert c.devices.note == "trainer.n_gpus_per_node (4) x trainer.nnodes (2)"


def test_ppo_defaults_from_the_generated_trainer() -> None:
    c = canonical("ppo_defaults.yaml")
    assert value_origin(c.method) == ("ppo", "default")
    assert c.method is not None
    assert c.method.key == "algorithm.adv_estimator"
    assert value_origin(c.adapter) == ("full", "default")
    assert value_origin(c.learning_rate) == (1e-6, "default")
    assert c.learning_rate is not None
    assert c.learning_rate.parent is not None  # the optim mapping, where lr would go
    assert c.learning_rate.parent.start.line + 1 == 10  # its first key
    assert (
        c.learning_rate.note == "verl 0.9.1 verl/trainer/config/_generated_ppo_trainer.yaml default"
    )
    assert value_origin(c.lr_scheduler) == ("constant", "default")
    assert value_origin(c.weight_decay) == (0.01, "default")
    assert value_origin(c.group_size) == (1, "default")
    assert value_origin(c.temperature) == (1.0, "default")
    assert (c.lora_rank, c.lora_alpha, c.target_modules) == (None, None, None)


def test_ppo_warmup_ratio_and_new_engine_clip() -> None:
    c = canonical("ppo_defaults.yaml")
    assert c.warmup_steps is None  # -1 delegates to the ratio
    assert value_origin(c.warmup_ratio) == (0.05, "file")
    assert line(c.warmup_ratio) == 11
    assert value_origin(c.max_grad_norm) == (2.0, "file")
    assert c.max_grad_norm is not None
    assert (c.max_grad_norm.key, line(c.max_grad_norm)) == (
        "actor_rollout_ref.actor.optim.clip_grad",
        12,
    )


def test_default_targets_for_lora_without_target_modules() -> None:
    text = "actor_rollout_ref:\n  model:\n    path: m\n    lora_rank: 8\n"
    c = verl.DIALECT.to_canonical(root_of(text))
    assert value_origin(c.adapter) == ("lora", "derived")
    assert value_origin(c.lora_alpha) == (16.0, "default")
    assert value_origin(c.target_modules) == (Targets(all_linear=True), "default")


def test_lora_rank_zero_is_full_from_the_file() -> None:
    c = verl.DIALECT.to_canonical(root_of("actor_rollout_ref:\n  model:\n    lora_rank: 0\n"))
    assert value_origin(c.adapter) == ("full", "derived")
    assert line(c.adapter) == 3
    assert c.lora_rank is None


@pytest.mark.parametrize(
    ("estimator", "method"),
    [
        pytest.param("gae", "ppo", id="estimator=gae-ppo"),
        pytest.param("grpo", "grpo", id="estimator=grpo"),
        pytest.param("grpo_passk", "grpo", id="estimator=grpo-passk"),
        pytest.param("rloo", "other", id="estimator=rloo-other"),
        pytest.param("reinforce_plus_plus", "other", id="estimator=reinforce-plus-plus-other"),
    ],
)
def test_adv_estimator_to_method(estimator: str, method: str) -> None:
    c = verl.DIALECT.to_canonical(root_of(f"algorithm:\n  adv_estimator: {estimator}\n"))
    assert value_origin(c.method) == (method, "derived")
    assert line(c.method) == 2


# -- interpolation ------------------------------------------------------------------


def test_resolver_interpolations_produce_no_value() -> None:
    c = canonical("hydra_user.yaml")
    assert c.base_model is None  # ${oc.env:MODEL_PATH}
    assert c.adapter is None  # lora_rank: ${oc.env:LORA_RANK} is unknown, not "full"
    assert c.lora_rank is None
    assert c.learning_rate is None  # ${oc.env:LR}: no default either
    assert c.max_grad_norm is None  # ${oc.select:clip,1.0}


def test_same_file_interpolation_is_followed() -> None:
    c = canonical("hydra_user.yaml")
    assert value_origin(c.temperature) == (0.6, "file")
    assert line(c.temperature) == 22  # the key's own value node
    assert value_origin(c.method) == ("other", "derived")
    assert value_origin(c.group_size) == (4, "file")
    assert value_origin(c.max_seq_len) == (1024, "derived")  # 512 + default 512


# -- SFT entry ----------------------------------------------------------------------


def test_sft_mapping() -> None:
    c = canonical("sft.yaml")
    assert value_origin(c.base_model) == ("meta-llama/Llama-3.2-3B", "file")
    assert line(c.base_model) == 6
    assert value_origin(c.method) == ("sft", "derived")
    assert value_origin(c.adapter) == ("lora", "derived")
    assert value_origin(c.lora_rank) == (16, "file")
    assert value_origin(c.target_modules) == (Targets(all_linear=True), "file")
    assert line(c.target_modules) == 9
    assert value_origin(c.learning_rate) == (1e-4, "file")
    assert line(c.learning_rate) == 11
    assert value_origin(c.lr_scheduler) == ("cosine", "default")
    assert value_origin(c.warmup_ratio) == (0.1, "default")
    assert value_origin(c.max_grad_norm) == (1.0, "default")
    assert value_origin(c.adam_beta2) == (0.95, "file")
    assert value_origin(c.micro_batch_size) == (8, "file")
    assert line(c.micro_batch_size) == 3
    assert value_origin(c.max_seq_len) == (2048, "file")
    assert value_origin(c.devices) == (8, "derived")
    assert value_origin(c.num_epochs) == (2.0, "file")


def test_sft_engine_layout_claims_no_sft_trainer_defaults() -> None:
    text = (
        "defaults:\n  - model@model: hf_model\n  - optim@optim: fsdp\n  - _self_\n"
        "data:\n  micro_batch_size_per_gpu: 4\n"
    )
    root = root_of(text)
    assert verl.entry_point(root) == "sft-engine"
    c = verl.DIALECT.to_canonical(root)
    assert value_origin(c.method) == ("sft", "derived")
    assert (c.learning_rate, c.lr_scheduler, c.warmup_ratio, c.max_grad_norm) == (
        None,
        None,
        None,
        None,
    )
    assert c.max_seq_len is None
    assert value_origin(c.micro_batch_size) == (4, "file")


def test_fragments_map_to_nothing() -> None:
    for name in ("fragment_actor.yaml", "fragment_optim.yaml", "fragment_reward.yaml"):
        assert canonical(name).items() == []


# -- corpus -------------------------------------------------------------------------

# verl config-group fragments no verl key identifies (none: each holds a verl-only key,
# a `_target_: verl.*`, an interpolation into actor_rollout_ref or a verl defaults entry)
UNRECOGNISED: dict[str, str] = {}

CORPUS_ENTRY_POINTS = {
    "examples__sglang_multiturn__config__gsm8k_multiturn_grpo.yaml": "ppo",
    "examples__split_placement__config__ppo_trainer_split.yaml": "ppo",
    "verl__experimental__transfer_queue__config__transfer_queue_ppo_megatron_trainer.yaml": "ppo",
    "verl__trainer__config__ppo_trainer.yaml": "ppo",
    "verl__trainer__config__sft_trainer.yaml": "sft",
    "verl__trainer__config__sft_trainer_engine.yaml": "sft-engine",
    "verl__trainer__config__actor__actor.yaml": None,
    "verl__trainer__config__algorithm__rollout_correction.yaml": None,
    "verl__trainer__config__model__hf_model.yaml": None,
    "verl__trainer__config__optim__megatron.yaml": None,
    "verl__trainer__config__reward_model__dp_reward_loop.yaml": None,
}


def _corpus(folder: str) -> list[Path]:
    return sorted(p for p in (corpus_dir() / folder).iterdir() if p.suffix in (".yaml", ".yml"))


def test_every_verl_corpus_file_is_verl() -> None:
    files = _corpus("verl")
    assert len(files) == 23
    got: dict[str, str | None] = {}
    for path in files:
        detection = detect(root_of(path.read_text(encoding="utf-8")))
        got[path.name] = detection.dialect.name if detection else None
    assert {n for n, d in got.items() if d is None} == set(UNRECOGNISED)
    assert {n: d for n, d in got.items() if d not in ("verl", None)} == {}


def test_verl_corpus_maps_without_error() -> None:
    for path in _corpus("verl"):
        root = root_of(path.read_text(encoding="utf-8"))
        c = verl.DIALECT.to_canonical(root)
        if verl.entry_point(root) is not None:
            assert c.method is not None, path.name


@pytest.mark.parametrize(("name", "kind"), sorted(CORPUS_ENTRY_POINTS.items()))
def test_corpus_entry_points(name: str, kind: str | None) -> None:
    path = corpus_dir() / "verl" / name
    assert verl.entry_point(root_of(path.read_text(encoding="utf-8"))) == kind


def test_corpus_split_placement_values() -> None:
    path = corpus_dir() / "verl" / "examples__split_placement__config__ppo_trainer_split.yaml"
    c = verl.DIALECT.to_canonical(root_of(path.read_text(encoding="utf-8")))
    assert value_origin(c.base_model) == ("~/models/deepseek-llm-7b-chat", "file")
    assert value_origin(c.method) == ("ppo", "derived")
    assert value_origin(c.learning_rate) == (1e-6, "file")
    assert value_origin(c.max_grad_norm) == (1.0, "file")
    assert c.max_grad_norm is not None
    assert c.max_grad_norm.key == "actor_rollout_ref.actor.grad_clip"
    assert value_origin(c.max_seq_len) == (1024, "derived")
    assert c.micro_batch_size is None  # null in the file


@pytest.mark.parametrize("folder", ["axolotl", "llamafactory", "trl", "alignment-handbook"])
def test_other_corpus_folders_are_not_verl(folder: str) -> None:
    for path in _corpus(folder):
        for doc in compose(path.read_text(encoding="utf-8")).documents:
            if isinstance(doc.root, Mapping):
                assert verl.detect(doc.root) == 0.0, path.name


def test_val_only_does_not_train() -> None:
    from cfgguard.dialects import verl
    from tests.dialect_helpers import root_of

    c = verl.DIALECT.to_canonical(
        root_of("algorithm:\n  adv_estimator: grpo\ntrainer:\n  val_only: true\n")
    )
    assert c.trains is not None
    assert c.trains.value is False


def test_actor_group_fragment_is_not_an_entry() -> None:
    from cfgguard.dialects import verl
    from tests.dialect_helpers import root_of

    text = "strategy: fsdp\nppo_mini_batch_size: 256\noptim:\n  lr: 1e-6\n"
    assert verl.entry_point(root_of(text)) is None
