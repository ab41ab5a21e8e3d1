"""Targets from every kind of pin file, read from fixture repositories (tests/fixtures/project)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cfgguard.project import Target, targets_for
from tests.project.helpers import copy_repo

GIT_TRL = "git+https://github.com/huggingface/trl.git@019fc6dbaa03b888f9d5c1845f0f690da8ed310c"
LMF_TAG = "git+https://github.com/hiyouga/LLaMA-Factory.git@v0.9.2#egg=llamafactory"
WHEEL = "https://files.pythonhosted.org/packages/ab/cd/transformers-4.53.3-py3-none-any.whl"
PEFT_GIT = "https://github.com/huggingface/peft?rev=main#0123456789abcdef0123456789abcdef01234567"
AXOLOTL_GIT = "https://github.com/axolotl-ai-cloud/axolotl.git"

CASES = [
    pytest.param(
        "reqs",
        "configs/sft.yaml",
        (
            Target(
                "transformers",
                "<4.55,<4.56,>=4.50",
                "",
                ("base.txt:1", "constraints.txt:1"),
                "range",
            ),
            Target("trl", ">=0.19.1", "", ("requirements.txt:6",), "range"),
            Target("peft", "==0.15.2", "0.15.2", ("base.txt:3",), "pinned"),
            Target("torchtune", ">=0.5", "", ("requirements/extra.txt:1",), "range"),
            Target("verl", ">=0.4.0", "", ("requirements.txt:8",), "range"),
        ),
        id="requirements-includes-constraints-continuation-marker",
    ),
    pytest.param(
        "giturl",
        "config.yaml",
        (
            Target(
                "transformers",
                "==4.53.3",
                "4.53.3",
                ("requirements.txt:3",),
                "archive of a release",
                WHEEL,
            ),
            Target(
                "trl",
                "",
                "",
                ("requirements.txt:1",),
                "git ref 019fc6dbaa03; version unknown",
                GIT_TRL,
            ),
            Target("peft", "==0.15.1", "0.15.1", ("requirements.txt:4",), "pinned (conda export)"),
            Target(
                "llamafactory",
                "==0.9.2",
                "0.9.2",
                ("requirements.txt:2",),
                "git tag v0.9.2",
                LMF_TAG,
            ),
        ),
        id="git-url-tag-wheel-conda-export",
    ),
    pytest.param(
        "pep621",
        "config.yaml",
        (
            Target("transformers", "==4.53.3", "4.53.3", ("pyproject.toml:14",), "pinned"),
            Target("trl", "<0.21,>=0.19.1", "", ("pyproject.toml:5", "pyproject.toml:11"), "range"),
            Target("peft", "<0.16,>=0.15", "", ("pyproject.toml:10",), "range"),
            Target("axolotl", ">=0.10", "", ("pyproject.toml:22",), "range"),
            Target("torchtune", ">=0.6", "", ("pyproject.toml:18",), "range"),
            Target("verl", "==0.4.1", "0.4.1", ("pyproject.toml:19",), "pinned (uv override)"),
        ),
        id="pyproject-project-extras-groups-uv-pdm",
    ),
    pytest.param(
        "poetry",
        "config.yaml",
        (
            Target("transformers", "<4.54,>=4.53", "", ("pyproject.toml:8",), "range (poetry)"),
            Target("trl", "<0.20.0,>=0.19.1", "", ("pyproject.toml:7",), "range (poetry)"),
            Target("peft", "==0.15.2", "0.15.2", ("pyproject.toml:16",), "pinned (poetry)"),
            Target(
                "axolotl",
                "",
                "",
                ("pyproject.toml:9",),
                "git ref 5f1d2a9; version unknown",
                AXOLOTL_GIT + "@5f1d2a9",
            ),
            Target("torchtune", "", "", ("pyproject.toml:17",), "any version (poetry)"),
            Target("verl", "", "", ("pyproject.toml:10",), "any version (poetry alternatives)"),
        ),
        id="poetry-caret-tilde-table-git-group-alternatives",
    ),
    pytest.param(
        "setup_py",
        "recipes/grpo.yaml",
        (
            Target("transformers", "==4.52.3", "4.52.3", ("setup.py:15",), "pinned"),
            Target("trl", "==0.18.0", "0.18.0", ("setup.py:14",), "pinned"),
            Target("peft", ">=0.14.0", "", ("setup.py:16",), "range"),
            Target("torchtune", "", "", ("setup.py:26",), "any version"),
            Target("verl", ">=0.4", "", ("setup.py:27",), "range"),
        ),
        id="setup-py-deps-list-not-keywords",
    ),
    pytest.param(
        "setup_cfg",
        "config.yaml",
        (
            Target("transformers", "", "", ("setup.cfg:9",), "any version"),
            Target("trl", "<0.20,>=0.17", "", ("setup.cfg:8",), "range"),
            Target("peft", "==0.13.0", "0.13.0", ("setup.cfg:13",), "pinned"),
        ),
        id="setup-cfg-install-requires-extras",
    ),
    pytest.param(
        "conda",
        "config.yaml",
        (
            Target("transformers", "==4.51.*", "", ("environment.yml:6",), "range (conda)"),
            Target("trl", "==0.19.1", "0.19.1", ("environment.yml:10",), "pinned"),
            Target("peft", "==0.15.2", "0.15.2", ("environment.yml:7",), "pinned (conda)"),
            Target("torchtune", "==0.6.1", "0.6.1", ("pip-deps.txt:1",), "pinned"),
        ),
        id="environment-yml-conda-and-pip-section",
    ),
    pytest.param(
        "lock_uv",
        "config.yaml",
        (
            Target(
                "transformers",
                "==4.53.3",
                "4.53.3",
                ("pyproject.toml:4",),
                "pinned; uv.lock has 4.55.0",
            ),
            Target(
                "trl",
                "==0.20.1",
                "0.20.1",
                ("uv.lock:28", "pyproject.toml:4"),
                "locked by uv.lock; declares >=0.19",
            ),
            Target(
                "peft",
                "",
                "",
                ("uv.lock:18", "pyproject.toml:4"),
                "locked by uv.lock to a git commit (0.16.0.dev0)",
                PEFT_GIT,
            ),
        ),
        id="uv-lock-overrides-range-not-pin",
    ),
    pytest.param(
        "lock_poetry",
        "config.yaml",
        (
            Target(
                "transformers",
                "==4.51.3",
                "4.51.3",
                ("poetry.lock:4", "requirements.txt:2"),
                "locked by poetry.lock; declares >=4.50",
            ),
            Target(
                "trl",
                "<0.19",
                "",
                ("requirements.txt:1",),
                "range; poetry.lock has 0.19.1, outside it",
            ),
            Target("peft", "==0.15.2", "0.15.2", ("poetry.lock:34",), "locked by poetry.lock"),
            Target(
                "axolotl",
                "",
                "",
                ("poetry.lock:21",),
                "locked by poetry.lock to a git commit (0.10.0.dev0)",
                AXOLOTL_GIT,
            ),
        ),
        id="poetry-lock-range-outside-git-source-legacy-index",
    ),
    pytest.param(
        "lock_pipfile",
        "config.yaml",
        (
            Target(
                "transformers",
                "",
                "",
                ("Pipfile.lock:16",),
                "locked by Pipfile.lock to a git commit",
                "https://github.com/huggingface/transformers.git",
            ),
            Target("trl", "==0.17.0", "0.17.0", ("Pipfile.lock:10",), "locked by Pipfile.lock"),
        ),
        id="pipfile-lock",
    ),
    pytest.param(
        "vendored",
        "recipes/sft.yaml",
        (
            Target("transformers", ">=4.50", "", ("requirements.txt:2",), "range"),
            Target(
                "trl",
                "==0.19.1",
                "0.19.1",
                ("third_party/trl/trl/__init__.py:1", "requirements.txt:1"),
                "vendored copy at third_party/trl/trl",
            ),
            Target(
                "axolotl",
                "==0.10.0",
                "0.10.0",
                ("axo/pyproject.toml:3",),
                "vendored copy at axo/src/axolotl",
            ),
            Target(
                "llamafactory",
                "==0.9.3",
                "0.9.3",
                ("third_party/LLaMA-Factory/src/llamafactory/extras/env.py:2",),
                "vendored copy at third_party/LLaMA-Factory/src/llamafactory",
            ),
            Target(
                "torchtune",
                "==0.6.1",
                "0.6.1",
                ("torchtune-src/version.txt:1",),
                "vendored copy at torchtune-src/torchtune",
            ),
            Target(
                "verl", "==0.4.1", "0.4.1", ("verl/version/version:1",), "vendored copy at verl"
            ),
        ),
        id="vendored-copies-give-versions",
    ),
    pytest.param(
        "closest",
        "sub/configs/x.yaml",
        (
            Target(
                "transformers",
                "==4.52.0",
                "4.52.0",
                ("uv.lock:4", "pyproject.toml:4"),
                "locked by uv.lock; declares >=4.50",
            ),
            Target(
                "trl",
                "==0.19.1",
                "0.19.1",
                ("sub/requirements.txt:1",),
                "pinned; uv.lock has 0.20.0",
            ),
        ),
        id="closest-file-wins-lock-on-the-way-up",
    ),
]


@pytest.mark.parametrize(("repo", "config", "expected"), CASES)
def test_targets(repo: str, config: str, expected: tuple[Target, ...], tmp_path: Path) -> None:
    root = copy_repo(repo, tmp_path)
    found = targets_for(str(root / config))
    assert found.root == str(root)
    assert found.config == config
    assert found.targets == expected


def test_files_and_problems(tmp_path: Path) -> None:
    root = copy_repo("reqs", tmp_path)
    found = targets_for(str(root / "configs" / "sft.yaml"))
    assert found.files == (
        "requirements.txt",
        "base.txt",
        "constraints.txt",
        "requirements/extra.txt",
    )
    assert found.problems == (
        "base.txt:2: include requirements.txt includes itself again (a cycle; skipped)",
        "requirements.txt:11: include missing.txt does not exist",
    )
    assert found.get("trl") == Target("trl", ">=0.19.1", "", ("requirements.txt:6",), "range")
    assert found.get("axolotl") is None


def test_setup_py_is_never_run(tmp_path: Path) -> None:
    root = copy_repo("setup_py", tmp_path)
    found = targets_for(str(root / "recipes" / "grpo.yaml"))
    assert found.files == ("setup.py",)
    assert not (root / "EXECUTED").exists()
    # the trap works: run by Python, the file leaves the marker and fails
    ran = subprocess.run([sys.executable, str(root / "setup.py")], capture_output=True, check=False)
    assert ran.returncode == 1
    assert (root / "EXECUTED").exists()


def test_closest_directory_decides_per_package(tmp_path: Path) -> None:
    root = copy_repo("closest", tmp_path)
    at_root = targets_for(str(root / "config.yaml"))
    assert at_root.get("trl") == Target(
        "trl",
        "==0.20.0",
        "0.20.0",
        ("uv.lock:9", "pyproject.toml:4"),
        "locked by uv.lock; declares >=0.18",
    )
    assert at_root.files == ("pyproject.toml", "uv.lock")


def test_no_vendored_copies_without_scan(tmp_path: Path) -> None:
    root = copy_repo("vendored", tmp_path)
    found = targets_for(str(root / "recipes" / "sft.yaml"), scan=False)
    assert [t.package for t in found.targets] == ["transformers", "trl"]
    assert found.get("trl") == Target("trl", "", "", ("requirements.txt:1",), "any version")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {
                "pyproject.toml": '[project]\nname = "x"\ndependencies = ["transformers>=4.50"]\n',
                "requirements/sglang.txt": "transformers==4.51.1\n",
                "requirements-moss.txt": "transformers==4.57.1\n",
            },
            Target("transformers", ">=4.50", "", ("pyproject.toml:3",), "range"),
            id="main-file-beats-alternative-extras",
        ),
        pytest.param(
            {
                "requirements.txt": "transformers\n",
                "requirements-gpu.txt": "transformers==4.51.1\n",
            },
            Target(
                "transformers",
                "==4.51.1",
                "4.51.1",
                ("requirements.txt:1", "requirements-gpu.txt:1"),
                "pinned",
            ),
            id="bare-main-name-narrowed-by-extra",
        ),
        pytest.param(
            {"requirements.txt": "peft==0.14.0\n", "setup.py": 'x = ["peft==0.15.2"]\n'},
            Target(
                "peft",
                "==0.14.0",
                "0.14.0",
                ("requirements.txt:1", "setup.py:1"),
                "pinned; conflicts with ==0.15.2 (setup.py:1)",
            ),
            id="conflicting-main-pins-first-read-wins",
        ),
    ],
)
def test_files_of_one_directory(files: dict[str, str], expected: Target, tmp_path: Path) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / ".git").mkdir()
    assert targets_for(str(tmp_path / "config.yaml")).targets == (expected,)
