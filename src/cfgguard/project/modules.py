"""The repository's Python modules as ``ast`` trees, and names resolved across them.

A name a module uses is resolved the way its imports say, without running anything: a
class defined at the module's top level; a name imported from a framework (``from trl
import GRPOConfig``, ``import trl`` then ``trl.GRPOConfig``); or a name imported from
another module of the repository, found by path (an absolute ``a.b`` is ``a/b.py`` or
``a/b/__init__.py`` below the importing file's directory or one of its ancestors up to
the root; a relative one below the importing package), followed through re-exports, a
bounded number of steps.
"""

from __future__ import annotations

import ast
import os
import re
from collections import deque
from collections.abc import Iterator
from typing import cast

from cfgguard.knowledge.extract.pyast import dotted
from cfgguard.project import fs
from cfgguard.project.names import ALIGNMENT_MODULE, ALIGNMENT_PACKAGE, FRAMEWORK_MODULES
from cfgguard.project.records import ClassRef
from cfgguard.project.segments import Segments
from cfgguard.records import dataclass

MAX_MODULES = 2_000  # modules parsed per repository
MAX_HOPS = 8  # re-exports followed for one name
MAX_FOLDER_FILES = 50  # modules of a package searched for a name its __init__ does not bind
MAX_PY_SIZE = 1_000_000


@dataclass(frozen=True, slots=True)
class Binding:
    """A local name an import makes: a module (``attr`` None) or a name from one."""

    module: str  # absolute dotted name; "" for a relative import (then ``base`` is set)
    attr: str | None
    base: str = ""  # relative import: the repo path (no extension) it names


class Module:
    """One repository module, read as segments (``segments``): its top-level classes and
    imports are known without parsing the rest."""

    def __init__(self, rel: str, text: str | None) -> None:
        self.rel = rel
        self.read = text is not None
        self.text = text or ""
        self.segments = Segments(self.text)
        self._class_segments = self.segments.classes()
        self.bindings: dict[str, Binding] = {}
        self.stars: list[Binding] = []
        for segment in self.segments.import_segments():
            self.add_bindings(self.segments.statements(segment))

    @property
    def ok(self) -> bool:
        return self.read and self.segments.error is None

    def class_names(self) -> list[str]:
        return list(self._class_segments)

    def has_class(self, name: str) -> bool:
        return name in self._class_segments

    def class_header(self, name: str) -> str:
        """The class's decorators and ``class`` line, as text (for cheap tests)."""
        first, last = self.segments.span(self._class_segments[name])
        lines = self.segments.lines[first - 1 : last]
        end = next((i for i, line in enumerate(lines) if line.startswith("class")), 0)
        return "".join(lines[: end + 1])

    def class_node(self, name: str) -> ast.ClassDef | None:
        segment = self._class_segments.get(name)
        if segment is None:
            return None
        found = [
            node
            for node in self.segments.statements(segment)
            if isinstance(node, ast.ClassDef) and node.name == name
        ]
        return found[-1] if found else None

    def class_ref(self, name: str) -> ClassRef:
        node = self.class_node(name)
        line = node.lineno if node else self.segments.span(self._class_segments[name])[0]
        return ClassRef(name, file=self.rel, line=line)

    def add_bindings(self, body: list[ast.stmt]) -> None:
        """The names the imports in ``body`` bind (a binding already made is kept)."""
        for node in statements(body, into_defs=True):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.bindings.setdefault(alias.asname, Binding(alias.name, None))
                    else:
                        top = alias.name.split(".", 1)[0]
                        self.bindings.setdefault(top, Binding(top, None))
            elif isinstance(node, ast.ImportFrom):
                source = node.module or ""
                base = ""
                if node.level:
                    base = _package_dir(self.rel, node.level)
                    base = "/".join(p for p in (base, source.replace(".", "/")) if p)
                    source = ""
                for alias in node.names:
                    binding = Binding(source, alias.name, base)
                    if alias.name == "*":
                        self.stars.append(binding)
                    else:
                        self.bindings.setdefault(alias.asname or alias.name, binding)


def _package_dir(rel: str, level: int) -> str:
    folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
    for _ in range(level - 1):
        folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
    return folder


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def statements(body: list[ast.stmt], into_defs: bool) -> Iterator[ast.stmt]:
    """The statements of ``body`` and of the blocks inside them, breadth first (a module's
    own statements before those of its functions); function and class bodies only when
    ``into_defs``. Expressions are not entered (that is where a full ``ast.walk`` spends
    its time)."""
    queue = deque(body)
    while queue:
        node = queue.popleft()
        yield node
        if isinstance(node, _DEFS) and not into_defs:
            continue
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list):
                queue.extend(s for s in cast(list[ast.AST], block) if isinstance(s, ast.stmt))
        for handler in getattr(node, "handlers", ()):
            queue.extend(cast(ast.ExceptHandler, handler).body)
        for case in getattr(node, "cases", ()):
            queue.extend(cast(ast.match_case, case).body)


