"""setup.py, read with ``ast`` and never run: every string literal that is a requirement of a
known package.

Many setup.py files build ``install_requires`` at run time from a list (transformers'
style: ``_deps = ["trl[vllm]==0.18.0", ...]`` then ``deps["trl"]``), so any literal that
parses as a requirement counts, wherever it is. A bare name (``"trl"``) counts only as an
item of a list, tuple or set (a ``deps["trl"]`` lookup or ``deps_list("trl")`` call names
an entry counted already); literals under ``keywords=``, ``classifiers=``, ``name=`` and
the like are not requirements.
"""

from __future__ import annotations

import ast

from cfgguard.knowledge.extract.pyast import parse
from cfgguard.project.names import MENTION
from cfgguard.project.pinfiles import Context
from cfgguard.project.records import Pin
from cfgguard.project.requirement import from_pep508

NOT_REQUIREMENTS = frozenset(
    (
        "name",
        "keywords",
        "classifiers",
        "description",
        "long_description",
        "packages",
        "py_modules",
        "package_dir",
        "package_data",
        "entry_points",
        "scripts",
        "url",
        "author",
        "license",
    )
)


def read(path: str, ctx: Context) -> list[Pin]:
    text = ctx.text(path)
    if text is None or not MENTION.search(text):
        return []
    module = parse(text)
    if module is None:
        ctx.problem(path, 0, "not valid Python (skipped)")
        return []
    pins: list[Pin] = []
    for node, in_collection in _literals(module):
        value = str(node.value)
        pin = from_pep508(value, ctx.origin(path, node.lineno))
        if pin is None:
            continue
        bare = not (pin.specifier or pin.url or "[" in value or ";" in value)
        if bare and not in_collection:
            continue
        pins.append(pin)
    return pins


def _literals(module: ast.Module) -> list[tuple[ast.Constant, bool]]:
    """String constants with whether each is an item of a list/tuple/set literal, outside
    the keyword arguments that are not requirements, and not a subscript or dict key."""
    out: list[tuple[ast.Constant, bool]] = []
    stack: list[tuple[ast.AST, bool]] = [(module, False)]
    while stack:
        node, in_collection = stack.pop()
        if isinstance(node, ast.keyword) and node.arg in NOT_REQUIREMENTS:
            continue
        if isinstance(node, ast.Subscript):
            stack.append((node.value, False))
            continue
        if isinstance(node, ast.Dict):
            stack.extend((value, False) for value in node.values)
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node, in_collection))
            continue
        collection = isinstance(node, ast.List | ast.Tuple | ast.Set)
        stack.extend((child, collection) for child in ast.iter_child_nodes(node))
    out.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    return out
