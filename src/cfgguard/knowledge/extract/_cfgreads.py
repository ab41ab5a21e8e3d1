"""The config keys a recipe reads from its ``cfg`` (an OmegaConf DictConfig), by ``ast``.

A function with a ``cfg`` parameter holds the config's root. A name holds a section
once assigned one (``cfg_model = cfg.model``), looped over one (``for d in cfg.datasets``
-> ``datasets[]``), or passed one as an argument to a function or method of the same
file, which is then read with that binding (two calls deep at most); a class or function
the file imports from the package (``CheckpointClient(cfg)``) is read the same way, one
level deep, through ``external``. Reads: ``x.k``, ``x["k"]``, ``x.get("k", default)``,
``x.pop("k", default)``, ``getattr(x, "k", default)``, ``"k" in x``.
``config.instantiate(x)`` makes ``x`` a component (its keys are the component's
arguments); ``_get_component_from_path(x)`` an import path; ``**x``, ``x.items()`` (or
``keys``, ``values``), ``OmegaConf.to_container(x)`` and ``dict(x)`` a free-form section
(every key it holds is taken). A key given by a constant (``cfg.get(PROFILER_KEY)``) is
resolved through ``constant``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from cfgguard.knowledge.extract import pyast
from cfgguard.records import dataclass

MAX_CALL_DEPTH = 2
ROOT_NAMES = ("cfg",)
_METHODS = frozenset(
    ("items", "keys", "values", "copy", "get", "pop", "setdefault", "update", "merge_with")
)
_ITERATION = frozenset(("items", "keys", "values"))
_WHOLE = frozenset(("to_container", "to_object", "dict"))  # OmegaConf.to_container(x), dict(x)
_LITERAL_TYPES: dict[type, str] = {bool: "bool", int: "int", float: "float", str: "str"}


@dataclass(slots=True)
class Read:
    path: str  # dotted, ``a[].b`` for list items
    line: int
    default: str = ""  # source text of a ``get``/``pop`` default; "" = read as required
    kind: str = ""  # "component", "import path", "dict" (**kwargs), or a literal's type
    file: str = ""  # where the read is, when not in the recipe itself


Function = ast.FunctionDef | ast.AsyncFunctionDef
Constant = Callable[[str], "str | None"]
# an imported name -> (its file, the functions to read: a function, or a class's
# methods with ``__init__`` first)
External = Callable[[str], "tuple[str, list[Function]] | None"]


class RecipeReads:
    """Every key a module's functions read from a ``cfg`` they are given."""

    def __init__(
        self, module: ast.Module, constant: Constant, external: External | None = None
    ) -> None:
        self.constant = constant
        self.external = external
        self.functions: list[Function] = []
        for node in module.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.append(node)
            elif isinstance(node, ast.ClassDef):
                self.functions.extend(
                    item
                    for item in node.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                )
        self.by_name: dict[str, list[Function]] = {}
        for func in self.functions:
            self.by_name.setdefault(func.name, []).append(func)
        self.reads: dict[str, Read] = {}
        self.self_attrs: dict[str, str] = {}  # ``self._cfg = cfg``: attribute -> path
        self._done: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        self._read: set[int] = set()  # functions read at least once
        for func in self.functions:
            names = [
                a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)
            ]
            roots = {n: "" for n in names if n in ROOT_NAMES}
            if roots:
                self._read_function(func, roots, 0)
        if self.self_attrs:  # methods that read the config only through ``self``
            for func in self.functions:
                if id(func) not in self._read:
                    self._read_function(func, {}, 0)

    def _read_function(
        self, func: Function, env: dict[str, str], depth: int, file: str = ""
    ) -> None:
        key = (f"{file}:{func.name}:{func.lineno}", tuple(sorted(env.items())))
        if key in self._done or depth > MAX_CALL_DEPTH:
            return
        self._done.add(key)
        self._read.add(id(func))
        _Visitor(self, dict(env), depth, file).visit_body(func.body)

    def note(self, path: str, line: int, default: str = "", kind: str = "", file: str = "") -> None:
        if not path:
            return
        old = self.reads.get(path)
        if old is None:
            self.reads[path] = Read(path, line, default, kind, file)
            return
        if default and not old.default:
            old.default = default
        if kind and (not old.kind or kind in ("component", "import path", "dict")):
            old.kind = kind


