"""Fixture repositories for the project layer, copied into a temporary directory.

The fixtures' Python files are stored as ``*.py.txt`` (so that ruff, pyright and pytest
leave them alone) and get their ``.py`` name back in the copy; the copy gets a ``.git``
directory, making it the repository root (the checkout around ``tests/`` has its own).
"""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "project"


def copy_repo(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    for stored in sorted(root.rglob("*.py.txt")):
        stored.rename(stored.with_name(stored.name.removesuffix(".txt")))
    (root / ".git").mkdir()
    return root
