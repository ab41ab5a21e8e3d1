"""The files a command reads: paths as given, and YAML files under directories."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

YAML_SUFFIXES = (".yaml", ".yml")
SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


def iter_paths(paths: Sequence[str], errors: list[str]) -> Iterator[str]:
    """Files as given, and ``*.yaml``/``*.yml`` under directories (sorted, hidden skipped)."""
    for path in paths:
        if path == "-":
            yield path
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(YAML_SUFFIXES):
                        yield os.path.join(root, name)
        elif os.path.exists(path) or os.path.islink(path):
            yield path
        else:
            errors.append(f"{path}: no such file or directory")
