"""The repository's own argument classes, parser calls and vendored copies (ast only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cfgguard.knowledge.extract.snapshot import FieldInfo
from cfgguard.project import ClassRef, ParserUse, RepoClass, VendoredCopy, scan_repository
from cfgguard.project import walk as walk_module
from tests.project.helpers import copy_repo

TRL_SCRIPT_ARGS = ClassRef("ScriptArguments", package="trl", module="trl")
COMMON = ClassRef("CommonArgs", file="src/myproj/base.py", line=5)
GRPO_ARGS = ClassRef("GRPOScriptArguments", file="src/myproj/configs.py", line=10)
SFT_CONFIG = ClassRef("SFTConfig", file="src/myproj/configs.py", line=16)
DATA_ARGS = ClassRef("DataArguments", file="scripts/hf.py", line=11)
SYSTEM_PROMPT = FieldInfo("system_prompt", "str | None", "None", 6)
PROMPT_COLUMN = FieldInfo("dataset_prompt_column", "str", "'prompt'", 7, help="Column.")

CLASSES = (
    RepoClass(
        "DataArguments",
        "scripts/hf.py",
        11,
        True,
        fields=(FieldInfo("preprocessing_num_workers", "int", "4", 12),),
        all_fields=(FieldInfo("preprocessing_num_workers", "int", "4", 12),),
    ),
    RepoClass(
        "CommonArgs",
        "src/myproj/base.py",
        5,
        True,
        fields=(SYSTEM_PROMPT, PROMPT_COLUMN),
        all_fields=(SYSTEM_PROMPT, PROMPT_COLUMN),
    ),
    RepoClass(
        "GRPOScriptArguments",
        "src/myproj/configs.py",
        10,
        True,
        bases=(COMMON, TRL_SCRIPT_ARGS),
        fields=(
            FieldInfo("reward_funcs", "list[str]", "['accuracy']", 11),
            FieldInfo("dataset_prompt_column", "str", "'problem'", 12),
        ),
        # dataclass order: a base's field keeps its place, the subclass's default wins
        all_fields=(
            SYSTEM_PROMPT,
            FieldInfo("dataset_prompt_column", "str", "'problem'", 12),
            FieldInfo("reward_funcs", "list[str]", "['accuracy']", 11),
        ),
        framework_bases=(TRL_SCRIPT_ARGS,),
    ),
    RepoClass(
        "SFTConfig",
        "src/myproj/configs.py",
        16,
        True,
        bases=(ClassRef("SFTConfig", package="trl", module="trl"),),
        fields=(
            FieldInfo("benchmarks", "list[str]", "list()", 17),
            FieldInfo("callbacks", "list[str]", "list()", 18),
        ),
        all_fields=(
            FieldInfo("benchmarks", "list[str]", "list()", 17),
            FieldInfo("callbacks", "list[str]", "list()", 18),
        ),
        framework_bases=(ClassRef("SFTConfig", package="trl", module="trl"),),
    ),
    RepoClass(
        "PlainModelConfig",
        "src/myproj/configs.py",
        21,
        False,
        bases=(ClassRef("ModelConfig", package="trl", module="trl"),),
        framework_bases=(ClassRef("ModelConfig", package="trl", module="trl"),),
    ),
)


def _alignment(name: str) -> ClassRef:
    return ClassRef(name, package="alignment-handbook", module="alignment")


PARSERS = (
    ParserUse(
        "H4ArgumentParser",
        "H4ArgumentParser",
        "scripts/h4.py",
        5,
        (
            _alignment("ModelArguments"),
            _alignment("DataArguments"),
            _alignment("SFTConfig"),
        ),
    ),
    ParserUse(
        "HfArgumentParser",
        "HfArgumentParser",
        "scripts/hf.py",
        17,
        (DATA_ARGS, ClassRef("TrainingArguments", package="transformers", module="transformers")),
    ),
    ParserUse("MyParser", "HfArgumentParser", "scripts/hf.py", 18, (DATA_ARGS,)),
    ParserUse(
        "TrlParser",
        "TrlParser",
        "src/myproj/grpo.py",
        15,
        (
            GRPO_ARGS,
            ClassRef("GRPOConfig", package="trl", module="trl"),
            ClassRef("ModelConfig", package="trl", module="trl"),
        ),
    ),
    ParserUse(
        "TrlParser",
        "TrlParser",
        "src/myproj/sft.py",
        8,
        (TRL_SCRIPT_ARGS, SFT_CONFIG, ClassRef("ModelConfig", package="trl", module="trl")),
    ),
)


def test_scan(tmp_path: Path) -> None:
    root = copy_repo("scripts_repo", tmp_path)
    scan = scan_repository(str(root))
    assert scan.classes == CLASSES
    assert scan.parsers == PARSERS
    assert scan.vendored == ()
    assert (scan.python_files, scan.files_read, scan.truncated) == (8, 7, False)
    assert scan.problems == ("src/myproj/broken.py:3: not valid Python",)
    assert [c.name for c in scan.argument_classes()] == [
        "DataArguments",
        "GRPOScriptArguments",
        "SFTConfig",
        "PlainModelConfig",
    ]


def test_scripts_are_never_run(tmp_path: Path) -> None:
    root = copy_repo("scripts_repo", tmp_path)
    scan_repository(str(root))
    marker = root / "src" / "myproj" / "EXECUTED"
    assert not marker.exists()
    # the trap works: run by Python, the module leaves the marker and exits
    script = root / "src" / "myproj" / "grpo.py"
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, check=False)
    assert ran.returncode == 1
    assert marker.exists()


def test_scan_is_cached_per_root(tmp_path: Path) -> None:
    root = copy_repo("scripts_repo", tmp_path)
    first = scan_repository(str(root))
    (root / "scripts" / "new.py").write_text("from trl import TrlParser\nTrlParser(X)\n")
    assert scan_repository(str(root) + "/.") is first


SKIPPED = (
    ".venv/lib/site-packages/a.py",
    "node_modules/b/c.py",
    "venv/d.py",
    "env/e.py",
    "build/lib/f.py",
    "dist/g.py",
    "__pycache__/h.py",
    ".hidden/i.py",
    "site-packages/j.py",
)


def test_skipped_directories_and_huge_files(tmp_path: Path) -> None:
    root = copy_repo("scripts_repo", tmp_path)
    for rel in SKIPPED:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("from trl import TrlParser\nTrlParser((A, B))\n")
    huge = root / "src" / "huge.py"
    huge.write_text("from trl import TrlParser\nTrlParser((A, B))\n" + "#" * 1_000_001)
    scan = scan_repository(str(root))
    assert scan.parsers == PARSERS
    assert scan.python_files == 8
    assert scan.problems == (
        "src/huge.py:0: not read: larger than 1 MB",
        "src/myproj/broken.py:3: not valid Python",
    )


def test_file_cap_truncates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_repo("scripts_repo", tmp_path)
    monkeypatch.setattr(walk_module, "MAX_PY_FILES", 3)
    scan = scan_repository(str(root))
    assert (scan.python_files, scan.truncated) == (3, True)
    assert [u.file for u in scan.parsers] == ["scripts/h4.py", "scripts/hf.py", "scripts/hf.py"]


def test_depth_cap_truncates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_repo("scripts_repo", tmp_path)
    monkeypatch.setattr(walk_module, "MAX_DEPTH", 1)
    scan = scan_repository(str(root))
    assert (scan.python_files, scan.truncated) == (2, True)


def test_vendored_copies_are_reported_not_parsed(tmp_path: Path) -> None:
    root = copy_repo("vendored", tmp_path)
    scan = scan_repository(str(root))
    assert scan.vendored == (
        VendoredCopy("axolotl", "axo/src/axolotl", "axo", "0.10.0", "axo/pyproject.toml:3"),
        VendoredCopy(
            "llamafactory",
            "third_party/LLaMA-Factory/src/llamafactory",
            "third_party/LLaMA-Factory",
            "0.9.3",
            "third_party/LLaMA-Factory/src/llamafactory/extras/env.py:2",
        ),
        VendoredCopy(
            "trl",
            "third_party/trl/trl",
            "third_party/trl",
            "0.19.1",
            "third_party/trl/trl/__init__.py:1",
        ),
        VendoredCopy(
            "torchtune",
            "torchtune-src/torchtune",
            "torchtune-src",
            "0.6.1",
            "torchtune-src/version.txt:1",
        ),
        VendoredCopy("verl", "verl", ".", "0.4.1", "verl/version/version:1"),
    )
    # the copies' own parser calls and classes belong to their frameworks' extractors
    assert (scan.parsers, scan.classes, scan.python_files) == ((), (), 0)
