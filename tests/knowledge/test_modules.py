"""Name resolution across a package's modules, and picking one class per name."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.knowledge.extract.modules import Modules, argument_classes, unique, unwrap
from tests.knowledge.helpers import write_tree

FILES = {
    "vendor/src/pkg/__init__.py": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .configs import Config\n"
    ),
    "vendor/src/pkg/configs/__init__.py": "from .real import Config, Alias as Renamed\n",
    "vendor/src/pkg/configs/real.py": (
        "from dataclasses import dataclass\n"
        "from transformers import TrainingArguments as HFArgs\n"
        "from ..loop_a import Loop\n"
        "@dataclass\n"
        "class Base(HFArgs):\n"
        "    a: int = 1\n"
        "@dataclass\n"
        "class Config(Base):\n"
        "    b: int = 2\n"
        "Alias = Config\n"
    ),
    "vendor/src/pkg/loop_a.py": "from .loop_b import Loop\n",
    "vendor/src/pkg/loop_b.py": "from .loop_a import Loop\n",
    "vendor/src/pkg/broken.py": "class (:\n",
    "vendor/src/pkg/shim.py": (
        "from dataclasses import dataclass\n"
        "from .configs.real import Config as _Config\n"
        "@dataclass\n"
        "class Config(_Config):\n"
        "    def __post_init__(self):\n"
        "        super().__post_init__()\n"
    ),
    "vendor/other/pkg/__init__.py": "",  # a longer path: not the package
}


@pytest.fixture
def modules(tmp_path: Path) -> Modules:
    return Modules(write_tree(tmp_path, FILES), "pkg")


def test_package_found_under_a_prefix(modules: Modules) -> None:
    assert (modules.found, modules.root) == (True, "vendor/src/pkg/")
    assert modules.path_of("pkg.configs") == "vendor/src/pkg/configs/__init__.py"
    assert modules.path_of("pkg.configs.real") == "vendor/src/pkg/configs/real.py"
    assert modules.path_of("transformers.training_args") is None
    assert modules.path_of("pkg.absent") is None
    assert modules.files("configs") == [
        "vendor/src/pkg/configs/__init__.py",
        "vendor/src/pkg/configs/real.py",
    ]


@pytest.mark.parametrize(
    ("path", "name", "expected"),
    [
        pytest.param(
            "__init__.py", "Config", ("configs/real.py", "Config"), id="type-checking-import"
        ),
        pytest.param(
            "configs/__init__.py", "Renamed", ("configs/real.py", "Config"), id="as-alias"
        ),
        pytest.param("configs/real.py", "Alias", ("configs/real.py", "Config"), id="assignment"),
        pytest.param("configs/real.py", "HFArgs", None, id="another-package"),
        pytest.param("configs/real.py", "Loop", None, id="import-cycle"),
        pytest.param("broken.py", "Anything", None, id="does-not-parse"),
        pytest.param("absent.py", "Config", None, id="no-such-module"),
    ],
)
def test_resolve(modules: Modules, path: str, name: str, expected: tuple[str, str] | None) -> None:
    found = modules.resolve(modules.path(path), name)
    got = (modules.relative(found[0]), found[1].name) if found else None
    assert got == expected


@pytest.mark.parametrize(
    ("path", "name", "expected"),
    [
        pytest.param(
            "configs/real.py", "HFArgs", ("transformers", "TrainingArguments"), id="external"
        ),
        pytest.param("configs/__init__.py", "Renamed", ("", "Config"), id="in-package"),
        pytest.param("configs/real.py", "Unbound", ("", "Unbound"), id="unknown-name"),
    ],
)
def test_source(modules: Modules, path: str, name: str, expected: tuple[str, str]) -> None:
    assert modules.source(modules.path(path), name) == expected


def test_shim_gives_way_and_unwraps(modules: Modules) -> None:
    real = modules.resolve(modules.path("configs/real.py"), "Config")
    shim = modules.resolve(modules.path("shim.py"), "Config")
    assert real is not None
    assert shim is not None
    # the shim ranks first by path length, but wraps the other Config
    picked = unique(modules, [shim, real], rank=lambda path: (len(path), path))
    assert {name: modules.relative(p) for name, (p, _) in picked.items()} == {
        "Config": "configs/real.py"
    }
    assert unwrap(modules, shim) == real
    assert unwrap(modules, real) == real


def test_with_bases_and_argument_classes(modules: Modules) -> None:
    config = modules.resolve(modules.path("configs/real.py"), "Config")
    assert config is not None
    picks = modules.with_bases([config])
    assert [cls.name for _, cls in picks] == ["Config", "Base"]
    infos = argument_classes(modules, {cls.name: pick for pick in picks for cls in [pick[1]]})
    assert [(i.name, i.bases, [f.name for f in i.fields]) for i in infos] == [
        ("Config", ("Base",), ["b"]),
        ("Base", ("TrainingArguments",), ["a"]),  # the alias HFArgs is followed out
    ]


def test_no_package(tmp_path: Path) -> None:
    modules = Modules(write_tree(tmp_path, {"setup.py": "x = 1\n"}), "pkg")
    assert (modules.found, modules.files()) == (False, [])
