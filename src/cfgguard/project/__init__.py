"""What a config's repository targets and defines: pure functions over the filesystem.

Nothing in the repository is imported or run (setup.py and scripts are read with ``ast``),
nothing is fetched, every read is bounded (regular files, size limits, no symlink out of
the root, caps on walks). Results are cached per process (per root, per directory).

Public API::

    repository_root(config_path, cwd=None) -> str
        The nearest ancestor of the config holding ``.git`` (directory or file); else
        ``cwd`` (default: the working directory) when it contains the config; else the
        config's own directory.

    targets_for(config_path, cwd=None, scan=True) -> Targets
        For each known package (``names.KNOWN``: transformers trl peft axolotl llamafactory
        torchtune verl) the repository names, a ``Target``: ``specifier`` (PEP 440, "" =
        any), ``version`` (exact, when pinned, locked or vendored), ``origins``
        ("path:line" relative to the root, deciding ones first), ``note``, ``url`` (a direct
        reference). Read from the config's directory up to the root: requirements*.txt and
        requirements/*.txt (with -r/-c includes), pyproject.toml ([project], extras,
        dependency groups, uv, PDM, Poetry), setup.py (ast), setup.cfg, conda environment
        files, uv.lock / poetry.lock / pdm.lock / pylock.toml / Pipfile.lock, .gitmodules,
        and (``scan=True``) vendored copies found by the repository walk. The closest
        directory that declares a package decides (within it, requirements.txt /
        pyproject.toml / setup.py / setup.cfg / environment.yml over the alternative
        requirements-*.txt and requirements/*.txt, unless they name it bare); locks and
        vendored copies turn a range into their exact version, never an exact pin.
        ``Targets.get(package)``, ``.files`` (pin files read), ``.problems``
        ("path:line: message").

    scan_repository(root) -> RepoScan
        The repository's argument classes (``RepoClass``: own and inherited fields as
        ``FieldInfo``, framework bases as ``ClassRef``), every ``TrlParser`` /
        ``HfArgumentParser`` / ``H4ArgumentParser`` (or repo subclass) call with the
        classes it receives (``ParserUse``), and vendored framework copies
        (``VendoredCopy``: package dir, the directory to hand to
        ``cfgguard.knowledge.extract.<package>.extract(DirTree(root/source), version)``,
        and the version). ``RepoScan.argument_classes()`` are the repo classes whose fields
        are config keys.

``packaging`` is imported only when a file names a known package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cfgguard.project.fs import repository_root
    from cfgguard.project.records import (
        ClassRef,
        ParserUse,
        Pin,
        RepoClass,
        RepoScan,
        Target,
        Targets,
        VendoredCopy,
    )
    from cfgguard.project.repo import scan_repository

__all__ = [
    "ClassRef",
    "ParserUse",
    "Pin",
    "RepoClass",
    "RepoScan",
    "Target",
    "Targets",
    "VendoredCopy",
    "repository_root",
    "scan_repository",
    "targets_for",
]

# where each public name lives: imported on first use, so a submodule costs only itself
_HOMES = {
    "repository_root": "fs",
    "scan_repository": "repo",
    **dict.fromkeys(
        ("ClassRef", "ParserUse", "Pin", "RepoClass", "RepoScan", "Target", "Targets"),
        "records",
    ),
    "VendoredCopy": "records",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'cfgguard.project' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"cfgguard.project.{home}"), name)


def targets_for(config_path: str, cwd: str | None = None, scan: bool = True) -> Targets:
    """The releases the config's repository targets (see the module docstring)."""
    from cfgguard.project.fs import repository_root
    from cfgguard.project.pins import targets
    from cfgguard.project.walk import walk_repository

    root = repository_root(config_path, cwd)
    vendored = walk_repository(root).vendored if scan else ()
    return targets(config_path, root, vendored)
