"""The repository root, and the bounds on what is read (symlinks, sizes, special files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cfgguard.project import Target, repository_root, targets_for
from cfgguard.project.fs import MAX_PIN_FILE


def _tree(tmp_path: Path) -> Path:
    config = tmp_path / "repo" / "sub" / "configs" / "x.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("model_name_or_path: x\n")
    return config


def test_git_directory_marks_the_root(tmp_path: Path) -> None:
    config = _tree(tmp_path)
    (tmp_path / "repo" / ".git").mkdir()
    assert repository_root(str(config), cwd=str(tmp_path)) == str(tmp_path / "repo")


def test_git_file_marks_the_root(tmp_path: Path) -> None:
    """A worktree or submodule has a ``.git`` file; the nearest one wins."""
    config = _tree(tmp_path)
    (tmp_path / "repo" / ".git").mkdir()
    (tmp_path / "repo" / "sub" / ".git").write_text("gitdir: ../.git/modules/sub\n")
    assert repository_root(str(config)) == str(tmp_path / "repo" / "sub")


def test_cwd_when_it_contains_the_config(tmp_path: Path) -> None:
    config = _tree(tmp_path)
    assert repository_root(str(config), cwd=str(tmp_path / "repo")) == str(tmp_path / "repo")


def test_config_directory_when_cwd_is_elsewhere(tmp_path: Path) -> None:
    config = _tree(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert repository_root(str(config), cwd=str(elsewhere)) == str(config.parent)


def test_relative_config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path / "repo")
    assert repository_root("sub/configs/x.yaml") == str(tmp_path / "repo")


def test_walk_stops_at_the_root(tmp_path: Path) -> None:
    """Pins above the root are not the repository's."""
    config = _tree(tmp_path)
    (tmp_path / "requirements.txt").write_text("trl==0.9.6\n")
    (tmp_path / "repo" / "requirements.txt").write_text("peft==0.15.2\n")
    found = targets_for(str(config), cwd=str(tmp_path / "repo"))
    assert found.targets == (
        Target("peft", "==0.15.2", "0.15.2", ("requirements.txt:1",), "pinned"),
    )


def test_symlink_out_of_the_root_is_not_read(tmp_path: Path) -> None:
    config = _tree(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("trl==0.9.6\n")
    repo = tmp_path / "repo"
    (repo / "requirements.txt").symlink_to(outside)
    (repo / "requirements-dev.txt").write_text("-r ../outside.txt\npeft\n")
    found = targets_for(str(config), cwd=str(repo))
    assert found.targets == (Target("peft", "", "", ("requirements-dev.txt:2",), "any version"),)
    assert found.problems == (
        "requirements.txt:0: not read: a symlink out of the repository",
        "requirements-dev.txt:1: include ../outside.txt is outside the repository (skipped)",
    )


def test_symlink_inside_the_root_is_read(tmp_path: Path) -> None:
    config = _tree(tmp_path)
    repo = tmp_path / "repo"
    (repo / "pins").mkdir()
    (repo / "pins" / "real.txt").write_text("trl==0.19.1\n")
    (repo / "requirements.txt").symlink_to(repo / "pins" / "real.txt")
    found = targets_for(str(config), cwd=str(repo))
    assert found.targets == (
        Target("trl", "==0.19.1", "0.19.1", ("requirements.txt:1",), "pinned"),
    )


def test_oversized_and_special_files_are_not_read(tmp_path: Path) -> None:
    config = _tree(tmp_path)
    repo = tmp_path / "repo"
    (repo / "requirements.txt").write_text("trl==0.19.1\n" + "#" * MAX_PIN_FILE)
    os.mkfifo(repo / "requirements-dev.txt")  # opening a FIFO would block: it is never opened
    found = targets_for(str(config), cwd=str(repo))
    assert found.targets == ()
    assert found.problems == (
        "requirements.txt:0: not read: larger than 2 MB",
        "requirements-dev.txt:0: not read: not a regular file",
    )


def test_undecodable_and_invalid_files_are_problems(tmp_path: Path) -> None:
    config = _tree(tmp_path)
    repo = tmp_path / "repo"
    (repo / "requirements.txt").write_bytes(b"trl==0.19.1\n\xff\xfe\n")
    (repo / "pyproject.toml").write_text('[project\ndependencies = ["trl"]\n')
    (repo / "setup.py").write_text('install_requires = ["trl>=0.19"\n')
    found = targets_for(str(config), cwd=str(repo))
    assert found.targets == ()
    assert found.problems == (
        "requirements.txt:0: not read: not UTF-8",
        "pyproject.toml:0: not valid TOML (skipped)",
        "setup.py:0: not valid Python (skipped)",
    )


def test_include_depth_is_bounded(tmp_path: Path) -> None:
    config = _tree(tmp_path)
    repo = tmp_path / "repo"
    (repo / "requirements.txt").write_text("-r r1.txt\n")
    for n in range(1, 12):
        (repo / f"r{n}.txt").write_text(f"-r r{n + 1}.txt\n")
    (repo / "r12.txt").write_text("trl==0.19.1\n")
    found = targets_for(str(config), cwd=str(repo))
    assert found.targets == ()
    assert found.problems == ("r7.txt:1: includes nested deeper than 8 (skipped)",)


NO_PACKAGING = """
import sys
from cfgguard.project import targets_for, scan_repository
found = targets_for(sys.argv[1], cwd=sys.argv[2])
scan_repository(sys.argv[2])
print(len(found.targets), "packaging" in sys.modules)
"""


@pytest.mark.parametrize(
    ("pins", "expected"),
    [
        pytest.param({}, "0 False", id="no-pin-file"),
        pytest.param({"requirements.txt": "numpy==1.26\n"}, "0 False", id="no-known-package"),
        pytest.param({"pyproject.toml": '[project]\nname = "x"\n'}, "0 False", id="pyproject-noop"),
        pytest.param({"requirements.txt": "trl==0.19.1\n"}, "1 True", id="a-pin-imports-it"),
    ],
)
def test_packaging_is_imported_only_for_a_pin(
    pins: dict[str, str], expected: str, tmp_path: Path
) -> None:
    config = _tree(tmp_path)
    repo = tmp_path / "repo"
    for name, text in pins.items():
        (repo / name).write_text(text)
    ran = subprocess.run(
        [sys.executable, "-c", NO_PACKAGING, str(config), str(repo)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.strip() == expected
