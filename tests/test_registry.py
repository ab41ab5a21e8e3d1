"""The rule registry: every rule documents itself and is tested both ways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cfgguard.rules import RULES, RULES_BY_CODE
from cfgguard.rules.base import Rule

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Fix", "## Source")
TESTS = Path(__file__).parent
# Codes the engine emits from the YAML layer or detection; their tests live outside rules/.
ENGINE_CODES = {"Y001", "Y002", "Y004", "Y005", "Y007", "Y010", "M001", "F001", "S001"}


def test_codes_are_unique_and_well_formed() -> None:
    assert len(RULES_BY_CODE) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"[A-Z]\d{3}", rule.code), rule.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_documents_itself(rule: Rule) -> None:
    doc = rule.doc
    positions = [doc.find(section) for section in SECTIONS]
    assert all(p >= 0 for p in positions), f"{rule.code} lacks a section"
    assert positions == sorted(positions), f"{rule.code} sections out of order"
    assert "```yaml" in doc, f"{rule.code} has no YAML example"
    assert rule.source, f"{rule.code} names no source"


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.code not in ENGINE_CODES], ids=lambda r: r.code
)
def test_rule_has_failing_and_passing_cases(rule: Rule) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (TESTS / "rules").glob("test_*.py"))
    assert re.search(rf"\(\"{rule.code}\", \d+, \d+\)", text), f"no failing case for {rule.code}"
    assert re.search(r",\s*\[\]\)", text), "no passing case"


def test_engine_codes_are_tested() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py"))
    for code in ENGINE_CODES:
        assert f'"{code}"' in text, code


def test_readme_rule_table_is_generated() -> None:
    from cfgguard.docs import END, START, rules_table

    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split(START, 1)[1].split(END, 1)[0]
    assert block == "\n" + rules_table(), "run: python -m cfgguard.docs"
