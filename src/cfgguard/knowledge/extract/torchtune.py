"""torchtune: the config keys each recipe reads, and which shipped config runs which recipe.

A recipe is a ``.py`` file in a ``recipes`` folder (or any file with ``@config.parse``)
outside the ``torchtune`` package. Its key set (named as ``tune run`` names it: the
registry's name, else its path under ``recipes/`` without ``.py``) holds every key it
reads from ``cfg`` (``_cfgreads``): type ``component`` for a section given to
``config.instantiate`` (its keys are the component's arguments), ``dict`` for one
splatted as ``**kwargs``, ``import path`` for one given to ``_get_component_from_path``
(nothing below these three is listed); default = the source text of a ``get``/``pop`` default
("" = read as required). Keys the recipe's shipped configs reference through
``${key}`` are read too (OmegaConf resolves them when the recipe reads the referring
key). ``torchtune/_recipe_registry.py`` (``Recipe(name, file_path, configs=[Config(name,
file_path)])``) gives the parsers: ``"<recipe>": ("<recipe>",)`` and
``"config:<config name>": ("<recipe>",)``.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator

from cfgguard.knowledge.extract import pyast
from cfgguard.knowledge.extract._cfgreads import Function, Read, RecipeReads
from cfgguard.knowledge.extract._classes import Modules
from cfgguard.knowledge.extract._yamltree import Tree, load
from cfgguard.knowledge.extract.snapshot import FieldInfo, Snapshot
from cfgguard.knowledge.extract.tree import SourceTree, find
from cfgguard.records import replace

PACKAGE = "torchtune"
REGISTRY = "torchtune/_recipe_registry.py"
_REFERENCE = re.compile(r"\$\{([A-Za-z_][\w.]*)\}")
# below these nothing is listed: a component's keys are its arguments, a splatted
# section's are free keyword arguments, an import path is a string
_HIDDEN_KINDS = ("component", "dict", "import path")


def extract(tree: SourceTree, version: str) -> Snapshot:
    recipes, configs = registry(tree)
    modules = Modules(tree, PACKAGE)
    key_sets: dict[str, tuple[FieldInfo, ...]] = {}
    parsers: dict[str, tuple[str, ...]] = {}
    for path in recipe_files(tree):
        name = recipes.get(_under_recipes(path), _under_recipes(path)[: -len(".py")])
        reads = recipe_reads(tree, path, modules)
        if reads is None:
            continue
        referenced: dict[str, tuple[str, int]] = {}
        for config_path, line, key in _references(tree, [c for c, r in configs if r == name]):
            if key not in reads:
                referenced.setdefault(key, (config_path, line))
        key_sets[name] = entries(reads, path, referenced)
        parsers[name] = (name,)
    for config_name, recipe in configs_by_name(tree):
        if recipe in key_sets:
            parsers[f"config:{config_name}"] = (recipe,)
    return Snapshot(PACKAGE, version, (), consistent(key_sets), parsers)


def consistent(key_sets: dict[str, tuple[FieldInfo, ...]]) -> dict[str, tuple[FieldInfo, ...]]:
    """A section some recipe instantiates or takes whole is free-form in every recipe
    (its keys left out, its kind given where a recipe reads it plainly): a config read
    against all the recipes at once must see that section as free-form."""
    free: dict[str, str] = {}
    for entries in key_sets.values():
        for e in entries:
            if e.type in _HIDDEN_KINDS:
                free.setdefault(e.name, e.type)
    return {
        name: tuple(
            replace(e, type=free[e.name]) if e.name in free and not e.type else e
            for e in entries
            if not _below(e.name, set(free))
        )
        for name, entries in key_sets.items()
    }


def _below(key: str, sections: set[str]) -> bool:
    return any(key.startswith(section + ".") for section in sections)


def recipe_files(tree: SourceTree) -> list[str]:
    out: list[str] = []
    for path in tree.paths():
        parts = path.split("/")
        if not path.endswith(".py") or PACKAGE in parts[:-1] or "configs" in parts[:-1]:
            continue
        if parts[-1] == "__init__.py":
            continue
        if "recipes" in parts[:-1]:
            out.append(path)
    return sorted(out)


def _under_recipes(path: str) -> str:
    parts = path.split("/")
    at = len(parts) - 1 - parts[::-1].index("recipes") if "recipes" in parts else len(parts) - 1
    return "/".join(parts[at + 1 :])


def recipe_reads(tree: SourceTree, path: str, modules: Modules) -> dict[str, Read] | None:
    module = pyast.parse(tree.read(path))
    if module is None:
        return None
    local = _module_constants(module)
    imported = _imported_names(module)

    def constant(name: str) -> str | None:
        if name in local:
            return local[name]
        source = imported.get(name)
        return modules.constant(source[0], source[1]) if source else None

    def external(name: str) -> tuple[str, list[Function]] | None:
        """A class or function imported from the package (``CheckpointClient``)."""
        source = imported.get(name)
        if source is None or not source[0].startswith(PACKAGE + "."):
            return None
        found = modules.find(*source)
        if found is not None:
            methods = [
                n for n in found.node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            methods.sort(key=lambda n: n.name != "__init__")
            return found.path, methods
        function = modules.function(*source)
        return (function[0], [function[1]]) if function else None

    return RecipeReads(module, constant, external).reads


def _module_constants(module: ast.Module) -> dict[str, str]:
    out: dict[str, str] = {}
    for stmt in module.body:
        if not isinstance(stmt, ast.Assign):
            continue
        value = stmt.value.value if isinstance(stmt.value, ast.Constant) else None
        if isinstance(value, str):
            out.update((t.id, value) for t in stmt.targets if isinstance(t, ast.Name))
    return out


def _imported_names(module: ast.Module) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for stmt in module.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
            for alias in stmt.names:
                out[alias.asname or alias.name] = (stmt.module, alias.name)
    return out


def entries(
    reads: dict[str, Read], path: str, referenced: dict[str, tuple[str, int]] | None = None
) -> tuple[FieldInfo, ...]:
    """The reads as key-set entries, then the keys only shipped configs reference
    (``referenced``: key -> (config file, line)); keys below a component are its
    arguments and are left out."""
    hidden = [p for p, r in reads.items() if r.kind in _HIDDEN_KINDS]
    out: list[FieldInfo] = []
    ordered = sorted(reads.items(), key=lambda kv: (kv[1].file, kv[1].line, kv[0]))
    for key, read in ordered:  # the recipe's own reads first, in source order
        if not any(key.startswith(h + ".") for h in hidden):
            out.append(FieldInfo(key, read.kind, read.default, read.line, read.file or path))
    for key, (config, line) in sorted((referenced or {}).items()):
        if not any(key.startswith(h + ".") for h in hidden):
            out.append(FieldInfo(key, line=line, file=config, help=f"referenced as ${{{key}}}"))
    return tuple(out)


def registry(tree: SourceTree) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(recipe file under recipes/ -> recipe name, [(config path, recipe name)])."""
    recipes: dict[str, str] = {}
    configs: list[tuple[str, str]] = []
    for call in _recipe_calls(tree):
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        name, file_path = pyast.string(kw.get("name")), pyast.string(kw.get("file_path"))
        if not name or not file_path:
            continue
        recipes[file_path] = name
        listed = kw.get("configs")
        for item in listed.elts if isinstance(listed, ast.List) else ():
            if isinstance(item, ast.Call):
                fields = {k.arg: pyast.string(k.value) for k in item.keywords if k.arg}
                if fields.get("file_path"):
                    configs.append((fields["file_path"], name))
    return recipes, configs


