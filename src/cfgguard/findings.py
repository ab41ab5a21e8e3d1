"""Findings: what rules and the YAML layer report. Reporters see only these."""

from __future__ import annotations

from enum import IntEnum
from typing import Literal

from cfgguard.records import dataclass


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


Applicability = Literal["safe", "unsafe", "display-only"]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the characters between two 1-based (line, column) positions."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str
    # (style, value) of the scalar the span holds when the fix was built: a span that no
    # longer reads as that scalar means the positions are wrong, and the fix is refused
    holds: tuple[str, str] | None = None
    shared: bool = False  # the span is in a node an alias stands for (editing it edits both)


@dataclass(frozen=True, slots=True)
class Fix:
    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int  # 1-based
    column: int  # 1-based
    end_line: int
    end_column: int
    code: str
    name: str
    severity: Severity
    message: str
    source: str  # the table row or fact the finding comes from
    dialect: str | None = None
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)
