"""The committed release data for verl and torchtune: well formed, and right at the
boundaries checked by hand in the released code (see the facts each case cites)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest
from packaging.version import Version

from cfgguard.knowledge.releases import load_data

DATA = Path(__file__).resolve().parents[2] / "src" / "cfgguard" / "knowledge" / "data"
ATTRS = {
    "type",
    "default",
    "choices",
    "aliases",
    "deprecated",
    "replacement",
    "line",
    "file",
    "help",
}
PACKAGES = ("verl", "torchtune")


def load(package: str) -> dict[str, Any]:
    return load_data(package)


def at(package: str, key_set: str, key: str, release: str) -> dict[str, Any] | None:
    """A key's attributes in a release, or None when the key set lacks it there."""
    data = load(package)
    index = data["releases"].index(release)
    for first, last, attrs in data["keys"][key_set].get(key, []):
        if first <= index <= last:
            return cast("dict[str, Any]", attrs)
    return None


def runs_ok(runs: list[Any], count: int) -> bool:
    previous = -1
    for run in runs:
        first, last = run[0], run[1]
        if not (previous < first <= last < count):
            return False
        previous = last
    return True


@pytest.mark.parametrize("package", PACKAGES)
def test_file_is_compact_json(package: str) -> None:
    text = (DATA / "releases" / f"{package}.json").read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text.count("\n") == 1
    assert ", " not in text[:2000]
    assert ": " not in text[:2000]


@pytest.mark.parametrize("package", PACKAGES)
def test_releases_and_runs_are_well_formed(package: str) -> None:
    data = load(package)
    assert data["package"] == package
    versions = [Version(v) for v in data["versions"]]
    assert versions == sorted(versions)
    assert data["releases"] == data["versions"]  # every release is extracted
    count = len(data["releases"])
    for name, runs in data["key_sets"].items():
        assert runs_ok(runs, count), name
        keys = data["keys"][name]
        assert keys, name
        for key, key_runs in keys.items():
            assert key, name
            assert runs_ok(key_runs, count), (name, key)
            for _, _, attrs in key_runs:
                assert set(attrs) <= ATTRS, (name, key)
                assert attrs["file"], (name, key)
                assert attrs["line"] > 0, (name, key)
    for name, runs in data["classes"].items():
        assert runs_ok(runs, count), name
    for name, runs in data["parsers"].items():
        assert runs_ok(runs, count), name
        for first, last, read in runs:
            for key_set in read:  # a parser names key sets present in its releases
                covered = {i for a, b, _ in data["key_sets"][key_set] for i in range(a, b + 1)}
                assert set(range(first, last + 1)) <= covered, (name, key_set)


def test_torchtune_releases() -> None:
    # 0.7.0 was never released; 0.0.1 (a placeholder upload) is below the plan's minimum
    assert load("torchtune")["releases"] == [
        "0.1.0",
        "0.1.1",
        "0.2.0",
        "0.2.1",
        "0.3.0",
        "0.3.1",
        "0.4.0",
        "0.5.0",
        "0.6.0",
        "0.6.1",
    ]


def test_verl_releases() -> None:
    assert load("verl")["releases"][:2] == ["0.1", "0.2"]
    assert load("verl")["releases"][-4:] == ["0.7.1", "0.8.0", "0.9.0", "0.9.1"]


@pytest.mark.parametrize(
    ("key", "release", "present"),
    [
        # verl 0.7.1 verl/trainer/config/ppo_trainer.yaml defaults `reward@reward: reward`
        pytest.param("reward.reward_manager.name", "0.7.0", False, id="reward-absent-0.7.0"),
        pytest.param("reward._target_", "0.8.0", True, id="reward-dataclass-0.8.0"),
        pytest.param("reward._target_", "0.9.1", True, id="reward-dataclass-0.9.1"),
        # dp_critic.yaml: `../engine@model.fsdp_config` (0.7.1) -> `../engine@fsdp` (0.8.0)
        pytest.param("critic.model.fsdp_config.param_offload", "0.7.1", True, id="old-critic"),
        pytest.param("critic.model.fsdp_config.param_offload", "0.8.0", False, id="old-gone"),
        pytest.param("critic.fsdp.param_offload", "0.7.1", False, id="new-critic-absent"),
        pytest.param("critic.fsdp.param_offload", "0.8.0", True, id="new-critic"),
        pytest.param("trainer.use_v1", "0.8.0", False, id="use-v1-absent-0.8.0"),
        pytest.param("trainer.use_v1", "0.9.0", True, id="use-v1-0.9.0"),
        pytest.param("data.val_batch_size", "0.9.1", True, id="val-batch-size-0.9.1"),
    ],
)
def test_verl_ppo_trainer_boundaries(key: str, release: str, present: bool) -> None:
    assert (at("verl", "ppo_trainer", key, release) is not None) is present


