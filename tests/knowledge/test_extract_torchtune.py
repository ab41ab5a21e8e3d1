"""The torchtune extractor on a small fake tree (tests/fixtures/knowledge/torchtune) and
on trees written here: every way a recipe reads its cfg, components, the registry, keys
shipped configs reference with ${...}, and partial or broken trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.knowledge.extract import torchtune
from cfgguard.knowledge.extract.snapshot import FieldInfo, Snapshot
from cfgguard.knowledge.extract.tree import DirTree

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge" / "torchtune"
LORA = "recipes/lora_finetune_single_device.py"
MULTI = "recipes/dev/multi_dataset.py"
TINY = "recipes/configs/llama/tiny_lora.yaml"
CLIENT = "torchtune/training/checkpointing.py"


def fixture_snapshot() -> Snapshot:
    return torchtune.extract(DirTree(str(FIXTURE)), "0.0")


def rows(entries: tuple[FieldInfo, ...]) -> list[tuple[str, str, str, int, str]]:
    return [(e.name, e.type, e.default, e.line, e.file) for e in entries]


def write(root: Path, files: dict[str, str]) -> DirTree:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return DirTree(str(root))


def test_lora_recipe_reads() -> None:
    assert rows(fixture_snapshot().key_sets["lora_finetune_single_device"]) == [
        ("loss.num_output_chunks", "int", "8", 9, LORA),  # module-level helper given cfg.loss
        ("device", "", "", 14, LORA),
        ("log_every_n_steps", "int", "1", 15, LORA),  # cfg.get(LOG_KEY, 1)
        ("clip_grad_norm", "", "None", 16, LORA),
        ("compile", "bool", "False", 21, LORA),
        ("model", "component", "", 21, LORA),  # its lora_rank is an argument: not listed
        ("tokenizer", "component", "", 23, LORA),  # cfg["tokenizer"]
        ("collate_fn", "import path", "'torchtune.data.padded_collate_sft'", 24, LORA),
        ("batch_size", "", "", 25, LORA),
        ("dataset", "component", "", 25, LORA),  # positional argument of a method
        ("profiler", "component", "None", 26, LORA),  # PROFILER_KEY from torchtune.training
        ("loss", "", "", 27, LORA),
        ("seed", "", "None", 28, LORA),  # "seed" in cfg
        ("dataset[]", "component", "", 39, LORA),  # a list of datasets
        ("eval_every", "int", "100", 50, LORA),  # getattr(self._cfg, ...)
        ("output_dir", "", "", 7, TINY),
    ]


def test_referenced_keys_say_so() -> None:
    entries = {e.name: e for e in fixture_snapshot().key_sets["lora_finetune_single_device"]}
    assert entries["output_dir"].help == "referenced as ${output_dir}"
    assert entries["device"].help == ""
    # ${model.lora_rank} and ${checkpointer.output_dir} are arguments of components
    # (_component_ sections of the config); commented ${...} are no reads
    assert "model.lora_rank" not in entries
    assert "checkpointer.output_dir" not in entries
    assert "commented_out" not in entries
    assert "not_a_key" not in entries


def test_list_section_items_and_kwargs() -> None:
    assert rows(fixture_snapshot().key_sets["dev/multi_dataset"]) == [
        ("dataloader.num_workers", "int", "0", 6, MULTI),
        ("datasets[]", "dict", "", 10, MULTI),  # **cfg_dataset: free keyword arguments, so
        # its transform and weight, read before, are not listed
        ("dataloader.shuffle", "", "", 11, MULTI),
        ("dataloader", "", "", 16, MULTI),
        ("datasets", "", "", 16, MULTI),
        ("tokenizer", "component", "", 18, MULTI),  # the other recipe instantiates it
        # CheckpointClient(cfg), imported from the package, is read too
        ("checkpointer", "component", "", 6, CLIENT),
        ("enable_async_checkpointing", "bool", "False", 10, CLIENT),
    ]


def test_parsers_from_the_registry() -> None:
    assert fixture_snapshot().parsers == {
        "dev/multi_dataset": ("dev/multi_dataset",),
        "lora_finetune_single_device": ("lora_finetune_single_device",),
        "config:llama/tiny_lora": ("lora_finetune_single_device",),
        "config:llama/missing": ("lora_finetune_single_device",),  # listed, not shipped
    }


def test_no_classes() -> None:
    assert fixture_snapshot().classes == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "def recipe_main(cfg):\n    x = cfg.a.b\n    return x.c\n",
            [("a", 2), ("a.b", 2), ("a.b.c", 3)],
            id="nested-attributes-and-alias",
        ),
        pytest.param(
            "def recipe_main(cfg):\n    return cfg.items(), cfg.keys()\n",
            [],
            id="methods-are-not-keys",
        ),
        pytest.param(
            "def recipe_main(cfg):\n    return OmegaConf.to_container(cfg.prompt), cfg.prompt.a\n",
            [("prompt", 2)],
            id="to-container-takes-every-key",
        ),
        pytest.param(
            "def recipe_main(cfg):\n    for k, v in cfg.extra.items():\n        print(k, v)\n",
            [("extra", 2)],
            id="items-takes-every-key",
        ),
        pytest.param(
            "def recipe_main(cfg):\n    return cfg.opt.pop('lr', 1e-3)\n",
            [("opt", 2), ("opt.lr", 2)],
            id="pop",
        ),
        pytest.param(
            "def recipe_main(cfg):\n    return [cfg.data[0].path]\n",
            [("data", 2), ("data[].path", 2)],
            id="index",
        ),
        pytest.param(
            "def recipe_main(cfg):\n    return helper(x=cfg.a)\n\n"
            "def helper(x):\n    return deeper(x)\n\n"
            "def deeper(y):\n    return last(y.k)\n\n"
            "def last(z):\n    return z.too_deep\n",
            [("a", 2), ("a.k", 8)],
            id="two-calls-deep",
        ),
        pytest.param(
            "def recipe_main(cfg):\n    return other.helper(cfg.a)\n\n"
            "def helper(x):\n    return x.k\n",
            [("a", 2)],
            id="call-on-another-object-is-not-followed",
        ),
        pytest.param(
            "def recipe_main(cfg):\n    while (w := cfg.wait):\n        pass\n    return w.sub\n",
            [("wait", 2), ("wait.sub", 4)],
            id="walrus",
        ),
    ],
)
def test_reads(tmp_path: Path, body: str, expected: list[tuple[str, int]]) -> None:
    snap = torchtune.extract(write(tmp_path, {"recipes/r.py": body}), "0.0")
    assert [(e.name, e.line) for e in snap.key_sets["r"]] == expected


def test_section_taken_whole_is_free_form(tmp_path: Path) -> None:
    body = "def recipe_main(cfg):\n    return dict(cfg.kwargs), cfg.kwargs.a\n"
    snap = torchtune.extract(write(tmp_path, {"recipes/r.py": body}), "0.0")
    assert rows(snap.key_sets["r"]) == [("kwargs", "dict", "", 2, "recipes/r.py")]


def test_recipes_without_registry_take_their_path(tmp_path: Path) -> None:
    tree = write(
        tmp_path,
        {
            "repo/recipes/own/sft.py": "def recipe_main(cfg):\n    return cfg.epochs\n",
            "repo/recipes/configs/x.py": "def recipe_main(cfg):\n    return cfg.no\n",
            "repo/torchtune/inner/recipes/lib.py": "def f(cfg):\n    return cfg.no\n",
            "repo/recipes/__init__.py": "",
        },
    )
    snap = torchtune.extract(tree, "vendored")
    assert {n: rows(e) for n, e in snap.key_sets.items()} == {
        "own/sft": [("epochs", "", "", 2, "repo/recipes/own/sft.py")]
    }
    assert snap.parsers == {"own/sft": ("own/sft",)}


def test_broken_recipe_and_registry_are_skipped(tmp_path: Path) -> None:
    tree = write(
        tmp_path,
        {
            "recipes/broken.py": "def recipe_main(cfg:\n",
            "recipes/ok.py": "def recipe_main(cfg):\n    return cfg.get(UNKNOWN_KEY)\n",
            "torchtune/_recipe_registry.py": "_ALL_RECIPES = [Recipe(name=\n",
        },
    )
    snap = torchtune.extract(tree, "broken")
    assert {n: rows(e) for n, e in snap.key_sets.items()} == {"ok": []}
    assert snap.parsers == {"ok": ("ok",)}
