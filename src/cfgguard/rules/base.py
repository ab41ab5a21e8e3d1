"""What a rule is and what it sees.

A rule is one module: its docstring is the user documentation (What it does / Why is
this bad? / Example / Fix / Source), and it exposes ``RULE``. ``check`` receives a
``Context`` (the canonical config, the resolved model facts, the document) and yields
``Report``s; the engine turns them into positioned findings. Rules know nothing of
output formats or the command line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import cached_property

from cfgguard.canonical import Canonical, Field
from cfgguard.dialects import BY_NAME
from cfgguard.dialects.base import Reader
from cfgguard.dialects.traits import Traits
from cfgguard.findings import Fix, Severity
from cfgguard.keyspaces import DocumentKeys
from cfgguard.knowledge.models import ModelFacts
from cfgguard.records import dataclass, field
from cfgguard.runcontext import Run, run_context
from cfgguard.yaml.nodes import Node


def _no_keys() -> DocumentKeys | None:
    return None


def _no_trainers() -> tuple[str, ...]:
    return ()


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


@dataclass(frozen=True, slots=True)
class Settings:
    """Facts a config cannot state about itself (from the CLI or cfgguard's config)."""

    gpu_memory_gb: int | None = None
    devices: int | None = None
    dataset_size: int | None = None


@dataclass
class Context:
    path: str
    dialect: str
    config: Canonical
    model: ModelFacts | None
    reader: Reader
    settings: Settings = field(default_factory=Settings)
    violations: Callable[[], list[Violation]] = field(default=list)
    text: str = ""  # the file's text, for fixes that must match its layout
    keys: Callable[[], DocumentKeys | None] = field(default=_no_keys)
    # the repository's own trainer classes ("path:line: Name"): they may accept what the
    # framework's trainer refuses
    trainers: Callable[[], tuple[str, ...]] = field(default=_no_trainers)

    @cached_property
    def run(self) -> Run:
        """Does it train, is it a smoke test, the real method, LoRA scale, model size."""
        return run_context(self.config, self.model, self.path)

    @cached_property
    def traits(self) -> Traits:
        """What the dialect's framework does that a rule must know (never its name)."""
        found = BY_NAME.get(self.dialect)
        return found.traits if found is not None else Traits()


@dataclass(frozen=True, slots=True)
class Report:
    """One problem a rule found: where (a field or a node) and what to say."""

    at: Field[object] | Node | None
    message: str
    source: str | None = None  # overrides the rule's default source (table row)
    severity: Severity | None = None  # overrides the rule's default severity
    fix: Fix | None = None  # edits that would correct it (see cfgguard.fix.build)


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


def fmt(value: object) -> str:
    """A number the way a person writes it in a config (``2e-05``, ``0.1``, ``64``)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)  # nan, inf, -inf
        if value != 0.0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
            mantissa, exponent = f"{value:.2e}".split("e")
            mantissa = mantissa.rstrip("0").rstrip(".")
            return f"{mantissa}e{int(exponent)}"
        return f"{value:g}"
    return str(value)


def describe(v: Violation) -> str:
    lo = fmt(v.minimum) if v.minimum is not None else None
    hi = fmt(v.maximum) if v.maximum is not None else None
    where = f"{lo}..{hi}" if lo and hi else (f">= {lo}" if lo else f"<= {hi}")
    name = v.field.replace("_", " ")
    text = f"{name} {fmt(v.value)} is outside the recommended {where}"
    if v.detail:
        text += f"; {v.detail}"
    return f"{text} ({v.row})"
