"""Run the fix engine on text, as --fix would."""

from __future__ import annotations

from cfgguard.check import Options
from cfgguard.fix.engine import Outcome, fix_source
from cfgguard.source import decode


def fix_text(
    text: str, dialect: str | None, *, unsafe: bool = True, code: str | None = None
) -> Outcome:
    """Fix with every rule, or only ``code``'s (so table cases isolate one fix)."""
    options = Options(dialect=dialect, select=frozenset({code}) if code else None)
    return fix_source(decode(text.encode(), "t.yaml"), options, unsafe=unsafe)


def fixed(text: str, dialect: str | None, *, unsafe: bool = True, code: str | None = None) -> str:
    outcome = fix_text(text, dialect, unsafe=unsafe, code=code)
    assert outcome.error is None, outcome.error
    return outcome.text
