"""The rule registry agrees with the rule modules, their docs and their tests.

Every registered code has a module named after it (src/cfgguard/rules/<code>_*.py) whose
docstring is the rule's doc, and tests of its own: a parametrized case expecting the code
at a position and a ``*_noop`` case expecting none of it. The cases are read from the
test modules' parametrize marks (the data pytest runs), not from their text.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from _pytest.mark.structures import ParameterSet

from cfgguard.records import dataclass
from cfgguard.rules import RULES, RULES_BY_CODE
from cfgguard.rules.base import Rule

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Fix", "## Source")
TESTS = Path(__file__).parent
RULE_MODULES = Path(importlib.import_module("cfgguard.rules").__file__ or "").parent
CODE_MODULE = re.compile(r"([a-z]\d{3})_\w+")


@dataclass(frozen=True, slots=True)
class Case:
    """One case of a rule test: its test module and function, pytest id, and data."""

    module: str
    function: str
    id: str
    values: tuple[object, ...]


def _parametrize_values(argvalue: object) -> tuple[object, ...]:
    return argvalue if isinstance(argvalue, tuple) else (argvalue,)  # pyright: ignore[reportUnknownVariableType]


def _cases(module: ModuleType) -> Iterator[Case]:
    name = module.__name__.rsplit(".", 1)[-1]
    for function, test in vars(module).items():
        if not function.startswith("test_") or not callable(test):
            continue
        marks = [m for m in getattr(test, "pytestmark", []) if m.name == "parametrize"]
        if not marks:
            yield Case(name, function, function, ())
        for mark in marks:
            for index, argvalue in enumerate(mark.args[1]):
                if isinstance(argvalue, ParameterSet):
                    case_id = argvalue.id if isinstance(argvalue.id, str) else str(index)
                    yield Case(name, function, case_id, tuple(argvalue.values))
                else:
                    yield Case(name, function, str(index), _parametrize_values(argvalue))


def _rule_test_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted((TESTS / "rules").glob("test_*.py")):
        cases.extend(_cases(importlib.import_module(f"tests.rules.{path.stem}")))
    return cases


CASES = _rule_test_cases()


def _is_for(case: Case, code: str) -> bool:
    """A case tests ``code`` when its module or its function is named after the code."""
    return _own_module(case, code) or code.lower() in case.function.split("_")


def _own_module(case: Case, code: str) -> bool:
    return case.module.startswith(f"test_{code.lower()}_")


def _position(items: list[object], code: str, own: bool) -> bool:
    """(code, line, column, ...), or (line, column, ...) in the code's own module."""
    if len(items) >= 3 and items[0] == code:
        items = items[1:]
    elif not own:
        return False
    return len(items) >= 2 and all(type(n) is int for n in items[:2])


def _expects(value: object, code: str, own: bool) -> bool:
    """Does ``value`` hold an expected finding of ``code`` at a position?"""
    if isinstance(value, tuple | list):
        items: list[object] = list(value)  # pyright: ignore[reportUnknownArgumentType]
        if _position(items, code, own):
            return True
        return any(_expects(item, code, own) for item in items)
    return False


def _is_noop(case: Case) -> bool:
    return case.id.endswith("_noop") or case.function.endswith("_noop")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_a_positive_and_a_noop_case(rule: Rule) -> None:
    own = [c for c in CASES if _is_for(c, rule.code)]
    assert own, f"no test module or function named after {rule.code} in tests/rules"

    def expects(case: Case) -> bool:
        return any(_expects(v, rule.code, _own_module(case, rule.code)) for v in case.values)

    positive = [c for c in own if not _is_noop(c) and expects(c)]
    noop = [c for c in own if _is_noop(c)]
    assert positive, f"no case expects a {rule.code} finding at a position"
    assert noop, f"no *_noop case for {rule.code}"
    firing = [c.id for c in noop if expects(c)]
    assert not firing, f"*_noop cases expecting {rule.code}: {firing}"


def test_codes_are_unique_and_well_formed() -> None:
    assert len(RULES_BY_CODE) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"[A-Z]\d{3}", rule.code), rule.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name


def _rule_modules() -> dict[str, ModuleType]:
    """Each src/cfgguard/rules/<code>_*.py module, by its file's code."""
    modules: dict[str, ModuleType] = {}
    for path in sorted(RULE_MODULES.glob("*.py")):
        match = CODE_MODULE.fullmatch(path.stem)
        if match:
            module = importlib.import_module(f"cfgguard.rules.{path.stem}")
            modules[match.group(1).upper()] = module
    return modules


def test_registry_is_every_rule_module() -> None:
    modules = _rule_modules()
    assert sorted(modules) == sorted(RULES_BY_CODE), "a rule module is not registered, or back"
    for code, module in modules.items():
        rule = getattr(module, "RULE", None)
        assert isinstance(rule, Rule), f"{module.__name__} has no RULE"
        assert rule is RULES_BY_CODE[code], f"{module.__name__}.RULE is not {code}"
        assert rule.doc == module.__doc__, f"{code}'s doc is not its module's docstring"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_documents_itself(rule: Rule) -> None:
    doc = rule.doc
    positions = [doc.find(section) for section in SECTIONS]
    assert all(p >= 0 for p in positions), f"{rule.code} lacks a section"
    assert positions == sorted(positions), f"{rule.code} sections out of order"
    assert "```yaml" in doc, f"{rule.code} has no YAML example"
    assert rule.source, f"{rule.code} names no source"


def test_readme_rule_table_is_generated() -> None:
    from cfgguard.cli.docs import END, START, rules_table

    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split(START, 1)[1].split(END, 1)[0]
    assert block == "\n" + rules_table(), "run: python -m cfgguard.cli.docs"
    rows = {line.split("|")[1].strip() for line in block.splitlines() if line.startswith("| ")}
    assert rows >= set(RULES_BY_CODE), "a code is missing from README.md's rule table"
