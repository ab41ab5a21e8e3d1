"""A framework's package source inside the repository, and the version it says it is.

A directory named as a framework's import package is a copy of it when it holds what that
framework's config loader lives in (``MARKERS``). Its version is read, never imported,
from (first found): ``__version__`` in its ``__init__.py`` (following one
``from .x import VERSION``), the framework's own version file (verl's ``version/version``,
LLaMA-Factory's ``extras/env.py``), a ``VERSION``/``version.txt`` file in the package or
beside it, or the static ``version`` of the distribution's pyproject.toml, setup.cfg or
setup.py. A local segment (``0.6.1+cpu``) is dropped.
"""

from __future__ import annotations

import os
import re

from cfgguard.project import fs
from cfgguard.project.pinfiles.setup_cfg import entries
from cfgguard.project.records import VendoredCopy

MAX_VERSION_FILE = 400_000

_ASSIGN = r"^\s*{name}\s*(?::\s*str\s*)?=\s*[\"']([^\"']*)[\"']"
_FROM_IMPORT = re.compile(r"^from\s+(\.[\w.]*)\s+import\s+[^\n]*\b(VERSION|__version__)\b", re.M)
_ALIAS = re.compile(r"^__version__\s*=\s*(VERSION|version)\s*$", re.M)
_VERSION = re.compile(r"^\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?(?:\.post\d+)?(?:\.dev\d*)?$")
_DYNAMIC_FILE = re.compile(r"^\{\s*file\s*=\s*[\"']([^\"']+)[\"']")  # pyproject: {file = "..."}
_CFG_FILE = re.compile(r"^file:\s*(\S+)")  # setup.cfg: version = file: VERSION
_SETUP_VERSION = re.compile(r"\bversion\s*=\s*[\"']([^\"']+)[\"']")


def distribution_dir(package_dir: str) -> str:
    """The top of the distribution holding ``package_dir`` (above a ``src/`` layout)."""
    parent = os.path.dirname(package_dir)
    return os.path.dirname(parent) if os.path.basename(parent) == "src" else parent


def copy_at(package: str, package_dir: str, reader: fs.Reader) -> VendoredCopy:
    version, origin = _version(package, package_dir, reader)
    return VendoredCopy(
        package=package,
        path=fs.relative(package_dir, reader.root),
        source=fs.relative(distribution_dir(package_dir), reader.root),
        version=version,
        version_origin=origin,
    )


def _clean(text: str) -> str:
    version = text.strip().split("+", 1)[0].lstrip("v")
    return version if _VERSION.match(version) else ""


def _origin(path: str, text: str, offset: int, reader: fs.Reader) -> str:
    return f"{fs.relative(path, reader.root)}:{text.count(chr(10), 0, offset) + 1}"


def _assigned(path: str, name: str, reader: fs.Reader) -> tuple[str, str]:
    text, _ = reader.read(path)
    if text is None:
        return "", ""
    found = re.search(_ASSIGN.format(name=re.escape(name)), text, re.M)
    if found and _clean(found.group(1)):
        return _clean(found.group(1)), _origin(path, text, found.start(), reader)
    return "", ""


def _file(path: str, reader: fs.Reader) -> tuple[str, str]:
    text, _ = reader.read(path)
    version = _clean(text.splitlines()[0]) if text and text.strip() else ""
    return (version, f"{fs.relative(path, reader.root)}:1") if version else ("", "")


def _init_version(package_dir: str, reader: fs.Reader) -> tuple[str, str]:
    init = os.path.join(package_dir, "__init__.py")
    found = _assigned(init, "__version__", reader)
    if found[0]:
        return found
    text, _ = reader.read(init)
    if text is None or not _ALIAS.search(text):
        return "", ""
    source = _FROM_IMPORT.search(text)
    if source is None:
        return "", ""
    module = source.group(1).lstrip(".").replace(".", os.sep)
    return _assigned(os.path.join(package_dir, module + ".py"), source.group(2), reader)


def _version(package: str, package_dir: str, reader: fs.Reader) -> tuple[str, str]:
    join = os.path.join
    dist = distribution_dir(package_dir)
    attempts = [
        lambda: _init_version(package_dir, reader),
        lambda: _file(join(package_dir, "version", "version"), reader),
        lambda: _assigned(join(package_dir, "extras", "env.py"), "VERSION", reader),
        lambda: _assigned(join(package_dir, "version.py"), "__version__", reader),
        lambda: _file(join(package_dir, "VERSION"), reader),
        lambda: _file(join(dist, "VERSION"), reader),
        lambda: _file(join(dist, "version.txt"), reader),
        lambda: _metadata_version(dist, reader),
    ]
    for attempt in attempts:
        version, origin = attempt()
        if version:
            return version, origin
    return "", ""


def _metadata_version(dist: str, reader: fs.Reader) -> tuple[str, str]:
    """The static version of the distribution's pyproject.toml / setup.cfg, or the
    ``version="..."`` literal of its setup.py."""
    for name, sections in (
        ("pyproject.toml", ("project", "tool.poetry", "tool.setuptools.dynamic")),
        ("setup.cfg", ("metadata",)),
    ):
        path = os.path.join(dist, name)
        text, _ = reader.read(path)
        for section, key, number, value in entries(text or ""):
            if section not in sections or key != "version":
                continue
            written = value.strip().strip("\"'")
            named = _DYNAMIC_FILE.match(written) or _CFG_FILE.match(written)
            if named and ".." not in named.group(1):
                return _file(os.path.join(dist, named.group(1)), reader)
            if _clean(written):
                return _clean(written), f"{fs.relative(path, reader.root)}:{number}"
    path = os.path.join(dist, "setup.py")
    text, _ = reader.read(path)
    found = _SETUP_VERSION.search(text or "")
    if text and found and _clean(found.group(1)):
        return _clean(found.group(1)), _origin(path, text, found.start(), reader)
    return "", ""
