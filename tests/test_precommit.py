"""The pre-commit hooks, run by the real ``pre-commit try-repo`` against this checkout.

pre-commit clones a committed copy of the working tree and pip-installs it into its own
virtualenv (under a temporary ``PRE_COMMIT_HOME``), so this exercises
``.pre-commit-hooks.yaml`` and the packaging exactly as a user's hook run would.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from tests.checkout import ROOT, committed_copy, git, git_env, is_git_checkout
from tests.report_data import CLEAN, DUPLICATE

pytestmark = pytest.mark.skipif(not is_git_checkout(), reason="needs git and a git checkout")

FIXED = (
    "base_model: meta-llama/Llama-3.1-8B-Instruct\nadapter: lora\nlora_r: 32\nlora_alpha: 32\n"
    "lora_dropout: 0.05\nmicro_batch_size: 4\nsequence_len: 2048\nnum_epochs: 1\n"
    "learning_rate: 2e-4\n"
)
TYPO = FIXED.replace("lora_dropout", "lora_dropuot")  # K001's safe fix renames it back


@dataclass(frozen=True)
class Env:
    hooks: Path  # the committed copy of this checkout
    home: Path  # PRE_COMMIT_HOME, shared so the hook environment is built once
    env: dict[str, str]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Env:
    base = tmp_path_factory.mktemp("precommit")
    env = git_env(base)
    env["PRE_COMMIT_HOME"] = str(base / "cache")
    hooks = committed_copy(base / "hooks", env)
    return Env(hooks, base / "cache", env)


def project(tmp_path: Path, setup: Env, files: dict[str, str]) -> Path:
    repo = tmp_path / "project"
    repo.mkdir()
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    git(["init", "-q"], repo, setup.env)
    git(["add", "-A"], repo, setup.env)
    git(["commit", "-q", "-m", "configs"], repo, setup.env)
    return repo


def try_repo(repo: Path, setup: Env, hook: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(setup.hooks), hook]
    cmd += ["--all-files", "--color", "never"]
    return subprocess.run(
        cmd, cwd=repo, env=setup.env, capture_output=True, text=True, check=False, timeout=900
    )


def test_hooks_file_shape() -> None:
    hooks = cast(
        list[dict[str, Any]], yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    )
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"cfgguard", "cfgguard-fix"}
    assert by_id["cfgguard"]["entry"] == "cfgguard check"
    assert by_id["cfgguard-fix"]["entry"] == "cfgguard check --fix --exit-non-zero-on-fix"
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["types"] == ["yaml"]
        assert hook["require_serial"] is True  # cfgguard uses the cores itself
        assert "files" not in hook  # types: [yaml] selects; users narrow with files:


def test_clean_file_passes(tmp_path: Path, setup: Env) -> None:
    repo = project(tmp_path, setup, {"ok.yaml": CLEAN, "notes.txt": "not yaml"})
    proc = try_repo(repo, setup, "cfgguard")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert any(
        line.startswith("cfgguard") and line.endswith("Passed") for line in proc.stdout.splitlines()
    ), proc.stdout


def test_bad_file_fails_with_positions(tmp_path: Path, setup: Env) -> None:
    repo = project(tmp_path, setup, {"ok.yaml": CLEAN, "bad.yml": DUPLICATE})
    proc = try_repo(repo, setup, "cfgguard")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert any(line.startswith("cfgguard") and line.endswith("Failed") for line in out.splitlines())
    assert "- hook id: cfgguard" in out
    assert "- exit code: 1" in out
    assert "bad.yml:3:1: Y002 [error] duplicate key 'lora_rank'" in out
    assert "ok.yaml:" not in out  # a clean file contributes nothing


def test_check_offers_fix() -> None:
    """The cfgguard-fix hook runs `cfgguard check --fix`: the flag must stay."""
    proc = subprocess.run(
        [sys.executable, "-m", "cfgguard", "check", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "--fix " in proc.stdout, proc.stdout


def test_fix_hook_rewrites_and_fails_once(tmp_path: Path, setup: Env) -> None:
    repo = project(tmp_path, setup, {"typo.yaml": TYPO})
    first = try_repo(repo, setup, "cfgguard-fix")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (repo / "typo.yaml").read_text(encoding="utf-8") == FIXED
    git(["add", "-A"], repo, setup.env)
    second = try_repo(repo, setup, "cfgguard-fix")
    assert second.returncode == 0, second.stdout + second.stderr
