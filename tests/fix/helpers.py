"""Run the fix engine on text, as --fix would."""

from __future__ import annotations

from cfgguard.check import Options
from cfgguard.fix.engine import Outcome, fix_source
from cfgguard.source import decode


def fix_text(text: str, dialect: str | None, *, unsafe: bool = True) -> Outcome:
    return fix_source(decode(text.encode(), "t.yaml"), Options(dialect=dialect), unsafe=unsafe)


def fixed(text: str, dialect: str | None, *, unsafe: bool = True) -> str:
    outcome = fix_text(text, dialect, unsafe=unsafe)
    assert outcome.error is None, outcome.error
    return outcome.text