def test_verl_val_batch_size_still_read_but_deprecated() -> None:
    attrs = at("verl", "ppo_trainer", "data.val_batch_size", "0.9.1")
    assert attrs == {
        "default": "null",
        "deprecated": "WARNING: val_batch_size is deprecated.",
        "line": 9,  # where the run starting in 0.3.0.post0 writes it
        "file": "verl/trainer/config/ppo_trainer.yaml",
    }


def test_verl_rollout_n_default() -> None:
    attrs = at("verl", "ppo_trainer", "actor_rollout_ref.rollout.n", "0.9.1")
    assert attrs is not None
    assert (attrs["type"], attrs["default"]) == ("int", "1")


def test_verl_parsers() -> None:
    parsers = load("verl")["parsers"]
    releases = load("verl")["releases"]
    assert parsers["verl.trainer.main_ppo"] == [[0, len(releases) - 1, ["ppo_trainer"]]]


@pytest.mark.parametrize(
    ("recipe", "release", "present"),
    [
        pytest.param("full_finetune_single_device", "0.2.1", False, id="0.2.1"),
        pytest.param("full_finetune_single_device", "0.3.0", True, id="0.3.0"),
        pytest.param("lora_finetune_distributed", "0.3.0", False, id="distributed-0.3.0"),
        pytest.param("lora_finetune_distributed", "0.3.1", True, id="distributed-0.3.1"),
        pytest.param("lora_dpo_single_device", "0.6.1", False, id="dpo-never"),
    ],
)
def test_torchtune_clip_grad_norm(recipe: str, release: str, present: bool) -> None:
    assert (at("torchtune", recipe, "clip_grad_norm", release) is not None) is present


def test_torchtune_multi_dataset_recipe() -> None:
    keys = load("torchtune")["keys"]["dev/lora_finetune_distributed_multi_dataset"]
    assert sorted(k for k in keys if k.startswith(("datasets", "dataloader"))) == [
        "dataloader",
        "dataloader.collate_fn",
        "dataloader.num_workers",
        "dataloader.packed",
        "dataloader.parallel_method",
        "dataloader.pin_memory",
        "dataloader.prefetch_factor",
        "dataloader.shuffle",
        "dataloader.stop_criteria",
        "dataloader.streaming",
        "datasets",
        "datasets[]",  # splatted into load_hf_dataset(**cfg_dataset): free-form
    ]
    assert keys["datasets[]"][0][2]["type"] == "dict"


def test_torchtune_config_parsers() -> None:
    parsers = load("torchtune")["parsers"]
    assert parsers["config:llama3_2/1B_lora_single_device"][-1][2] == [
        "lora_finetune_single_device"
    ]


FACT_KEYS = {
    "loader", "package", "from", "to", "section", "within", "scope_note", "unknown_keys",
    "source", "note",
}  # fmt: skip


@pytest.mark.parametrize("package", PACKAGES)
def test_loader_facts(package: str) -> None:
    facts = json.loads((DATA / "loader_facts.json").read_text(encoding="utf-8"))["facts"]
    mine = [f for f in facts if f["package"] == package]
    assert mine
    releases = load(package)["releases"]
    for fact in mine:
        assert set(fact) <= FACT_KEYS
        assert fact["loader"] == package
        assert fact["unknown_keys"] in ("refused", "dropped", "warned")
        assert fact["from"] in releases
        assert fact["to"] is None or fact["to"] in releases
        assert f"{package} " in fact["source"]
