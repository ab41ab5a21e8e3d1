"""A package's modules, parsed with ``ast``, and the names written in them resolved.

``Index`` parses a bounded set of files once and resolves a class name as written in
one of them: a class of that file, a ``from x import Name`` (relative or absolute),
else a class of that name elsewhere (a copy of a package's files may be partial, so
nothing has to resolve). Nothing is imported or run.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator

from cfgguard.knowledge.extract import pyast
from cfgguard.knowledge.extract.tree import SourceTree
from cfgguard.records import dataclass

MAX_DEPTH = 12
ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum"})


@dataclass(frozen=True, slots=True)
class ClassRef:
    path: str
    node: ast.ClassDef

    @property
    def name(self) -> str:
        return self.node.name


def module_name(path: str, top: str) -> str:
    """``src/axolotl/utils/x.py`` -> ``axolotl.utils.x`` (from the ``top`` package on)."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    if top in parts:
        parts = parts[parts.index(top) :]
    return ".".join(parts)


class Index:
    """Parsed modules and the classes, functions and assignments at their top level."""

    def __init__(
        self,
        tree: SourceTree,
        paths: Iterable[str],
        top: str,
        keep: Callable[[str, str], bool] | None = None,  # (path, text): parse it?
    ) -> None:
        self.modules: dict[str, ast.Module] = {}
        self.unparsed: list[str] = []  # files that do not parse
        self._names: dict[str, str] = {}  # path -> module name
        self._classes: dict[str, list[ClassRef]] = {}
        self._functions: dict[str, list[tuple[str, ast.FunctionDef]]] = {}
        self._assigned: dict[tuple[str, str], ast.expr] = {}
        self._imports: dict[str, dict[str, tuple[str, str]]] = {}
        self._mro: dict[int, tuple[list[ClassRef], set[str]]] = {}
        for path in paths:
            text = tree.read(path)
            if text is not None and keep is not None and not keep(path, text):
                continue
            module = pyast.parse(text)
            if module is None:
                self.unparsed.append(path)
                continue
            self.modules[path] = module
            self._names[path] = module_name(path, top)
            self._imports[path] = _imports(module, self._names[path], path)
            for node in module.body:
                if isinstance(node, ast.ClassDef):
                    self._classes.setdefault(node.name, []).append(ClassRef(path, node))
                elif isinstance(node, ast.FunctionDef):
                    self._functions.setdefault(node.name, []).append((path, node))
                elif isinstance(node, ast.Assign | ast.AnnAssign):
                    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                    if isinstance(target, ast.Name) and node.value is not None:
                        self._assigned[(path, target.id)] = node.value

    def classes(self) -> list[ClassRef]:
        """Every top-level class, in file order."""
        refs = [r for found in self._classes.values() for r in found]
        return sorted(refs, key=lambda r: (r.path, r.node.lineno))

    def classes_named(self, name: str) -> list[ClassRef]:
        return self._classes.get(name, [])

    def imports(self, path: str) -> dict[str, tuple[str, str]]:
        """Local name -> (module, original name) of the file's ``from x import y``."""
        return self._imports.get(path, {})

    def _choose(self, refs: list[ClassRef], where: str, module: str | None) -> ClassRef:
        if module:
            for ref in refs:
                name = self._names[ref.path]
                if name == module or name.startswith(module + "."):
                    return ref
            tail = module.rsplit(".", 1)[-1]
            for ref in refs:
                if self._names[ref.path].rsplit(".", 1)[-1] == tail:
                    return ref
        folder = where.rpartition("/")[0]
        return next((r for r in refs if r.path.rpartition("/")[0] == folder), refs[0])

    def resolve(self, written: str, where: str) -> ClassRef | None:
        """The class ``written`` (``Name`` or ``mod.Name``) means in the file ``where``."""
        name = written.rsplit(".", 1)[-1]
        local = [r for r in self._classes.get(name, []) if r.path == where]
        if local:
            return local[-1]  # a later definition wins, as at import
        target = self._imports.get(where, {}).get(name)
        refs = self._classes.get(target[1] if target else name, [])
        return self._choose(refs, where, target[0] if target else None) if refs else None

    def qualified(self, dotted_name: str) -> ClassRef | None:
        """``a.b.Cls``: a class by module path (``a.b`` may re-export it from below)."""
        module, _, name = dotted_name.rpartition(".")
        refs = self._classes.get(name, [])
        return self._choose(refs, "", module) if refs else None

    def function(self, name: str, where: str) -> tuple[str, ast.FunctionDef] | None:
        """The module-level function ``name`` called in ``where``."""
        found = self._functions.get(name, [])
        target = self._imports.get(where, {}).get(name)
        for path, node in found:
            if path == where or (target and self._names[path] == target[0]):
                return path, node
        return found[0] if len(found) == 1 and target else None

    def assigned(self, name: str, where: str) -> tuple[str, ast.expr] | None:
        """A module-level assignment (a type alias ``Recipe = Literal[...]``) as seen
        from ``where``, with the file that makes it."""
        if (where, name) in self._assigned:
            return where, self._assigned[(where, name)]
        target = self._imports.get(where, {}).get(name)
        if target:
            for (path, assigned), value in self._assigned.items():
                if assigned == target[1] and self._names[path] == target[0]:
                    return path, value
        return None

    def bases(self, ref: ClassRef) -> list[ClassRef | str]:
        """Each base as its class, or its name when it is not in the index."""
        out: list[ClassRef | str] = []
        for base in ref.node.bases:
            written = pyast.dotted(base.value if isinstance(base, ast.Subscript) else base)
            found = self.resolve(written, ref.path) if written else None
            if found is None or found.node is ref.node:
                out.append(written.rsplit(".", 1)[-1])
            else:
                out.append(found)
        return out

    def mro(self, ref: ClassRef) -> tuple[list[ClassRef], set[str]]:
        """``ref`` and the classes it inherits from, most derived first (depth first,
        left to right: C3 for the mixin trees models use); unresolved base names."""
        cached = self._mro.get(id(ref.node))
        if cached is None:
            order: list[ClassRef] = []
            missing: set[str] = set()
            self._visit(ref, order, missing, 0)
            cached = self._mro[id(ref.node)] = (order, missing)
        return cached

    def _visit(self, ref: ClassRef, order: list[ClassRef], missing: set[str], depth: int) -> None:
        if depth > MAX_DEPTH or any(r.node is ref.node for r in order):
            return
        order.append(ref)
        for base in self.bases(ref):
            if isinstance(base, str):
                missing.add(base)
            else:
                self._visit(base, order, missing, depth + 1)

    def is_model(self, ref: ClassRef) -> bool:
        return "BaseModel" in self.mro(ref)[1]

    def is_enum(self, ref: ClassRef) -> bool:
        return bool(ENUM_BASES & self.mro(ref)[1])


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module statements, also inside top-level ``if``/``try`` (optional imports)."""
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.Try):
            yield from _top_level([*node.body, *node.orelse])
            for handler in node.handlers if isinstance(node, ast.Try) else ():
                yield from _top_level(handler.body)


def _imports(module: ast.Module, name: str, path: str) -> dict[str, tuple[str, str]]:
    is_package = path.endswith("/__init__.py") or path == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out: dict[str, tuple[str, str]] = {}
    for node in _top_level(module.body):
        if not isinstance(node, ast.ImportFrom):
            continue
        source = node.module or ""
        if node.level:
            base = package.split(".") if package else []
            base = base[: len(base) - node.level + 1] if node.level > 1 else base
            source = ".".join([*base, source] if source else base)
        for item in node.names:
            out[item.asname or item.name] = (source, item.name)
    return out
