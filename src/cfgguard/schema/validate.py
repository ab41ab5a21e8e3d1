"""Validate a canonical config against the generated schema (placeholder until generated)."""

from __future__ import annotations

from cfgguard.canonical import Canonical
from cfgguard.knowledge.models import ModelFacts
from cfgguard.rules.base import Violation


def violations(config: Canonical, model: ModelFacts | None) -> list[Violation]:
    del config, model
    return []
