"""What a rule or a helper sees of one checked document.

The canonical config, the resolved model facts, the dialect's reader, the facts a config
cannot state (``Settings``) and, computed on demand, the schema's violations, the
document's keys, the repository's trainer classes and the run context. It lives below
the rules so that helpers (``triage``'s symptoms) read a document the way rules do
without importing a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from cfgguard.canonical import Canonical
from cfgguard.derived.runcontext import Run, run_context
from cfgguard.dialects.base import Reader
from cfgguard.keyspaces import DocumentKeys
from cfgguard.knowledge.models import ModelFacts
from cfgguard.records import dataclass, field
from cfgguard.schema.violation import Violation


def _no_keys() -> DocumentKeys | None:
    return None


def _no_trainers() -> tuple[str, ...]:
    return ()


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