class _Visitor(ast.NodeVisitor):
    def __init__(self, owner: RecipeReads, env: dict[str, str], depth: int, file: str) -> None:
        self.owner = owner
        self.env = env
        self.depth = depth
        self.file = file

    def note(self, path: str, line: int, default: str = "", kind: str = "") -> None:
        self.owner.note(path, line, default, kind, self.file)

    def visit_body(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.visit(stmt)

    # bindings, in source order
    def visit_Assign(self, node: ast.Assign) -> None:
        path = self.path(node.value)
        for target in node.targets:
            self._bind(target, path)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, self.path(node.value))

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._bind(node.target, self.path(node.value))

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self._loop(node.target, node.iter)
        self.visit_body(node.body)
        self.visit_body(node.orelse)

    visit_AsyncFor = visit_For

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._loop(node.target, node.iter)
        for test in node.ifs:
            self.visit(test)

    def _visit_comp(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        for gen in node.generators:
            self.visit_comprehension(gen)
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for part in parts:
            self.visit(part)

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _visit_comp

    def _loop(self, target: ast.expr, iterable: ast.expr) -> None:
        if isinstance(iterable, ast.Call) and pyast.dotted(iterable.func) == "enumerate":
            path = self.path(iterable.args[0]) if iterable.args else None
            if isinstance(target, ast.Tuple) and len(target.elts) == 2:
                target = target.elts[1]
        else:
            path = self.path(iterable)
        self._bind(target, None if path is None else f"{path}[]")

    def _bind(self, target: ast.expr, path: str | None) -> None:
        """A name keeps a section it may hold: ``if x is None: x = {}`` does not end it."""
        if path is None:
            return
        if isinstance(target, ast.Name):
            self.env[target.id] = path
        elif isinstance(target, ast.Attribute) and pyast.dotted(target.value) == "self":
            self.owner.self_attrs.setdefault(target.attr, path)

    # reads
    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.path(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.path(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        self.visit(node.left)
        for op, right in zip(node.ops, node.comparators, strict=True):
            section = self.path(right)
            key = self._key(node.left)
            if section is not None and key and isinstance(op, ast.In | ast.NotIn):
                self.note(_join(section, key), node.lineno, "None")

    def visit_Call(self, node: ast.Call) -> None:
        self.path(node)

    def path(self, node: ast.expr) -> str | None:
        """The config path ``node`` evaluates to (noting the reads on the way), if any."""
        if isinstance(node, ast.Name):
            return self.env.get(node.id)
        if isinstance(node, ast.Attribute) and pyast.dotted(node.value) == "self":
            return self.owner.self_attrs.get(node.attr)
        if isinstance(node, ast.Attribute):
            base = self.path(node.value)
            if base is None or node.attr in _METHODS:
                return None
            path = _join(base, node.attr)
            self.note(path, node.lineno)
            return path
        if isinstance(node, ast.Subscript):
            base = self.path(node.value)
            key = self._key(node.slice)
            self.visit(node.slice)
            if base is None:
                return None
            if not key:
                return f"{base}[]" if _is_index(node.slice) else None
            path = _join(base, key)
            self.note(path, node.lineno)
            return path
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            self._visit_comp(node)  # the loop binds its name before the element is read
        else:
            self.generic_visit(node)
        return None

    def _call(self, node: ast.Call) -> str | None:
        func = node.func
        name = pyast.dotted(func)
        last = name.rsplit(".", 1)[-1]
        if isinstance(func, ast.Attribute) and func.attr in ("get", "pop") and node.args:
            base = self.path(func.value)
            key = self._key(node.args[0])
            self._visit_args(node, skip=1)
            if base is None or not key:
                return None
            default = node.args[1] if len(node.args) > 1 else _keyword(node, "default")
            path = _join(base, key)
            self.note(path, node.lineno, pyast.source_text(default) or "None", _kind(default))
            return path
        if last == "getattr" and len(node.args) >= 2:
            base = self.path(node.args[0])
            key = self._key(node.args[1])
            if base is None or not key:
                return None
            default = node.args[2] if len(node.args) > 2 else None
            path = _join(base, key)
            self.note(path, node.lineno, pyast.source_text(default), _kind(default))
            return path
        if last in ("instantiate", "_get_component_from_path") and node.args:
            kind = "component" if last == "instantiate" else "import path"
            target = self.path(node.args[0])
            if target is not None:
                self.note(target, node.lineno, kind=kind)
            self._visit_args(node, skip=1)
            return None
        whole = self._consumed_whole(node, last)
        if whole is not None:  # every key of the section is taken: free-form
            self.note(whole, node.lineno, kind="dict")
            self._visit_args(node, skip=1 if node.args and last in _WHOLE else 0)
            return None
        self.visit(func)
        self._visit_args(node, skip=0)
        self._follow(node)
        return None

    def _consumed_whole(self, node: ast.Call, last: str) -> str | None:
        """``x.items()`` / ``.keys()`` / ``.values()``, ``OmegaConf.to_container(x)``,
        ``dict(x)``: the section ``x`` whose keys the code takes all of."""
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _ITERATION and not node.args:
            return self.path(func.value)
        if last in _WHOLE and node.args:
            return self.path(node.args[0])
        return None

    def _visit_args(self, node: ast.Call, skip: int) -> None:
        for arg in node.args[skip:]:
            self.visit(arg)
        for keyword in node.keywords:
            path = self.path(keyword.value)
            if keyword.arg is None and path is not None:  # **section: free-form kwargs
                self.note(path, node.lineno, kind="dict")

    def _follow(self, node: ast.Call) -> None:
        """Read a function the call hands sections to, with those bindings: one of the
        same file, or (one level deep) one the file imports from the package."""
        name = pyast.dotted(node.func)
        if "." in name and not name.startswith("self."):
            return
        values = [*node.args, *(k.value for k in node.keywords if k.arg)]
        if all(self._bound(value) is None for value in values):
            return  # hands over no section: nothing to follow (and nothing to look up)
        targets = [(t, self.file) for t in self.owner.by_name.get(name.rsplit(".", 1)[-1], ())]
        methods: list[Function] = []
        if not targets and "." not in name and self.owner.external and not self.file:
            found = self.owner.external(name)
            if found is not None and found[1]:
                file, functions = found
                targets = [(functions[0], file)]
                methods = functions[1:]
        for target, file in targets:
            env = self._arguments(target, node)
            if env:
                self.owner._read_function(target, env, self.depth + 1, file)  # pyright: ignore[reportPrivateUsage]
                for method in methods:  # what __init__ kept on self
                    self.owner._read_function(method, {}, self.depth + 1, file)  # pyright: ignore[reportPrivateUsage]

    def _arguments(self, target: Function, node: ast.Call) -> dict[str, str]:
        params = [a.arg for a in (*target.args.posonlyargs, *target.args.args)]
        if params[:1] == ["self"]:
            params = params[1:]
        env: dict[str, str] = {}
        for param, arg in zip(params, node.args, strict=False):
            path = self._bound(arg)
            if path is not None:
                env[param] = path
        for keyword in node.keywords:
            path = self._bound(keyword.value) if keyword.arg else None
            if path is not None and keyword.arg:
                env[keyword.arg] = path
        return env  # a root binding of a function already read as a root is seen as done

    def _bound(self, node: ast.expr) -> str | None:
        """A path an argument carries, without noting its reads again."""
        if isinstance(node, ast.Name):
            return self.env.get(node.id)
        if isinstance(node, ast.Attribute) and pyast.dotted(node.value) == "self":
            return self.owner.self_attrs.get(node.attr)
        if isinstance(node, ast.Attribute):
            base = self._bound(node.value)
            return None if base is None or node.attr in _METHODS else _join(base, node.attr)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            base = self._bound(node.func.value)
            key = self._key(node.args[0])
            if base is not None and key and node.func.attr in ("get", "pop"):
                return _join(base, key)
        return None

    def _key(self, node: ast.AST) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return self.owner.constant(node.id) or ""
        return ""


def _join(base: str, key: str) -> str:
    return f"{base}.{key}" if base else key


def _is_index(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, int)


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


def _kind(default: ast.expr | None) -> str:
    if isinstance(default, ast.Constant) and default.value is not None:
        return _LITERAL_TYPES.get(type(default.value), "")
    return ""