class Modules:
    """The repository's modules, parsed on first use (bounded), and name resolution."""

    def __init__(self, root: str, python_files: tuple[str, ...]) -> None:
        self.root = root
        self.index = set(python_files)
        self.reader = fs.Reader(root, MAX_PY_SIZE)
        self.loaded: dict[str, Module] = {}
        self._folders: set[str] | None = None
        self.problems: list[str] = []

    def load(self, rel: str) -> Module:
        module = self.loaded.get(rel)
        if module is not None:
            return module
        text = None
        if len(self.loaded) < MAX_MODULES:
            text, why = self.reader.read(os.path.join(self.root, *rel.split("/")))
            if text is None and why:
                self.problems.append(f"{rel}:0: not read: {why}")
        module = self.loaded[rel] = Module(rel, text)
        return module

    def all_problems(self) -> list[str]:
        """Files not read, and modules found not to parse (while segments were read)."""
        out = list(self.problems)
        for rel, module in self.loaded.items():
            error = module.segments.error
            if error is not None:
                out.append(f"{rel}:{error.lineno or 0}: not valid Python")
        return out

    def find(self, importer: str, dotted_name: str) -> str | None:
        """The repo file of absolute module ``dotted_name`` as ``importer`` would import it."""
        tail = dotted_name.replace(".", "/")
        folder = importer.rsplit("/", 1)[0] if "/" in importer else ""
        while True:
            hit = self._file("/".join(p for p in (folder, tail) if p)) or self._file(
                "/".join(p for p in (folder, "src", tail) if p)
            )
            if hit:
                return hit
            if not folder:
                return None
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""

    def _file(self, base: str) -> str | None:
        for candidate in (base + ".py", base + "/__init__.py"):
            if candidate in self.index:
                return candidate
        return None

    def resolve(self, module: Module, expr: ast.expr) -> ClassRef | None:
        """The class ``expr`` (a name or dotted attribute) names in ``module``."""
        name = dotted(expr.value if isinstance(expr, ast.Subscript) else expr)
        if not name:
            return None
        head, *rest = name.split(".")
        if not rest and module.has_class(head):
            return module.class_ref(head)
        binding = module.bindings.get(head)
        if binding is None:
            for star in module.stars:
                found = self._in_binding(module.rel, star, head, 0)
                if found.kind != "unresolved":
                    return found
            return ClassRef(name.rsplit(".", 1)[-1])
        if binding.attr is None:  # ``import a.b`` then ``a.b.C``
            path = ".".join([binding.module, *rest[:-1]]) if rest else binding.module
            return self._from_module(module.rel, path, "", rest[-1] if rest else head, 0)
        if rest:  # ``from pkg import configs`` then ``configs.C``
            sub = Binding(
                f"{binding.module}.{binding.attr}" if binding.module else "",
                None,
                f"{binding.base}/{binding.attr}" if binding.base else "",
            )
            path = ".".join([sub.module, *rest[:-1]]) if sub.module else ""
            base = "/".join([sub.base, *rest[:-1]]) if sub.base else ""
            return self._from_module(module.rel, path, base, rest[-1], 0)
        return self._in_binding(module.rel, binding, binding.attr, 0)

    def _in_binding(self, importer: str, binding: Binding, name: str, hops: int) -> ClassRef:
        return self._from_module(importer, binding.module, binding.base, name, hops)

    def _from_module(
        self, importer: str, module_name: str, base: str, name: str, hops: int
    ) -> ClassRef:
        top = module_name.split(".", 1)[0]
        if top in FRAMEWORK_MODULES:
            return ClassRef(name, package=FRAMEWORK_MODULES[top], module=module_name)
        rel = self._file(base) if base else self.find(importer, module_name)
        if rel is None:
            if top == ALIGNMENT_MODULE:
                return ClassRef(name, package=ALIGNMENT_PACKAGE, module=module_name)
            found = self._in_folder(self._folder(importer, module_name, base), name)
            return found or ClassRef(name, module=module_name or base.replace("/", "."))
        target = self.load(rel)
        if target.has_class(name):
            return target.class_ref(name)
        if hops < MAX_HOPS:
            binding = target.bindings.get(name)
            if binding is not None and binding.attr is not None:
                return self._in_binding(rel, binding, binding.attr, hops + 1)
            for star in target.stars:
                found = self._in_binding(rel, star, name, hops + 1)
                if found.kind != "unresolved":
                    return found
        if rel.endswith("__init__.py"):
            found = self._in_folder(rel.rsplit("/", 1)[0] if "/" in rel else "", name)
            if found is not None:
                return found
        return ClassRef(name, module=module_name or base.replace("/", "."))

    # A package whose __init__ does not say where a name comes from (it is absent, or
    # builds its exports at run time, as transformers-style lazy modules do): the class
    # is looked for, by its ``class Name`` line, in the package's own modules.

    def _folder(self, importer: str, module_name: str, base: str) -> str | None:
        if self._folders is None:
            self._folders = {p.rsplit("/", 1)[0] for p in self.index if "/" in p}
        if base:
            return base if base in self._folders else None
        tail = module_name.replace(".", "/")
        folder = importer.rsplit("/", 1)[0] if "/" in importer else ""
        while True:
            for written in (f"{folder}/{tail}", f"{folder}/src/{tail}"):
                candidate = written.lstrip("/")
                if candidate in self._folders:
                    return candidate
            if not folder:
                return None
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""

    def _in_folder(self, folder: str | None, name: str) -> ClassRef | None:
        if folder is None:
            return None
        pattern = re.compile(r"^class\s+" + re.escape(name) + r"\b", re.MULTILINE)
        prefix = f"{folder}/" if folder else ""
        children = sorted(
            p for p in self.index if p.startswith(prefix) and "/" not in p[len(prefix) :]
        )
        for rel in children[:MAX_FOLDER_FILES]:
            known = self.loaded.get(rel)
            if known is not None:
                if known.has_class(name):
                    return known.class_ref(name)
                continue
            text, _ = self.reader.read(os.path.join(self.root, *rel.split("/")))
            if text is not None and pattern.search(text):
                module = self.load(rel)
                if module.has_class(name):
                    return module.class_ref(name)
        return None
