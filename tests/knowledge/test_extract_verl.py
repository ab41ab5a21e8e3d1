"""The verl extractor on a small fake tree (tests/fixtures/knowledge/verl) and on trees
written here: Hydra's composition rules, key-set entries, classes, entry points, and
partial or broken trees (a vendored copy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.knowledge.extract import verl
from cfgguard.knowledge.extract._hydra import ConfigRepo, compose
from cfgguard.knowledge.extract._yamltree import leaves
from cfgguard.knowledge.extract.snapshot import FieldInfo, Snapshot
from cfgguard.knowledge.extract.tree import DirTree

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge" / "verl"
CONFIG = "verl/trainer/config"
PPO = f"{CONFIG}/ppo_trainer.yaml"
OPTIM = f"{CONFIG}/optim/fsdp.yaml"
ACTOR = f"{CONFIG}/actor/actor.yaml"


def fixture_snapshot() -> Snapshot:
    return verl.extract(DirTree(str(FIXTURE)), "0.0")


def rows(entries: tuple[FieldInfo, ...]) -> list[tuple[str, str, str, str, int]]:
    return [(e.name, e.type, e.default, e.file, e.line) for e in entries]


def write(root: Path, files: dict[str, str]) -> DirTree:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return DirTree(str(root))


def composed(tmp_path: Path, files: dict[str, str], name: str = "main") -> dict[str, str]:
    repo = ConfigRepo(write(tmp_path, files))
    result = compose(repo, ["conf"], name)
    assert result is not None
    return {path: leaf.text for path, leaf in leaves(result.tree)}


PPO_TRAINER = [
    ("model_engine", "str", "dp", f"{CONFIG}/model_engine/dp.yaml", 2),
    (
        "actor_rollout_ref.actor.optim._target_",
        "str",
        "verl.workers.config.FSDPOptimizerConfig",
        OPTIM,
        1,
    ),
    ("actor_rollout_ref.actor.optim.lr", "float", "1e-6", OPTIM, 2),
    ("actor_rollout_ref.actor.optim.warmup_style", "Optional[str]", "null", OPTIM, 3),
    ("actor_rollout_ref.actor.optim.lr_scheduler_type", "str", "constant", OPTIM, 4),
    ("actor_rollout_ref.actor.optim.override_optimizer_config", "dict", "null", OPTIM, 5),
    ("actor_rollout_ref.actor.optim.betas", "tuple[float, float]", "[0.9, 0.999]", OPTIM, 6),
    ("actor_rollout_ref.actor.optim.extra", "dict", "{a: 1}", OPTIM, 9),  # a dict field
    ("actor_rollout_ref.actor.strategy", "str", "fsdp", f"{CONFIG}/actor/dp_actor.yaml", 6),
    ("actor_rollout_ref.actor.ppo_epochs", "int", "2", PPO, 11),
    ("actor_rollout_ref.actor.clip_ratio", "float", "0.2", ACTOR, 3),
    (
        "actor_rollout_ref.actor.checkpoint.save_contents",
        "list",
        '["model", "optimizer"]',
        ACTOR,
        5,
    ),
    ("actor_rollout_ref.rollout.n", "int", "1", PPO, 13),
    ("actor_rollout_ref.rollout.engine_kwargs", "dict", "{}", PPO, 14),
    (
        "actor_rollout_ref.rollout.temperature",
        "float",
        "${oc.select:actor_rollout_ref.actor.clip_ratio,1.0}",
        PPO,
        15,
    ),
    ("custom_reward_function.path", "", "null", f"{CONFIG}/legacy_reward_impl.yaml", 2),
    ("data.val_batch_size", "", "null", PPO, 18),
    ("data.max_prompt_length", "int", "512", PPO, 19),
    ("trainer.use_v1", "bool", "true", PPO, 22),
]


def test_ppo_trainer_every_leaf_of_the_composition() -> None:
    assert rows(fixture_snapshot().key_sets["ppo_trainer"]) == PPO_TRAINER


def test_trainer_configs_found() -> None:
    # legacy_reward_impl is only included; ppo_veomni_trainer and ppo_mega_trainer exist as
    # _generated_ files only; async_trainer is an experimental entry point's config
    assert sorted(fixture_snapshot().key_sets) == [
        "async_trainer",
        "ppo_mega_trainer",
        "ppo_megatron_trainer",
        "ppo_trainer",
        "ppo_veomni_trainer",
    ]


def test_override_in_a_defaults_list_changes_the_included_choice() -> None:
    entries = {e.name: e for e in fixture_snapshot().key_sets["ppo_megatron_trainer"]}
    assert entries["model_engine"].default == "megatron"
    strategy = entries["actor_rollout_ref.actor.strategy"]
    assert (strategy.default, strategy.file) == ("megatron", f"{CONFIG}/actor/megatron_actor.yaml")
    assert not any(name.startswith("actor_rollout_ref.actor.optim") for name in entries)


def test_generated_file_without_source_is_composed_as_its_header_says() -> None:
    entries = fixture_snapshot().key_sets["ppo_mega_trainer"]
    assert rows(entries)[:2] == [
        ("model_engine", "str", "megatron", f"{CONFIG}/model_engine/megatron.yaml", 2),
        (
            "actor_rollout_ref.actor.strategy",
            "str",
            "megatron",
            f"{CONFIG}/actor/megatron_actor.yaml",
            5,
        ),
    ]


def test_generated_file_without_header_is_read_as_it_is() -> None:
    assert rows(fixture_snapshot().key_sets["ppo_veomni_trainer"]) == [
        (
            "actor_rollout_ref.actor.strategy",
            "str",
            "veomni",
            f"{CONFIG}/_generated_ppo_veomni_trainer.yaml",
            3,
        )
    ]


def test_search_path_and_primary_included_config() -> None:
    entries = rows(fixture_snapshot().key_sets["async_trainer"])
    assert entries[:-1] == PPO_TRAINER
    assert entries[-1] == (
        "async_training.staleness_threshold",
        "float",
        "0.1",
        "verl/experimental/async/config/async_trainer.yaml",
        10,
    )


@pytest.mark.parametrize("stem", ["ppo_trainer", "ppo_mega_trainer"])
def test_composition_agrees_with_generated_file(stem: str) -> None:
    assert verl.disagreements(ConfigRepo(DirTree(str(FIXTURE))), CONFIG, stem) == []


def test_disagreement_is_reported(tmp_path: Path) -> None:
    tree = write(
        tmp_path,
        {
            "conf/main.yaml": "a: 1\nb: 2\n",
            "conf/_generated_main.yaml": "a: 1.5e+00\nc: 3\n",
        },
    )
    assert verl.disagreements(ConfigRepo(tree), "conf", "main") == [
        "only composed: b",
        "only generated: c",
        "differs: a",
    ]


def test_parsers_from_hydra_main() -> None:
    assert fixture_snapshot().parsers == {
        "verl.experimental.async.main": ("async_trainer",),
        "verl.trainer.main_ppo": ("ppo_trainer",),
    }


def test_classes_with_bases_choices_and_deprecation() -> None:
    snap = fixture_snapshot()
    assert [(c.name, c.file, c.line, c.bases) for c in snap.classes] == [
        ("FSDPOptimizerConfig", "verl/workers/config/optimizer.py", 22, ("OptimizerConfig",)),
        ("OptimizerConfig", "verl/workers/config/optimizer.py", 9, ("BaseConfig",)),
        ("BaseConfig", "verl/base_config.py", 5, ()),
    ]
    optimizer = snap.class_named("OptimizerConfig")
    assert optimizer is not None
    fields = {f.name: f for f in optimizer.fields}
    assert fields["lr_scheduler_type"].choices == ("constant", "cosine")
    assert fields["warmup_style"].deprecated == (
        "`warmup_style` is deprecated, use `lr_scheduler_type` instead."
    )
    assert fields["warmup_style"].replacement == "lr_scheduler_type"


def test_dataclass_section_entries() -> None:
    entries = {e.name: e for e in fixture_snapshot().key_sets["ppo_trainer"]}
    target = entries["actor_rollout_ref.actor.optim._target_"]
    assert target.help == "dataclass section: FSDPOptimizerConfig"
    scheduler = entries["actor_rollout_ref.actor.optim.lr_scheduler_type"]
    assert scheduler.choices == ("constant", "cosine")  # from the base class
    warmup = entries["actor_rollout_ref.actor.optim.warmup_style"]
    assert warmup.replacement == "actor_rollout_ref.actor.optim.lr_scheduler_type"


def test_deprecation_the_trainer_code_prints() -> None:
    entries = {e.name: e for e in fixture_snapshot().key_sets["ppo_trainer"]}
    assert entries["data.val_batch_size"].deprecated == "WARNING: val_batch_size is deprecated."
    assert entries["data.max_prompt_length"].deprecated == ""


def test_tree_that_is_the_package_folder() -> None:
    snap = verl.extract(DirTree(str(FIXTURE / "verl")), "0.0")
    assert sorted(snap.key_sets) == sorted(fixture_snapshot().key_sets)
    assert snap.parsers == fixture_snapshot().parsers
    assert [c.name for c in snap.classes] == [c.name for c in fixture_snapshot().classes]
    assert snap.key_sets["ppo_trainer"][1].file == "trainer/config/optim/fsdp.yaml"


MAIN = "defaults:\n  - grp@here: one\n  - _self_\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"conf/main.yaml": "defaults:\n  - _self_\n  - g: x\na: 1\n", "conf/g/x.yaml": "b: 2"},
            {"a": "1", "g.b": "2"},
            id="group-package-defaults-to-the-group",
        ),
        pytest.param(
            {
                "conf/main.yaml": "defaults:\n  - _self_\n  - g@a: x\na:\n  b: 1\n",
                "conf/g/x.yaml": "b: 2\n",
            },
            {"a.b": "2"},
            id="self-first-is-overridden",
        ),
        pytest.param(
            {"conf/main.yaml": "defaults:\n  - g@a: x\na:\n  b: 1\n", "conf/g/x.yaml": "b: 2\n"},
            {"a.b": "1"},
            id="missing-self-is-appended-last",
        ),
        pytest.param(
            {"conf/main.yaml": "defaults: [g: x]\n", "conf/g/x.yaml": "# @package _global_\nc: 1"},
            {"c": "1"},
            id="global-header",
        ),
        pytest.param(
            {
                "conf/main.yaml": "defaults:\n  - g@a.b: x\n",
                "conf/g/x.yaml": "# @package _global_\nc: 1\n",
            },
            {"a.b.c": "1"},
            id="entry-package-wins-over-header",
        ),
        pytest.param(
            {
                "conf/main.yaml": "defaults:\n  - g: [x, y]\n",
                "conf/g/x.yaml": "a: 1\nb: 1\n",
                "conf/g/y.yaml": "b: 2\n",
            },
            {"g.a": "1", "g.b": "2"},
            id="list-of-options",
        ),
        pytest.param(
            {"conf/main.yaml": "defaults:\n  - g: null\na: 1\n", "conf/g/x.yaml": "b: 2\n"},
            {"a": "1"},
            id="null-option",
        ),
        pytest.param(
            {
                "conf/main.yaml": "defaults:\n  - sub@s: inner\n",
                "conf/sub/inner.yaml": "defaults:\n  - /g@deep: x\n  - ../g@rel: x\n  - base\n",
                "conf/sub/base.yaml": "k: 1\n",
                "conf/g/x.yaml": "v: 2\n",
            },
            {"s.deep.v": "2", "s.rel.v": "2", "s.k": "1"},
            id="absolute-relative-and-config-entries",
        ),
        pytest.param(
            {
                "conf/main.yaml": "defaults:\n  - g@_here_: x\n",
                "conf/g/x.yaml": "v: 1\n",
            },
            {"v": "1"},
            id="here-package",
        ),
        pytest.param(
            {
                "conf/main.yaml": "defaults:\n  - g: x\n  - _self_\ng:\n  v: ???\n",
                "conf/g/x.yaml": "v: 1\n",
            },
            {"g.v": "1"},
            id="missing-value-does-not-replace",
        ),
        pytest.param(
            {
                "conf/main.yaml": "defaults:\n  - g: x\n  - _self_\ng: 3\n",
                "conf/g/x.yaml": "v: 1\n",
            },
            {"g": "3"},
            id="scalar-replaces-mapping",
        ),
        pytest.param(
            {
                "conf/main.yaml": "defaults:\n  - e: a\n  - g: ${e}_x\n",
                "conf/e/b.yaml": "# @package _global_\ne: b\n",
                "conf/e/a.yaml": "# @package _global_\ne: a\n",
                "conf/g/a_x.yaml": "v: 1\n",
            },
            {"e": "a", "g.v": "1"},
            id="interpolated-option",
        ),
    ],
)
def test_composition_rules(tmp_path: Path, files: dict[str, str], expected: dict[str, str]) -> None:
    assert composed(tmp_path, files) == expected


def test_override_reaches_an_included_config(tmp_path: Path) -> None:
    files = {
        "conf/main.yaml": "defaults:\n  - base\n  - override e: b\n  - _self_\n",
        "conf/base.yaml": "defaults:\n  - e: a\n  - g: ${e}_x\n",
        "conf/e/a.yaml": "# @package _global_\ne: a\n",
        "conf/e/b.yaml": "# @package _global_\ne: b\n",
        "conf/g/a_x.yaml": "v: 1\n",
        "conf/g/b_x.yaml": "v: 2\n",
    }
    assert composed(tmp_path, files) == {"e": "b", "g.v": "2"}


def test_missing_files_are_reported_not_fatal(tmp_path: Path) -> None:
    files = {
        "conf/main.yaml": (
            "defaults:\n  - gone@x: y\n  - optional maybe: z\n  - absent_config\n"
            "  - g: ${nowhere}\n  - _self_\nkept: 1\n"
        ),
    }
    repo = ConfigRepo(write(tmp_path, files))
    result = compose(repo, ["conf"], "main")
    assert result is not None
    assert result.missing == ("gone/y", "absent_config", "g/${nowhere}")
    assert {p: leaf.text for p, leaf in leaves(result.tree)} == {"kept": "1"}


def test_config_that_includes_itself_ends(tmp_path: Path) -> None:
    files = {"conf/main.yaml": "defaults:\n  - main\n  - _self_\na: 1\n"}
    assert composed(tmp_path, files) == {"a": "1"}


def test_vendored_partial_copy(tmp_path: Path) -> None:
    """A repository's copy of ppo_trainer.yaml alone (as SkyThought vendors one)."""
    tree = write(
        tmp_path,
        {
            "rl/verl/trainer/config/ppo_trainer.yaml": (
                "defaults:\n  - actor@actor_rollout_ref.actor: dp_actor\n  - _self_\n"
                "data:\n  train_batch_size: 8\n"
            ),
            "rl/verl/trainer/main_ppo_sky.py": (
                "import hydra\n\n@hydra.main(config_path='config', config_name='ppo_trainer')\n"
                "def main(config):\n    pass\n"
            ),
        },
    )
    snap = verl.extract(tree, "vendored")
    assert rows(snap.key_sets["ppo_trainer"]) == [
        ("data.train_batch_size", "int", "8", "rl/verl/trainer/config/ppo_trainer.yaml", 5)
    ]
    assert snap.parsers == {"verl.trainer.main_ppo_sky": ("ppo_trainer",)}


