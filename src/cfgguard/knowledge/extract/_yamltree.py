"""YAML config files as trees whose leaves remember where they are written.

Read with PyYAML's safe composer: a node graph, nothing constructed, no tag honoured
(a value's kind comes from the core-schema resolver, plus OmegaConf's float rule that
makes ``1e-6`` a float). Mappings become dicts; every other value is a ``Leaf`` with its
source text. An empty mapping (``override_config: {}``) is a leaf of kind ``dict``: a
free-form section. ``merge`` follows ``OmegaConf.merge`` (omegaconf 2.3
``basecontainer.py`` ``_map_merge``): mappings merge key by key, any other value replaces,
and ``???`` (missing) never replaces a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import cast

import yaml

from cfgguard.records import dataclass

MAX_TEXT = 200
MAX_DEPTH = 40
MISSING = "???"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_KINDS = {"int": "int", "float": "float", "bool": "bool", "null": "null", "str": "str"}
# omegaconf 2.3 _utils.py get_yaml_loader: floats YAML 1.1 reads as strings
_FLOAT = re.compile(
    r"^(?:[-+]?[0-9]+(?:_[0-9]+)*\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+)"
    r"|\.[0-9]+(?:_[0-9]+)*(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


@dataclass(frozen=True, slots=True)
class Leaf:
    text: str  # source text; a sequence in flow form
    kind: str  # int float bool str null list dict missing
    file: str
    line: int  # 1-based


class Tree(dict[str, "Tree | Leaf"]):
    """A mapping, with where its key is written (the last writer's, after a merge)."""

    __slots__ = ("file", "line")

    def __init__(self, file: str = "", line: int = 0) -> None:
        super().__init__()
        self.file = file
        self.line = line


@dataclass(frozen=True, slots=True)
class YamlFile:
    path: str
    tree: Tree  # the content, without its ``defaults`` list
    defaults: list[object] | None  # the ``defaults`` list as plain values; None when absent
    header: str | None  # ``# @package X``
    lines: tuple[str, ...]


def load(text: str, path: str) -> YamlFile | None:
    """The file's mapping, or None when it is not YAML or not a mapping."""
    try:
        node = cast("yaml.Node | None", yaml.compose(text, Loader=_LOADER))  # pyright: ignore[reportUnknownMemberType]
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    if node is None:
        return YamlFile(path, Tree(path, 1), None, package_header(text), tuple(text.splitlines()))
    if not isinstance(node, yaml.MappingNode):
        return None
    defaults: list[object] | None = None
    tree = Tree(path, 1)
    for key_node, value_node in node.value:
        key = _key(key_node)
        if key == "defaults" and isinstance(value_node, yaml.SequenceNode):
            defaults = [_plain(item, 0) for item in value_node.value]
            continue
        tree[key] = _convert(value_node, key_node.start_mark.line + 1, text, path, 0)
    return YamlFile(path, tree, defaults, package_header(text), tuple(text.splitlines()))


def package_header(text: str) -> str | None:
    """Hydra's ``# @package X`` from the comment lines that open the file."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            return None
        body = stripped[1:].strip()
        if body.startswith("@package"):
            return body[len("@package") :].strip()
    return None


def _key(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else "?"


def _kind(node: yaml.ScalarNode) -> str:
    kind = _KINDS.get(node.tag[len(_CORE) :], "str") if node.tag.startswith(_CORE) else "str"
    if kind == "str" and not node.style:
        if _FLOAT.match(node.value):
            return "float"
        if node.value == MISSING:
            return "missing"
    return kind


def _source(node: yaml.Node, text: str) -> str:
    if isinstance(node, yaml.ScalarNode):
        raw = text[node.start_mark.index : node.end_mark.index]
        if "\n" in raw or not raw:
            raw = repr(node.value) if node.style in ("|", ">") else " ".join(raw.split())
        return raw if len(raw) <= MAX_TEXT else raw[: MAX_TEXT - 3] + "..."
    return flow(node, text, 0)


def flow(node: yaml.Node, text: str, depth: int) -> str:
    """A sequence or mapping written on one line (``[0.9, 0.999]``), bounded."""
    if depth > MAX_DEPTH:
        return "..."
    if isinstance(node, yaml.ScalarNode):
        return _source(node, text)
    if isinstance(node, yaml.SequenceNode):
        out = "[" + ", ".join(flow(item, text, depth + 1) for item in node.value) + "]"
    elif isinstance(node, yaml.MappingNode):
        pairs = (f"{_key(k)}: {flow(v, text, depth + 1)}" for k, v in node.value)
        out = "{" + ", ".join(pairs) + "}"
    else:  # pragma: no cover - the composer makes only these three
        out = ""
    return out if len(out) <= MAX_TEXT else out[: MAX_TEXT - 3] + "..."


def _convert(node: yaml.Node, line: int, text: str, path: str, depth: int) -> Tree | Leaf:
    """A value; ``line`` is where its key is written."""
    if isinstance(node, yaml.MappingNode) and node.value and depth < MAX_DEPTH:
        out = Tree(path, line)
        for k, v in node.value:
            out[_key(k)] = _convert(v, k.start_mark.line + 1, text, path, depth + 1)
        return out
    if isinstance(node, yaml.MappingNode):
        return Leaf(flow(node, text, depth), "dict", path, line)
    if isinstance(node, yaml.SequenceNode):
        return Leaf(flow(node, text, depth), "list", path, line)
    assert isinstance(node, yaml.ScalarNode)
    return Leaf(_source(node, text), _kind(node), path, line)


def _plain(node: yaml.Node, depth: int) -> object:
    """Strings, lists and dicts of a ``defaults`` entry (scalars as written)."""
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == _CORE + "null" else str(node.value)
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, depth + 1) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {_key(k): _plain(v, depth + 1) for k, v in node.value}
    return None  # pragma: no cover


def merge(dest: Tree, src: Tree) -> None:
    """``src`` merged into ``dest`` in place (OmegaConf's rules)."""
    for key, value in src.items():
        old = dest.get(key)
        if isinstance(value, Leaf) and value.kind == "missing" and old is not None:
            continue
        if isinstance(old, dict) and isinstance(value, dict):
            merge(old, value)
        else:
            dest[key] = _copy(value)


def _copy(value: Tree | Leaf) -> Tree | Leaf:
    if isinstance(value, Leaf):
        return value
    out = Tree(value.file, value.line)
    for key, item in value.items():
        out[key] = _copy(item)
    return out


def place(package: str, content: Tree) -> Tree:
    """``content`` nested under a dotted package (``a.b`` -> ``{a: {b: content}}``)."""
    out: Tree = content
    for part in reversed([p for p in package.split(".") if p]):
        outer = Tree(content.file, content.line)
        outer[part] = out
        out = outer
    return out


def leaves(tree: Tree, prefix: str = "") -> Iterator[tuple[str, Leaf]]:
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from leaves(value, path)
        else:
            yield path, value


def render(node: Tree | Leaf, depth: int = 0) -> str:
    """A composed value on one line (``{a: 1, b: {}}``), bounded."""
    if isinstance(node, Leaf):
        return node.text
    if depth > MAX_DEPTH:
        return "..."
    out = "{" + ", ".join(f"{k}: {render(v, depth + 1)}" for k, v in node.items()) + "}"
    return out if len(out) <= MAX_TEXT else out[: MAX_TEXT - 3] + "..."


def subtree(tree: Tree, dotted: str) -> Tree | Leaf | None:
    node: Tree | Leaf | None = tree
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def scalar_value(text: str, kind: str) -> object:
    """A leaf's value for comparisons (two spellings of one value are equal)."""
    if kind in ("list", "dict", "str"):
        try:
            return yaml.load(text, Loader=_LOADER)
        except yaml.YAMLError:
            return text
    if kind == "float":
        try:
            return float(text.replace("_", ""))
        except ValueError:
            return text
    if kind == "missing":
        return MISSING
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError:
        return text
