"""A committed copy of this checkout's working tree, for tools that install from git.

``pre-commit try-repo`` (and the action's install step) need a repository whose HEAD holds
the current files, including ones not committed yet: tracked files as they are in the work
tree plus untracked files that ``.gitignore`` does not exclude.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def git_env(home: Path) -> dict[str, str]:
    """The environment minus anything that could change how git or the hooks behave."""
    drop = ("GIT_", "PRE_COMMIT", "GITHUB_", "NO_COLOR", "FORCE_COLOR")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    config = home / "gitconfig"
    config.write_text(
        "[user]\n\tname = cfgguard tests\n\temail = tests@cfgguard.invalid\n"
        "[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    env.update(GIT_CONFIG_GLOBAL=str(config), GIT_CONFIG_NOSYSTEM="1")
    return env


def git(args: list[str], cwd: Path, env: Mapping[str, str]) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env=dict(env), capture_output=True, text=True, check=True
    )
    return proc.stdout


def is_git_checkout() -> bool:
    if shutil.which("git") is None:
        return False
    proc = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode == 0 and Path(proc.stdout.strip()).resolve() == ROOT


def working_tree_files(env: Mapping[str, str]) -> list[str]:
    out = git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT, env)
    return sorted({name for name in out.split("\0") if name and (ROOT / name).is_file()})


def copy_working_tree(dest: Path, env: Mapping[str, str]) -> Path:
    dest.mkdir(parents=True)
    for name in working_tree_files(env):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return dest


def committed_copy(dest: Path, env: Mapping[str, str]) -> Path:
    """``dest`` as a new repository with one commit: this checkout's working tree."""
    copy_working_tree(dest, env)
    git(["init", "-q"], dest, env)
    git(["add", "-A"], dest, env)
    git(["commit", "-q", "-m", "working tree"], dest, env)
    return dest
