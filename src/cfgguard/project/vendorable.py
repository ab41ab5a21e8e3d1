"""Whether a folder is a copy of a framework's package source (no version read here:
``vendored.py`` does that, imported only when a copy is found)."""

from __future__ import annotations

import os

from cfgguard.project import fs


def _is_dir(path: str) -> bool:
    return os.path.isdir(path) and not os.path.islink(path)


def _has_file_ending(folder: str, *suffixes: str) -> bool:
    return any(not is_dir and name.endswith(suffixes) for name, is_dir in fs.entries(folder))


def is_copy(package: str, folder: str) -> bool:
    """``folder`` (named as ``package``'s import name) holds that package's loader source."""
    join = os.path.join
    if package == "trl":
        return _has_file_ending(join(folder, "trainer"), "_config.py")
    if package == "llamafactory":
        return os.path.isfile(join(folder, "hparams", "parser.py"))
    if package == "axolotl":
        return _is_dir(join(folder, "utils", "schemas")) or _is_dir(
            join(folder, "utils", "config", "models", "input")
        )
    if package == "verl":
        return _has_file_ending(join(folder, "trainer", "config"), ".yaml", ".yml")
    if package == "torchtune":
        return os.path.isfile(join(folder, "__init__.py"))
    if package == "transformers":
        return os.path.isfile(join(folder, "training_args.py"))
    return False


VENDORABLE = ("trl", "llamafactory", "axolotl", "verl", "torchtune", "transformers")
