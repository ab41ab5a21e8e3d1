"""Config dataclasses found from dotted names (``_target_: a.b.Cls``), read with ``ast``.

A name is looked up where Python would find it: the module's own classes, then its
``from x import Name`` and ``from x import *`` (relative or absolute, within the tree),
a few levels deep. A class's bases and the classes its field annotations name are found
the same way, so a consumer can resolve inherited fields. ``__post_init__`` adds what
the fields alone do not say: ``assert self.x in [...]`` (choices) and a deprecation
warning naming a field (``deprecated``, and ``replacement`` when it says ``use `y```).
"""

from __future__ import annotations

import ast
import re

from cfgguard.knowledge.extract import pyast
from cfgguard.knowledge.extract.snapshot import ClassInfo, FieldInfo
from cfgguard.knowledge.extract.tree import SourceTree
from cfgguard.records import dataclass, replace

MAX_HOPS = 5
_USE = re.compile(r"\buse\s+[`'\"]?([A-Za-z_][\w.]*)")
_CLASS_NAME = re.compile(r"\b([A-Z]\w*)\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True, slots=True)
class Found:
    module: str  # dotted
    path: str
    node: ast.ClassDef


class Modules:
    """The tree's Python modules by dotted name, each parsed once."""

    def __init__(self, tree: SourceTree, package: str) -> None:
        self._tree = tree
        self._by_rel: dict[str, str] = {}
        marker = package + "/"
        for path in tree.paths():
            if not path.endswith(".py"):
                continue
            cut = path.find(marker) if not path.startswith(marker) else 0
            if cut >= 0 and (cut == 0 or path[cut - 1] == "/"):
                self._by_rel.setdefault(path[cut:], path)
        if not self._by_rel:  # the tree is the package folder itself
            for path in tree.paths():
                if path.endswith(".py"):
                    self._by_rel[marker + path] = path
        self._parsed: dict[str, ast.Module | None] = {}
        self.texts: dict[str, str] = {}

    def path_of(self, module: str) -> str | None:
        rel = module.replace(".", "/")
        return self._by_rel.get(rel + ".py") or self._by_rel.get(rel + "/__init__.py")

    def parse(self, path: str) -> ast.Module | None:
        if path not in self._parsed:
            text = self._tree.read(path)
            self.texts[path] = text or ""
            self._parsed[path] = pyast.parse(text)
        return self._parsed[path]

    def under(self, package: str) -> list[tuple[str, str]]:
        """(dotted module, path) of the modules directly in a dotted package."""
        prefix = package.replace(".", "/") + "/"
        out: list[tuple[str, str]] = []
        for rel, path in sorted(self._by_rel.items()):
            if rel.startswith(prefix) and "/" not in rel[len(prefix) :]:
                out.append((rel[: -len(".py")].replace("/", ".").removesuffix(".__init__"), path))
        return out

    def find(self, module: str, name: str, hops: int = 0) -> Found | None:
        """The class ``name`` as ``module`` sees it (its own, or imported)."""
        path = self.path_of(module)
        tree = self.parse(path) if path else None
        if tree is None or path is None or hops > MAX_HOPS:
            return None
        node = pyast.classes(tree).get(name)
        if node is not None:
            return Found(module, path, node)
        for source, imported in _imports(module, path, tree, name):
            found = self.find(source, imported, hops + 1)
            if found is not None:
                return found
        return None

    def function(self, module: str, name: str, hops: int = 0) -> tuple[str, ast.FunctionDef] | None:
        """The module-level function ``name`` as ``module`` sees it: (path, node)."""
        path = self.path_of(module)
        tree = self.parse(path) if path else None
        if tree is None or path is None or hops > MAX_HOPS:
            return None
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == name:
                return path, stmt
        for source, imported in _imports(module, path, tree, name):
            found = self.function(source, imported, hops + 1)
            if found is not None:
                return found
        return None

    def constant(self, module: str, name: str, hops: int = 0) -> str | None:
        """The string a module-level ``NAME = "..."`` gives, as ``module`` sees it."""
        path = self.path_of(module)
        tree = self.parse(path) if path else None
        if tree is None or path is None or hops > MAX_HOPS:
            return None
        for stmt in tree.body:
            if (
                isinstance(stmt, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
            ):
                return stmt.value.value
        for source, imported in _imports(module, path, tree, name):
            found = self.constant(source, imported, hops + 1)
            if found is not None:
                return found
        return None


def _imports(module: str, path: str, tree: ast.Module, name: str) -> list[tuple[str, str]]:
    """(source module, name there) of each import that may bring ``name`` in."""
    out: list[tuple[str, str]] = []
    for stmt in tree.body:
        if not isinstance(stmt, ast.ImportFrom):
            continue
        source = _absolute(module, path.endswith("__init__.py"), stmt.module, stmt.level)
        for alias in stmt.names:
            if alias.name == "*" or (alias.asname or alias.name) == name:
                out.append((source, name if alias.name == "*" else alias.name))
    return out


def _absolute(module: str, is_package: bool, target: str | None, level: int) -> str:
    if level == 0:
        return target or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, *([target] if target else [])])


