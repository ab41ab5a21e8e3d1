"""torchtune_shipped.json: the builders a torchtune release exports, read from its code."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from cfgguard.dialects.torchtune.builders import find, shipped
from cfgguard.knowledge.build.fetch import CACHE
from cfgguard.knowledge.extract.tree import DirTree, open_tree

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "cfgguard" / "knowledge" / "data" / "torchtune_shipped.json"

LLAMA_INIT = """\
from ._model_builders import llama3_1_8b, lora_llama3_1_8b, qlora_llama3_1_8b
__all__ = ["llama3_1", "llama3_1_8b", "lora_llama3_1_8b", "qlora_llama3_1_8b", "Llama3ScaledRoPE"]
"""


def _script() -> ModuleType:
    path = ROOT / "scripts" / "build_torchtune_builders.py"
    spec = importlib.util.spec_from_file_location("build_torchtune_builders", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builders_are_read_from_each_family_init(tmp_path: Path) -> None:
    family = tmp_path / "torchtune" / "models" / "llama3_1"
    family.mkdir(parents=True)
    (family / "__init__.py").write_text(LLAMA_INIT, encoding="utf-8")
    (family / "_model_builders.py").write_text("__all__ = ['not_exported']\n", encoding="utf-8")
    broken = tmp_path / "torchtune" / "models" / "broken"
    broken.mkdir()
    (broken / "__init__.py").write_text("__all__ = [\n", encoding="utf-8")
    data = _script().shipped(DirTree(str(tmp_path)), "0.6.1")
    assert data["builders"] == {
        "full": ["torchtune.models.llama3_1.llama3_1", "torchtune.models.llama3_1.llama3_1_8b"],
        "lora": ["torchtune.models.llama3_1.lora_llama3_1_8b"],
        "qlora": ["torchtune.models.llama3_1.qlora_llama3_1_8b"],
    }
    assert data["source"] == "torchtune 0.6.1 torchtune/models/*/__init__.py (__all__)"


def test_committed_file_is_the_newest_release_s() -> None:
    script = _script()
    from cfgguard.knowledge.releases import package

    released = package("torchtune")
    assert released is not None
    version = released.releases[-1]
    wheel = os.path.join(CACHE, "torchtune", f"torchtune-{version}-py3-none-any.whl")
    if not os.path.isfile(wheel):
        pytest.skip(f"{wheel} not in the build cache")
    expected = script.render(script.shipped(open_tree(wheel), version))
    assert DATA.read_text(encoding="utf-8") == expected, "run: scripts/build_torchtune_builders.py"


@pytest.mark.parametrize(
    ("model", "adapter", "component"),
    [
        pytest.param("meta-llama/Llama-3.1-8B-Instruct", "qlora",
                     "torchtune.models.llama3_1.qlora_llama3_1_8b", id="llama-qlora"),
        pytest.param("Qwen/Qwen2.5-7B-Instruct", "lora",
                     "torchtune.models.qwen2_5.lora_qwen2_5_7b_instruct", id="qwen-lora"),
        pytest.param("Qwen/Qwen2.5-7B-Instruct", "qlora", None, id="qwen-no-qlora"),
        pytest.param("Qwen/Qwen3-8B", "lora", None, id="qwen3-unreleased"),
    ],
)  # fmt: skip
def test_find_uses_the_shipped_builders(model: str, adapter: str, component: str | None) -> None:
    found = find(model, adapter)
    assert (found.component if found else None) == component


def test_shipped_kinds() -> None:
    assert set(shipped()) == {"full", "lora", "qlora"}
    assert "torchtune.models.phi3.lora_phi3_mini" in shipped()["lora"]
