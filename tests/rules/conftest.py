"""Helpers for rule tests: run text through the real pipeline, keep one rule's findings."""

from __future__ import annotations

from cfgguard.check import Options, check_source
from cfgguard.findings import Finding
from cfgguard.source import decode

LLAMA8 = "meta-llama/Llama-3.1-8B-Instruct"  # dense, 7-8B, hidden 4096
LLAMA70 = "meta-llama/Llama-3.3-70B-Instruct"  # dense, 70B
QWEN3B = "Qwen/Qwen2.5-3B-Instruct"  # dense, 1-3B
MIXTRAL = "mistralai/Mixtral-8x7B-v0.1"  # MoE, 13B active, 2 active experts
QWEN3_MOE = "Qwen/Qwen3-30B-A3B"  # MoE, 1-3B active, 8 active experts
UNKNOWN = "my-org/secret-7b"  # not in the model table


def findings(text: str, dialect: str, code: str) -> list[Finding]:
    """The findings of rule ``code`` for ``text`` read as ``dialect``."""
    found = check_source(decode(text.encode(), "t.yaml"), Options(dialect=dialect))
    return [f for f in found if f.code == code]


def codes(text: str, dialect: str, code: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of rule ``code``'s findings, 1-based as reported."""
    return [(f.code, f.line, f.column) for f in findings(text, dialect, code)]


def only(text: str, dialect: str, code: str) -> Finding:
    """The single finding of rule ``code`` (fails when there is not exactly one)."""
    found = findings(text, dialect, code)
    assert len(found) == 1, found
    return found[0]
