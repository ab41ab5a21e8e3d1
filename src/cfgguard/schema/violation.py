"""Why a config is outside a table range: the generated schema finds it, a rule reports it."""

from __future__ import annotations

from cfgguard.findings import Severity
from cfgguard.records import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """A table range the canonical config falls outside of (from the generated schema)."""

    code: str
    field: str  # canonical field name
    value: object
    minimum: float | None
    maximum: float | None
    row: str  # the table row, e.g. "Learning Rates / Base Learning Rates: SFT, LoRA"
    detail: str = ""  # extra words from the table (e.g. the behaviour column)
    severity: Severity | None = None  # overrides the rule's default (e.g. far outside)
