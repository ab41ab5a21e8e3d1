"""Rules know no dialect: what a framework does reaches them as ``ctx.traits``.

A rule module may not compare or read ``ctx.dialect``, nor hold a dialect's name as a
string literal outside its docstrings (a message or citation may mention a framework in
prose): a rule names the behaviour it checks, and a dialect opts in by declaring that
behaviour in its own module. ``derived/context.py`` builds the traits from the dialect, so it
alone reads the name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cfgguard
from cfgguard.dialects import BY_NAME

PACKAGE = Path(cfgguard.__file__).parent
NAMES = frozenset(BY_NAME)
LOOKS_UP_TRAITS = "derived/context.py"


def _modules() -> list[Path]:
    """The rule modules and the figures they derive (wherever the refactoring puts them)."""
    found = sorted((PACKAGE / "rules").glob("*.py"))
    found += sorted((PACKAGE / "derived").glob("**/*.py"))
    return [p for p in found if p.name != "__init__.py"]


def _docstrings(tree: ast.Module) -> set[int]:
    owners = [tree] + [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    found: set[int] = set()
    for owner in owners:
        first = owner.body[0] if owner.body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            found.add(id(first.value))
    return found


def _is_dialect(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "dialect") or (
        isinstance(node, ast.Name) and node.id == "dialect"
    )


def problems(source: str, path: str) -> list[str]:
    """Where a module names or compares a dialect, as ``path:line: what``."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    compared: set[int] = set()
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):  # a comparison comes before the operands inside it
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            sides = [x for x in (node.left, *node.comparators) if _is_dialect(x)]
            compared.update(id(x) for x in sides)
            if sides:
                found.append((line, "compares the dialect"))
        elif isinstance(node, ast.Attribute) and node.attr == "dialect":
            if id(node) not in compared and path != LOOKS_UP_TRAITS:
                found.append((line, "reads .dialect"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            name = node.value.strip()
            if id(node) not in docs and name.lower() in NAMES:
                found.append((line, f"names the dialect {name!r}"))
    return [f"{path}:{line}: {what}" for line, what in sorted(found)]


def test_the_names_checked_are_every_dialect() -> None:
    assert sorted(NAMES) == ["axolotl", "llamafactory", "plain", "torchtune", "trl", "verl"]


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(PACKAGE).as_posix()))
def test_rule_module_knows_no_dialect(module: Path) -> None:
    path = module.relative_to(PACKAGE).as_posix()
    assert problems(module.read_text(encoding="utf-8"), path) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            'def check(ctx):\n    if ctx.dialect == "verl":\n        return\n',
            [
                "rules/x.py:2: compares the dialect",
                "rules/x.py:2: names the dialect 'verl'",
            ],
            id="compare-with-name",
        ),
        pytest.param(
            "def check(ctx, other):\n    return other != ctx.dialect\n",
            ["rules/x.py:2: compares the dialect"],
            id="compare-without-name",
        ),
        pytest.param(
            "def spell(names, dialect):\n    return dialect in KNOWN\n",
            ["rules/x.py:2: compares the dialect"],
            id="compare-parameter",
        ),
        pytest.param(
            "def check(ctx):\n    return LOADERS.get(ctx.dialect)\n",
            ["rules/x.py:2: reads .dialect"],
            id="lookup-by-name",
        ),
        pytest.param(
            'HF = frozenset({"trl", " LlamaFactory"})\n',
            [
                "rules/x.py:1: names the dialect 'LlamaFactory'",
                "rules/x.py:1: names the dialect 'trl'",
            ],
            id="names-in-a-set",
        ),
        pytest.param(
            '"""torchtune"""\n\ndef f():\n    """verl"""\n    return "verl 0.9.1 a.py:1"\n',
            [],
            id="docstrings-and-prose-allowed",
        ),
    ],
)
def test_a_planted_dialect_check_is_found(source: str, expected: list[str]) -> None:
    assert sorted(problems(source, "rules/x.py")) == sorted(expected)
