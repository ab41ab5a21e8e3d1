"""TRL: the config classes its scripts parse, and which classes each script reads.

Classes: every dataclass of the package named ``*Config`` / ``*Arguments`` / ``*Args``
(trainer configs, ``ModelConfig``, ``ScriptArguments`` wherever a release keeps it,
``DatasetMixtureConfig``, the experimental trainers' configs) and their in-package bases
(``OnPolicyConfig``, ``BaseConfig``). Most extend transformers' ``TrainingArguments``
(a base from another package, resolved by the consumer). A shim that re-declares a class
of the same name to move it (``class KTOConfig(_KTOConfig)``, no fields) gives way to
the class it wraps.

Parsers: each CLI script (``trl/scripts/*.py`` from 0.13, ``trl/commands/scripts/*.py``
in 0.8 to 0.12; none before) by its file stem, with the classes its ``TrlParser(...)`` /
``HfArgumentParser(...)`` call receives, read with ast (a ``dataclass_types`` variable is
followed to its tuple; imported names to their definitions). A script's own class whose
name another class already has is qualified: ``vllm_serve.ScriptArguments``.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

from cfgguard.knowledge.extract import pyast
from cfgguard.knowledge.extract.modules import Modules, Pick, argument_classes, unique, unwrap
from cfgguard.knowledge.extract.snapshot import Snapshot
from cfgguard.knowledge.extract.transformers import training_argument_names
from cfgguard.knowledge.extract.tree import SourceTree

PACKAGE = "trl"
PARSERS = ("TrlParser", "HfArgumentParser")
SCRIPT_FOLDERS = ("scripts", "commands/scripts")
NOT_SCRIPTS = frozenset(("__init__", "utils", "cli_utils", "_hf_argparser"))
CONFIG_NAME = re.compile(r"(Config|Arguments|Args)$")
# where releases keep config classes (trainer/*_config.py, trainer/utils.py,
# scripts/utils.py, commands/cli_utils.py, trl/utils.py); scripts are read as scripts
CONFIG_FILE = re.compile(r"(^|/|_)(configs?|utils|__init__)\.py$")
Read = Pick | str  # a class of this package, or the name of one from another package


def extract(tree: SourceTree, version: str) -> Snapshot:
    modules = Modules(tree, PACKAGE)
    read = {stem: items for stem, items in _scripts(modules).items() if items}
    scripts = {modules.path(f"{folder}/{stem}.py") for stem in read for folder in SCRIPT_FOLDERS}

    def rank(path: str) -> tuple[object, ...]:
        return (path in scripts, "/experimental/" in path, len(path), path)

    candidates = modules.with_bases(_config_classes(modules))
    picks = unique(modules, candidates, rank)
    # a script's own class sharing a name with another class is always qualified
    shared = Counter(cls.name for _, cls in candidates)
    for name, (path, _) in list(picks.items()):
        if path in scripts and shared[name] > 1:
            del picks[name]
    parsers = {stem: _named(modules, stem, items, picks, shared) for stem, items in read.items()}
    classes = argument_classes(modules, picks, training_argument_names())
    return Snapshot(PACKAGE, version, classes, parsers=parsers)


def _named(
    modules: Modules,
    stem: str,
    items: tuple[Read, ...],
    picks: dict[str, Pick],
    shared: Counter[str],
) -> tuple[str, ...]:
    """A script's classes by the names they are picked as; a class of the script's own
    that another class's name hides is added as ``<stem>.<Name>`` (with its bases)."""
    names: list[str] = []
    for item in items:
        if isinstance(item, str):
            names.append(item)
            continue
        name = item[1].name
        held = picks.get(name)
        if held is None or held[0] != item[0]:
            name = name if held is None and shared[name] < 2 else f"{stem}.{name}"
            for extra in modules.with_bases([item]):
                picks.setdefault(name if extra[1] is item[1] else extra[1].name, extra)
        names.append(name)
    return tuple(names)


def _config_classes(modules: Modules) -> list[Pick]:
    out: list[Pick] = []
    scripts = tuple(modules.path(f + "/") for f in SCRIPT_FOLDERS)
    for path in modules.files():
        if not (CONFIG_FILE.search(path) or path.startswith(scripts)):
            continue
        text = modules.text(path)
        if text is None or "dataclass" not in text:
            continue
        parsed = modules.parsed(path)
        for cls in parsed.classes.values() if parsed is not None else ():
            if CONFIG_NAME.search(cls.name) and pyast.is_dataclass(cls):
                out.append((path, cls))
    return out


def _scripts(modules: Modules) -> dict[str, tuple[Read, ...]]:
    """Script stem -> what its parser call reads (the first call that names classes)."""
    out: dict[str, tuple[Read, ...]] = {}
    for folder in SCRIPT_FOLDERS:
        for path in modules.files(folder):
            stem = path.rsplit("/", 1)[-1][:-3]
            if "/" in modules.relative(path)[len(folder) + 1 :] or stem in NOT_SCRIPTS:
                continue
            module = modules.module(path)
            if module is not None and stem not in out:
                out[stem] = parser_reads(modules, path, module)
    return out


def parser_reads(modules: Modules, path: str, module: ast.Module) -> tuple[Read, ...]:
    """The classes the first parser call in ``module`` receives (``()`` if none)."""
    scopes = sorted(pyast.functions(module), key=lambda f: f.lineno)
    for call in sorted(pyast.calls_to(module, *PARSERS), key=lambda c: c.lineno):
        value = pyast.argument(call, 0, "dataclass_types")
        names = pyast.sequence_names(value)
        if names and isinstance(value, ast.Name) and modules.resolve(path, names[0]) is None:
            scope = _scope_of(scopes, call.lineno) or module
            bound = pyast.enclosing_assignment(scope, value.id, call.lineno)
            names = pyast.sequence_names(bound) if bound is not None else names
        if names:
            return _resolved(modules, path, names)
    return ()


def _resolved(modules: Modules, path: str, names: tuple[str, ...]) -> tuple[Read, ...]:
    """Each name as a class of the package, or another package's class name; ``()`` when
    one names a class this package lacks (the script would fail to import)."""
    out: list[Read] = []
    for name in names:
        found = modules.resolve(path, name)
        if found is None:
            where, original = modules.source(path, name)
            if not where:
                return ()
            out.append(original)
        else:
            out.append(unwrap(modules, found))
    return tuple(out)


def _scope_of(scopes: list[ast.FunctionDef | ast.AsyncFunctionDef], line: int) -> ast.AST | None:
    inner: ast.AST | None = None
    for scope in scopes:
        if scope.lineno <= line <= (scope.end_lineno or scope.lineno):
            inner = scope  # sorted by start, so the last match is the innermost
    return inner