def configs_by_name(tree: SourceTree) -> Iterator[tuple[str, str]]:
    """(config name, recipe name) for each config the registry lists."""
    for call in _recipe_calls(tree):
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        recipe = pyast.string(kw.get("name"))
        listed = kw.get("configs")
        for item in listed.elts if isinstance(listed, ast.List) and recipe else ():
            if isinstance(item, ast.Call):
                name = next((pyast.string(k.value) for k in item.keywords if k.arg == "name"), "")
                if name:
                    yield name, recipe


def _recipe_calls(tree: SourceTree) -> Iterator[ast.Call]:
    path = find(tree, REGISTRY)
    module = pyast.parse(tree.read(path)) if path else None
    for node in ast.walk(module) if module else ():
        if isinstance(node, ast.Call) and pyast.dotted(node.func) == "Recipe":
            yield node


def _references(tree: SourceTree, config_files: list[str]) -> Iterator[tuple[str, int, str]]:
    """(config path, line, key) of each ``${key}`` in the recipe's shipped configs
    (found in the text: composing every shipped config would cost ten times more)."""
    for file_path in sorted(set(config_files)):
        path = find(tree, posixpath.join("recipes", "configs", file_path))
        text = tree.read(path) if path else None
        if not text or path is None or "${" not in text:
            continue
        components: set[str] | None = None
        for number, line in enumerate(text.splitlines(), 1):
            body = line.split(" #", 1)[0]
            if "${" not in body or body.lstrip().startswith("#"):
                continue
            for match in _REFERENCE.finditer(body):
                key = match.group(1)
                if "." in key and components is None:
                    components = _components(text, path)
                if not _below(key, components or set()):  # a component's argument
                    yield path, number, key


def _components(text: str, path: str) -> set[str]:
    """Dotted paths of the config's ``_component_`` sections."""
    loaded = load(text, path)
    out: set[str] = set()
    stack: list[tuple[str, Tree]] = [("", loaded.tree)] if loaded else []
    while stack:
        prefix, node = stack.pop()
        for key, value in node.items():
            if isinstance(value, Tree):
                dotted = f"{prefix}{key}"
                if "_component_" in value:
                    out.add(dotted)
                stack.append((dotted + ".", value))
    return out
