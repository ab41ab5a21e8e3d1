"""What a rule is and what it sees.

A rule is one module: its docstring is the user documentation (What it does / Why is
this bad? / Example / Fix / Source), and it exposes ``RULE``. ``check`` receives a
``Context`` (``cfgguard.derived.context``: the canonical config, the resolved model
facts, the document) and yields
``Report``s; the engine turns them into positioned findings. Rules know nothing of
output formats or the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cfgguard.canonical import Field
from cfgguard.derived.context import Context
from cfgguard.edits.numbers import fmt
from cfgguard.findings import Fix, Severity
from cfgguard.records import dataclass
from cfgguard.schema.violation import Violation
from cfgguard.yaml.nodes import Node


@dataclass(frozen=True, slots=True)
class Report:
    """One problem a rule found: where (a field or a node) and what to say."""

    at: Field[object] | Node | None
    message: str
    source: str | None = None  # overrides the rule's default source (table row)
    severity: Severity | None = None  # overrides the rule's default severity
    fix: Fix | None = None  # edits that would correct it (see cfgguard.edits.build)


Check = Callable[[Context], Iterable[Report]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    source: str  # the table row or fact
    doc: str
    check: Check | None = None  # None: emitted by the engine (YAML, detection, models)
    fixable: bool = False

    # Written out: one per rule module (over COMPILE_AFTER), so a generated __init__
    # would make every run parse Python source for it (see cfgguard.records)
    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        source: str,
        doc: str,
        check: Check | None = None,
        fixable: bool = False,
    ) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "doc", doc)
        object.__setattr__(self, "check", check)
        object.__setattr__(self, "fixable", fixable)

    @property
    def summary(self) -> str:
        first = self.doc.strip().splitlines()[0] if self.doc.strip() else self.name
        return first.strip()


def schema_check(code: str) -> Check:
    """A check that reports the generated schema's violations carrying ``code``."""

    def check(ctx: Context) -> Iterable[Report]:
        for violation in ctx.violations():
            if violation.code == code:
                at = getattr(ctx.config, violation.field, None)
                yield Report(
                    at, describe(violation), source=violation.row, severity=violation.severity
                )

    return check


def describe(v: Violation) -> str:
    lo = fmt(v.minimum) if v.minimum is not None else None
    hi = fmt(v.maximum) if v.maximum is not None else None
    where = f"{lo}..{hi}" if lo and hi else (f">= {lo}" if lo else f"<= {hi}")
    name = v.field.replace("_", " ")
    text = f"{name} {fmt(v.value)} is outside the recommended {where}"
    if v.detail:
        text += f"; {v.detail}"
    return f"{text} ({v.row})"
