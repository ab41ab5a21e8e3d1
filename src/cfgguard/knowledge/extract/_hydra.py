"""Hydra's composition of a config from its ``defaults`` lists, read from a source tree.

Follows hydra-core 1.3 (``hydra/_internal/defaults_list.py``, ``hydra/core/
default_element.py``): an entry is ``_self_`` (where the config's own content goes;
appended last when the list lacks it), a config (``name``, ``name@pkg``, ``/abs/name``)
merged at the parent's package, or a group (``group@pkg: option``, a list of options,
``null``, ``optional``, ``override group: option``, ``${group}`` in an option = that
group's choice). A group path is relative to the containing config's folder (``../x``
allowed); a package is relative to the parent's package, a ``# @package`` header is
absolute, ``_global_`` is the root, ``_here_`` the parent's. ``hydra.searchpath``
(``pkg://a.b``, ``file://dir``) adds folders found in the tree. Nothing is run; missing
files are reported, not fatal (a vendored copy may be partial).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import cast

from cfgguard.knowledge.extract._yamltree import Leaf, Tree, YamlFile, load, merge, place
from cfgguard.knowledge.extract.tree import SourceTree
from cfgguard.records import dataclass

MAX_DEPTH = 20
MAX_PIECES = 2_000
_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True, slots=True)
class Composed:
    tree: Tree
    missing: tuple[str, ...]  # configs a defaults list names that the tree lacks
    files: tuple[str, ...]  # the files merged, in order


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str  # self, config, group
    name: str  # config path or group as written
    package: str | None
    value: object = None  # a group's option(s)
    optional: bool = False
    override: bool = False


class ConfigRepo:
    """The YAML files of one source tree, each read once."""

    def __init__(self, source: SourceTree) -> None:
        self._source = source
        self.paths = frozenset(p for p in source.paths() if p.endswith(".yaml"))
        self.dirs = frozenset(posixpath.dirname(p) for p in self.paths)
        self._cache: dict[str, YamlFile | None] = {}

    def load(self, path: str) -> YamlFile | None:
        if path not in self._cache:
            text = self._source.read(path) if path in self.paths else None
            self._cache[path] = None if text is None else load(text, path)
        return self._cache[path]

    def find(self, config_path: str, roots: Sequence[str]) -> str | None:
        for root in roots:
            path = posixpath.normpath(posixpath.join(root, config_path + ".yaml"))
            if path in self.paths:
                return path
        return None

    def folder(self, suffix: str) -> str | None:
        """The shortest folder that is or ends with ``suffix`` (a search-path entry);
        failing that, with ``suffix``'s leading parts dropped (a tree that starts
        inside the package)."""
        parts = suffix.strip("/").split("/")
        for start in range(len(parts) - 1 if len(parts) > 1 else 1):
            tail = "/".join(parts[start:])
            hits = [d for d in self.dirs if d == tail or d.endswith("/" + tail)]
            if hits:
                return min(hits, key=len)
        return None


def compose(
    repo: ConfigRepo, roots: Sequence[str], name: str, choices: Mapping[str, str] | None = None
) -> Composed | None:
    """The config ``name`` composed as Hydra would, or None when it is not there;
    ``choices``: group overrides as on a command line (``model_engine=megatron``)."""
    path = repo.find(name, roots)
    primary = repo.load(path) if path else None
    if primary is None:
        return None
    composer = _Composer(repo, (*roots, *_search_path(repo, primary)))
    composer.overrides.update(choices or {})
    composer.visit(primary, "", _final("", None, primary.header, "", ""), 0)
    tree = Tree(primary.path, 1)
    for package, content in composer.pieces:
        merge(tree, place(package, content))
    tree.pop("hydra", None)  # Hydra's own settings, not the job's config
    files = dict.fromkeys(f for f, _ in composer.files)
    return Composed(tree, tuple(dict.fromkeys(composer.missing)), tuple(files))


def _search_path(repo: ConfigRepo, primary: YamlFile) -> list[str]:
    hydra = primary.tree.get("hydra")
    node = hydra.get("searchpath") if isinstance(hydra, dict) else None
    if not isinstance(node, Leaf) or node.kind != "list":
        return []
    out: list[str] = []
    for item in node.text.strip("[]").split(","):
        entry = item.strip().strip("'\"")
        scheme, _, rest = entry.partition("://")
        suffix = rest.replace(".", "/") if scheme == "pkg" else rest if scheme == "file" else ""
        folder = repo.folder(suffix.lstrip("./")) if suffix else None
        if folder is not None:
            out.append(folder)
    return out


def _final(parent: str, package: str | None, header: str | None, default: str, group: str) -> str:
    """The absolute package of a config (``_get_final_package`` in hydra-core)."""
    if package is None and header is not None:
        package = header if header.startswith("_global_") else f"_global_.{header}".rstrip(".")
    if package is None:
        package = default
    if package == "_here_":
        package = ""
    package = package.replace("_group_", group.replace("/", "."))
    out = package if not parent else parent if not package else f"{parent}.{package}"
    cut = out.rfind("_global_")
    return out if cut < 0 else out[cut + len("_global_") + 1 :]


def _entries(raw: list[object]) -> list[_Entry]:
    out: list[_Entry] = []
    for item in raw:
        if isinstance(item, str):
            if item == "_self_":
                out.append(_Entry("self", "", None))
            else:
                name, _, package = item.partition("@")
                out.append(_Entry("config", name, package if "@" in item else None))
        elif isinstance(item, dict) and len(cast("dict[str, object]", item)) == 1:
            key, value = next(iter(cast("dict[str, object]", item).items()))
            words = key.split()
            if not words:
                continue
            name, _, package = words[-1].partition("@")
            out.append(
                _Entry(
                    "group",
                    name,
                    package if "@" in words[-1] else None,
                    value,
                    optional="optional" in words[:-1],
                    override="override" in words[:-1],
                )
            )
    return out


class _Composer:
    def __init__(self, repo: ConfigRepo, roots: tuple[str, ...]) -> None:
        self.repo = repo
        self.roots = roots
        self.overrides: dict[str, object] = {}
        self.choices: dict[str, str] = {}
        self.pieces: list[tuple[str, Tree]] = []
        self.files: list[tuple[str, str]] = []
        self.missing: list[str] = []

    def visit(self, config: YamlFile, base: str, package: str, depth: int) -> None:
        if depth > MAX_DEPTH or len(self.pieces) > MAX_PIECES:
            return
        entries = _entries(config.defaults or [])
        for entry in entries:
            if entry.kind == "group":
                self._note_choice(entry, _group_path(base, entry.name))
        if config.defaults is not None and not any(e.kind == "self" for e in entries):
            entries.append(_Entry("self", "", None))
        if not entries:
            entries = [_Entry("self", "", None)]
        for entry in entries:
            if entry.kind == "self":
                self.pieces.append((package, config.tree))
                self.files.append((config.path, package))
            elif entry.kind == "config":
                self._config(entry, base, package, depth)
            elif not entry.override:
                self._group(entry, base, package, depth)

    def _note_choice(self, entry: _Entry, group: str) -> None:
        """Record a group entry's override or plain choice, before any child is visited."""
        if entry.override:
            self.overrides.setdefault(group, entry.value)
        elif isinstance(entry.value, str) and "${" not in entry.value:
            choice = self.overrides.get(group, entry.value)
            if isinstance(choice, str):
                self.choices.setdefault(group, choice)

    def _config(self, entry: _Entry, base: str, package: str, depth: int) -> None:
        relative = entry.name.lstrip("/")
        config_path = relative if entry.name.startswith("/") or not base else f"{base}/{relative}"
        config_path = posixpath.normpath(config_path)
        child = self._load(config_path, entry.optional)
        if child is not None:
            folder = posixpath.dirname(relative)
            final = _final(package, entry.package, child.header, folder.replace("/", "."), folder)
            self.visit(child, posixpath.dirname(config_path), final, depth + 1)

    def _group(self, entry: _Entry, base: str, package: str, depth: int) -> None:
        group = _group_path(base, entry.name)
        value = self.overrides.get(group, entry.value)
        options: list[object] = (
            list(value) if isinstance(value, list) else [value]  # pyright: ignore[reportUnknownArgumentType]
        )
        for option in options:
            if not isinstance(option, str):
                continue  # null: the group is left out
            chosen = _INTERPOLATION.sub(lambda m: self.choices.get(m.group(1).strip(), "?"), option)
            if "?" in chosen:
                self.missing.append(f"{group}/{option}")
                continue
            self.choices.setdefault(group, chosen)
            child = self._load(f"{group}/{chosen}", entry.optional)
            if child is not None:
                default = entry.name.lstrip("/").replace("/", ".")
                final = _final(package, entry.package, child.header, default, group)
                self.visit(child, group, final, depth + 1)

    def _load(self, config_path: str, optional: bool) -> YamlFile | None:
        path = self.repo.find(config_path, self.roots)
        child = self.repo.load(path) if path else None
        if child is None and not optional:
            self.missing.append(config_path)
        return child


def _group_path(base: str, group: str) -> str:
    if group.startswith("/"):
        return posixpath.normpath(group[1:])
    return posixpath.normpath(f"{base}/{group}" if base else group)