def is_dataclass(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if pyast.dotted(target).rsplit(".", 1)[-1] == "dataclass":
            return True
    return False


def collect(modules: Modules, targets: list[str], folders: list[str]) -> dict[str, ClassInfo]:
    """Classes named by ``targets`` (dotted) and dataclasses defined in ``folders``
    (dotted packages), with every base and annotated field class they reach."""
    out: dict[str, ClassInfo] = {}
    queue: list[Found] = []
    for dotted in targets:
        module, _, name = dotted.rpartition(".")
        found = modules.find(module, name) if module else None
        if found is not None:
            queue.append(found)
    for folder in folders:
        for module, path in modules.under(folder):
            tree = modules.parse(path)
            for node in pyast.classes(tree).values() if tree else ():
                if is_dataclass(node):
                    queue.append(Found(module, path, node))
    while queue:
        found = queue.pop(0)
        if found.node.name in out:
            continue
        info = read_class(found, modules.texts.get(found.path, ""))
        out[info.name] = info
        names = [*info.bases, *(n for f in info.fields for n in _CLASS_NAME.findall(f.type))]
        for name in dict.fromkeys(names):
            if name not in out:
                hit = modules.find(found.module, name)
                if hit is not None and (is_dataclass(hit.node) or name in info.bases):
                    queue.append(hit)
    return out


def read_class(found: Found, text: str) -> ClassInfo:
    fields = pyast.dataclass_fields(found.node)
    post = next(
        (
            n
            for n in found.node.body
            if isinstance(n, ast.FunctionDef) and n.name == "__post_init__"
        ),
        None,
    )
    if post is not None:
        body = "\n".join(text.splitlines()[post.lineno - 1 : post.end_lineno])
        if "assert" in body or "eprecat" in body:  # walking every __post_init__ is slow
            fields = _post_init(post, fields)
    return ClassInfo(
        name=found.node.name,
        file=found.path,
        line=found.node.lineno,
        bases=pyast.base_names(found.node),
        fields=fields,
    )


def _post_init(post: ast.FunctionDef, fields: tuple[FieldInfo, ...]) -> tuple[FieldInfo, ...]:
    names = {f.name for f in fields}
    choices: dict[str, tuple[str, ...]] = {}
    for node in ast.walk(post):
        if isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare):
            test = node.test
            left = test.left
            if (
                isinstance(left, ast.Attribute)
                and pyast.dotted(left.value) == "self"
                and left.attr in names
                and len(test.ops) == 1
                and isinstance(test.ops[0], ast.In)
            ):
                values = pyast.literal_strings(test.comparators[0])
                if values:
                    choices.setdefault(left.attr, values)
    deprecated: dict[str, tuple[str, str]] = {}
    for text, _line in pyast.messages(post):
        if "deprecat" not in text.lower():
            continue
        use = _USE.search(text)
        replacement = use.group(1) if use and use.group(1) in names else ""
        mentions = [
            (hit.start(), name)
            for name in names - {replacement}
            for hit in [re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", text)]
            if hit is not None
        ]
        if mentions:
            sentence = next((s for s in _SENTENCE.split(text) if "deprecat" in s.lower()), text)
            deprecated.setdefault(min(mentions)[1], (pyast.first_sentence(sentence), replacement))
    out: list[FieldInfo] = []
    for info in fields:
        updated = info
        if info.name in choices and not info.choices:
            updated = replace(updated, choices=choices[info.name])
        if info.name in deprecated:
            text, replacement = deprecated[info.name]
            updated = replace(updated, deprecated=text, replacement=replacement)
        out.append(updated)
    return tuple(out)
