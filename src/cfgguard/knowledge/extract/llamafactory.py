"""LLaMA-Factory: the hparams dataclasses, and the class lists its parsers read.

Classes: every dataclass in ``llamafactory/hparams/`` (``ModelArguments`` and its many
bases, ``DataArguments``, ``FinetuningArguments`` and its bases, ``GeneratingArguments``,
``EvaluationArguments``, and from 0.9.2 its own ``TrainingArguments`` with
``RayArguments`` and the others; that one extends transformers'
``Seq2SeqTrainingArguments``, through ``BaseTrainingArguments = ...``).

Parsers, from ``hparams/parser.py``: each ``HfArgumentParser(...)`` call, named after
the list it receives (``_TRAIN_ARGS`` -> ``train``, ``_INFER_ARGS`` -> ``infer``,
``_EVAL_ARGS`` -> ``eval``, ``_TRAIN_MCA_ARGS`` -> ``train_mca``) or, for a class
passed alone, after its function (``get_ray_args`` -> ``ray``). A class from a package
other than transformers keeps its module (``mcore_adapter.TrainingArguments``).

v1 (0.9.4 on, ``USE_V1=1``): the dataclasses of ``llamafactory/v1/config/``, named
``v1.<Class>`` (their names repeat the v0 ones), and parser ``v1`` from the
``HfArgumentParser([...])`` call there.
"""

from __future__ import annotations

import ast
import re

from cfgguard.knowledge.extract import pyast
from cfgguard.knowledge.extract.modules import Modules, Pick, argument_classes, unique
from cfgguard.knowledge.extract.snapshot import Snapshot
from cfgguard.knowledge.extract.transformers import training_argument_names
from cfgguard.knowledge.extract.tree import SourceTree

PACKAGE = "llamafactory"
V1 = "v1"
_LIST_NAME = re.compile(r"^_?(\w+?)_ARGS$")
_FUNCTION_NAME = re.compile(r"^_?(?:get|parse)_(\w+?)_args$")


def extract(tree: SourceTree, version: str) -> Snapshot:
    modules = Modules(tree, PACKAGE)
    picks = _classes(modules, "hparams", "")
    parsers = _parsers(modules, "hparams/parser.py", picks, "")
    v1 = _classes(modules, f"{V1}/config", f"{V1}.")
    if v1:
        picks.update(v1)
        for path in modules.files(f"{V1}/config"):
            found = _parsers(modules, modules.relative(path), v1, f"{V1}.")
            if found:
                parsers[V1] = next(iter(found.values()))
                break
    classes = argument_classes(modules, picks, training_argument_names())
    return Snapshot(PACKAGE, version, classes, parsers=parsers)


def _classes(modules: Modules, folder: str, prefix: str) -> dict[str, Pick]:
    found: list[Pick] = []
    for path in modules.files(folder):
        parsed = modules.parsed(path)
        for cls in parsed.classes.values() if parsed is not None else ():
            if pyast.is_dataclass(cls):
                found.append((path, cls))
    picks = unique(modules, modules.with_bases(found), lambda path: (len(path), path))
    return {prefix + name: pick for name, pick in picks.items()}


def _parsers(
    modules: Modules, relative: str, picks: dict[str, Pick], prefix: str
) -> dict[str, tuple[str, ...]]:
    path = modules.path(relative)
    module = modules.module(path)
    if module is None:
        return {}
    picked_as = {(p, cls.name): name for name, (p, cls) in picks.items()}
    out: dict[str, tuple[str, ...]] = {}
    for function in pyast.functions(module):
        for call in pyast.calls_to(function, "HfArgumentParser"):
            value = pyast.argument(call, 0, "dataclass_types")
            name, items = _read(module, function, value)
            if not items:
                continue
            names: list[str] = []
            for item in items:
                found = modules.resolve(path, item)
                if found is not None:
                    names.append(picked_as.get((found[0], found[1].name), prefix + found[1].name))
                    continue
                origin_module, origin = modules.source(path, item)
                top = origin_module.split(".", 1)[0]
                names.append(origin if top in ("", "transformers") else f"{origin_module}.{origin}")
            out.setdefault(name, tuple(names))
    return out


def _read(
    module: ast.Module, function: ast.FunctionDef | ast.AsyncFunctionDef, value: ast.expr | None
) -> tuple[str, tuple[str, ...]]:
    """(parser name, class names as written) for one call's argument."""
    listed = _LIST_NAME.match(value.id) if isinstance(value, ast.Name) else None
    if isinstance(value, ast.Name) and listed:
        for node in pyast.statements(module):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == value.id for t in node.targets
            ):
                names = pyast.sequence_names(node.value)
                if names and isinstance(node.value, ast.List | ast.Tuple):
                    return listed.group(1).lower(), names
        return listed.group(1).lower(), ()
    named = _FUNCTION_NAME.match(function.name)
    return (named.group(1) if named else function.name.strip("_")), pyast.sequence_names(
        value
    ) or ()
