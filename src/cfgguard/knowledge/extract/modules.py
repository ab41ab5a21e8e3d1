"""A package's modules in a source tree, parsed on demand, and the argument classes in them.

``Modules(tree, "trl")`` finds the package (``trl/__init__.py``, also under ``src/`` or
inside a vendoring repository) and resolves names the way an import would, without
running anything: a class defined in a module, or imported into it (relative and
absolute ``from`` imports, lazy packages' ``if TYPE_CHECKING:`` imports), or bound to
another name (``Base = Seq2SeqTrainingArguments``). ``argument_classes`` turns picked
classes into ``ClassInfo`` records: own fields, real base names, Enum choices, and
deprecations stated in field help or in the class's own warnings.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterable
from functools import cached_property

from cfgguard.knowledge.extract import deprecation, pyast
from cfgguard.knowledge.extract.snapshot import ClassInfo, FieldInfo
from cfgguard.knowledge.extract.tree import SourceTree, find
from cfgguard.records import replace

MAX_DEPTH = 8  # import hops followed for one name
Pick = tuple[str, ast.ClassDef]  # (path in the tree, class)
_TYPING = frozenset(  # annotation names that are never an Enum of the package
    {
        "Any", "Optional", "Union", "List", "Dict", "Tuple", "Set", "Literal", "Callable",
        "Type", "Sequence", "Mapping", "Annotated", "Iterable", "None", "True", "False",
    }
)  # fmt: skip


class _Parsed:
    """A parsed module and what name resolution asks of it (each worked out once)."""

    def __init__(self, module: ast.Module) -> None:
        self.module = module
        self.classes = pyast.classes(module)

    @cached_property
    def imports(self) -> dict[str, tuple[int, str, str]]:
        return pyast.imports(self.module)

    @cached_property
    def assignments(self) -> dict[str, ast.expr]:
        return pyast.assignments(self.module)


class Modules:
    def __init__(self, tree: SourceTree, package: str) -> None:
        self.tree = tree
        self.package = package
        init = find(tree, f"{package}/__init__.py")
        self.found = init is not None
        self.prefix = init[: -len(f"{package}/__init__.py")] if init else ""
        if init is None:  # a partial copy (a repository vendoring some files of it)
            marker = f"{package}/"
            inside = [p for p in tree.paths() if p.startswith(marker) or f"/{marker}" in p]
            if inside:
                first = min(inside, key=len)
                self.prefix = first[: first.index(marker)] if not first.startswith(marker) else ""
        self.root = f"{self.prefix}{package}/"
        self._paths = frozenset(tree.paths())
        self._parsed: dict[str, _Parsed | None] = {}

    def files(self, folder: str = "", ending: str = ".py") -> list[str]:
        """Files of the package (below ``folder`` of it, when given), sorted."""
        start = self.root + (folder.strip("/") + "/" if folder else "")
        return sorted(p for p in self._paths if p.startswith(start) and p.endswith(ending))

    def path(self, relative: str) -> str:
        """``"trainer/utils.py"`` -> the tree path of that file of the package."""
        return self.root + relative

    def relative(self, path: str) -> str:
        return path[len(self.root) :] if path.startswith(self.root) else path

    def text(self, path: str) -> str | None:
        return self.tree.read(path) if path in self._paths else None

    def parsed(self, path: str) -> _Parsed | None:
        if path not in self._parsed:
            module = pyast.parse(self.text(path))
            self._parsed[path] = _Parsed(module) if module is not None else None
        return self._parsed[path]

    def module(self, path: str) -> ast.Module | None:
        parsed = self.parsed(path)
        return parsed.module if parsed is not None else None

    def path_of(self, dotted: str) -> str | None:
        """The file of a dotted module of this package (``trl.trainer`` -> its __init__)."""
        if dotted != self.package and not dotted.startswith(self.package + "."):
            return None
        stem = self.prefix + dotted.replace(".", "/")
        for candidate in (stem + ".py", stem + "/__init__.py"):
            if candidate in self._paths:
                return candidate
        return None

    def _target(self, path: str, name: str) -> tuple[str | None, str] | None:
        """Where an imported ``name`` comes from: (its module's path or None, its name)."""
        parsed = self.parsed(path)
        if parsed is None or name not in parsed.imports:
            return None
        level, module, original = parsed.imports[name]
        dotted = pyast.absolute_module(path[len(self.prefix) :], level, module)
        return self.path_of(dotted), original

    def resolve(self, path: str, name: str, depth: int = 0) -> Pick | None:
        """The class ``name`` denotes in module ``path``, when this package defines it."""
        parsed = self.parsed(path)
        if parsed is None or depth > MAX_DEPTH:
            return None
        if name in parsed.classes:
            return path, parsed.classes[name]
        target = self._target(path, name)
        if target is not None:
            where, original = target
            return self.resolve(where, original, depth + 1) if where else None
        value = parsed.assignments.get(name)
        if isinstance(value, ast.Name) and value.id != name:
            return self.resolve(path, value.id, depth + 1)
        return None

    def origin(self, path: str, name: str) -> str:
        """The real name behind ``name`` in module ``path`` (import aliases and
        ``Alias = Class`` bindings followed, into other packages too)."""
        return self.source(path, name)[1]

    def source(self, path: str, name: str, depth: int = 0) -> tuple[str, str]:
        """(the module another package's name is imported from, or ``""`` when this
        package has it; its real name)."""
        parsed = self.parsed(path)
        if parsed is None or depth > MAX_DEPTH or name in parsed.classes:
            return "", name
        target = self._target(path, name)
        if target is not None:
            where, original = target
            if where:
                return self.source(where, original, depth + 1)
            level, module, _ = parsed.imports[name]
            return ("", original) if level else (module, original)
        value = parsed.assignments.get(name)
        if isinstance(value, ast.Name) and value.id != name:
            return self.source(path, value.id, depth + 1)
        return "", name

    def with_bases(self, picks: Iterable[Pick]) -> list[Pick]:
        """``picks`` and, transitively, their bases this package defines (once each)."""
        out: dict[tuple[str, str], Pick] = {}
        todo = list(picks)
        while todo:
            path, cls = todo.pop(0)
            if (path, cls.name) in out:
                continue
            out[path, cls.name] = (path, cls)
            for base in pyast.base_names(cls):
                found = self.resolve(path, base)
                if found is not None and pyast.is_dataclass(found[1]):
                    todo.append(found)
        return list(out.values())


def _is_shim(modules: Modules, pick: Pick) -> bool:
    """A class re-declaring another of the same name to move or warn (``class
    KTOConfig(_KTOConfig)`` with no fields of its own)."""
    path, cls = pick
    bases = [modules.origin(path, b) for b in pyast.base_names(cls)]
    return cls.name in bases and not pyast.dataclass_fields(cls)


def unwrap(modules: Modules, pick: Pick) -> Pick:
    """The class a shim wraps (what ``from trl import KTOConfig`` means in effect)."""
    for _ in range(MAX_DEPTH):
        if not _is_shim(modules, pick):
            break
        path, cls = pick
        inner = next(
            (
                found
                for base in pyast.base_names(cls)
                if modules.origin(path, base) == cls.name
                and (found := modules.resolve(path, base)) is not None
            ),
            None,
        )
        if inner is None:
            break
        pick = inner
    return pick


def unique(
    modules: Modules, picks: Iterable[Pick], rank: Callable[[str], tuple[object, ...]]
) -> dict[str, Pick]:
    """One class per name: shims give way to the class they wrap; otherwise the one whose
    path ranks first (the loader's own; an experimental copy or a script's local class
    is qualified as ``<module>.<Name>`` by the caller if it needs it)."""
    groups: dict[str, list[Pick]] = {}
    for pick in picks:
        groups.setdefault(pick[1].name, []).append(pick)
    out: dict[str, Pick] = {}
    for name, group in groups.items():
        real = group if len(group) == 1 else [p for p in group if not _is_shim(modules, p)]
        real = real or group
        out[name] = min(real, key=lambda p: rank(p[0]))
    return out


def _enum_choices(modules: Modules, path: str, info: FieldInfo) -> FieldInfo:
    if info.choices:
        return info
    for name in pyast.names_in(info.type):
        if not name[:1].isupper() or name in _TYPING:
            continue
        found = modules.resolve(path, name)
        if found is not None and pyast.is_enum(found[1]):
            members = pyast.enum_members(found[1])
            return replace(info, choices=members) if members else info
    return info


def _warnings(cls: ast.ClassDef, own: Collection[str]) -> dict[str, list[str]]:
    """Deprecation warnings the class's methods emit, by the field they name."""
    out: dict[str, list[str]] = {}
    for node in cls.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for text, _line in pyast.messages(node):
            if deprecation.says_deprecated(text):
                for name in deprecation.subjects(text, own):
                    out.setdefault(name, []).append(text)
    return out


def argument_classes(
    modules: Modules, picks: dict[str, Pick], external_keys: Collection[str] = ()
) -> tuple[ClassInfo, ...]:
    """``ClassInfo`` for each picked class, under the name it is picked as (a caller
    may qualify a second class of the same name: ``"v1.ModelArguments"``).

    Bases are named as picked when they are picked, else by their real name. A
    deprecation's replacement must be a key of some picked class (or of
    ``external_keys``: the fields of bases from other packages), else it is left empty.
    """
    picked_as = {(path, cls.name): name for name, (path, cls) in picks.items()}
    staged: list[tuple[str, str, ast.ClassDef, tuple[FieldInfo, ...]]] = []
    for name, (path, cls) in picks.items():
        fields = tuple(_enum_choices(modules, path, f) for f in pyast.dataclass_fields(cls))
        staged.append((name, path, cls, fields))
    keys = {f.name for *_, fields in staged for f in fields} | set(external_keys)
    out: list[ClassInfo] = []
    for name, path, cls, fields in staged:
        warned = _warnings(cls, {f.name for f in fields})
        done = tuple(_deprecate(info, warned.get(info.name, []), keys) for info in fields)
        bases: list[str] = []
        for base in pyast.base_names(cls):
            if base == "object":
                continue
            found = modules.resolve(path, base)
            named = picked_as.get((found[0], found[1].name)) if found is not None else None
            bases.append(named or modules.origin(path, base))
        out.append(ClassInfo(name, path, cls.lineno, tuple(bases), done))
    return tuple(out)


def _deprecate(info: FieldInfo, warnings: list[str], keys: Collection[str]) -> FieldInfo:
    texts = ([info.deprecated] if info.deprecated else []) + warnings
    if not texts:
        return info
    found = (deprecation.replacement(text, keys, info.name) for text in texts)
    return replace(
        info,
        deprecated=info.deprecated or deprecation.excerpt(texts[0]),
        replacement=next((r for r in found if r), ""),
    )