def test_partial_copy_falls_back_to_its_generated_file(tmp_path: Path) -> None:
    tree = write(
        tmp_path,
        {
            "verl/trainer/config/ppo_trainer.yaml": "defaults:\n  - gone: x\n  - _self_\na: 1\n",
            "verl/trainer/config/_generated_ppo_trainer.yaml": "a: 1\ngone:\n  b: 2\n",
        },
    )
    entries = verl.extract(tree, "vendored").key_sets["ppo_trainer"]
    assert [(e.name, e.file) for e in entries] == [
        ("a", "verl/trainer/config/_generated_ppo_trainer.yaml"),
        ("gone.b", "verl/trainer/config/_generated_ppo_trainer.yaml"),
    ]


def test_broken_files_are_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "verl/trainer/config/ppo_trainer.yaml": "defaults:\n  - bad: x\n  - _self_\na: [1\n",
            "verl/trainer/config/bad/x.yaml": "- a list\n",
            "verl/trainer/config/sft_trainer.yaml": "b: 1\n",
            "verl/trainer/config/list.yaml": "- 1\n",
            "verl/trainer/main_ppo.py": "@hydra.main(config_name=\n",
            "verl/workers/config/broken.py": "@dataclass\nclass X(:\n",
            "verl/trainer/config/binary.yaml": "\x00\x01",
        },
    )
    (tmp_path / "verl/trainer/config/latin1.yaml").write_bytes(b"a: \xe9\n")
    snap = verl.extract(DirTree(str(tmp_path)), "broken")
    assert {name: rows(entries) for name, entries in snap.key_sets.items()} == {
        "sft_trainer": [("b", "int", "1", "verl/trainer/config/sft_trainer.yaml", 1)]
    }
    assert snap.parsers == {}
    assert snap.classes == ()
