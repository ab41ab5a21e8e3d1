"""Per-file options: command-line flags over the closest project configuration."""

from __future__ import annotations

import argparse

from cfgguard.check import Options
from cfgguard.config import Config
from cfgguard.findings import Severity
from cfgguard.knowledge.models import ModelFacts, declare
from cfgguard.records import replace
from cfgguard.repository import view_for
from cfgguard.rules.base import Settings


def codes(text: str | None) -> frozenset[str] | None:
    if text is None:
        return None
    return frozenset(c.strip().upper() for c in text.split(",") if c.strip())


def declared_models(cfg: Config) -> tuple[ModelFacts, ...]:
    return tuple(
        declare(
            m.id, m.family, m.size, m.hidden_size, layers=m.layers,
            tied_embeddings=m.tied_embeddings, context=m.context,
        )
        for m in cfg.models
    )  # fmt: skip


def with_flags(args: argparse.Namespace, cfg: Config) -> Config:
    """The configuration with ``--exclude`` and ``--per-file-ignores`` added."""
    exclude = getattr(args, "exclude", None)
    pairs: list[str] = getattr(args, "per_file_ignores", None) or []
    if not exclude and not pairs:
        return cfg
    extra: list[tuple[str, frozenset[str]]] = []
    for pair in pairs:
        glob, _, names = pair.rpartition(":")
        extra.append((glob, codes(names) or frozenset()))
    globs = tuple(g.strip() for g in (exclude or "").split(",") if g.strip())
    return replace(
        cfg, exclude=cfg.exclude + globs, per_file_ignores=cfg.per_file_ignores + tuple(extra)
    )


def options_for(args: argparse.Namespace, cfg: Config, path: str) -> Options:
    """CLI flags win; ``--select`` replaces the configured selection, like ruff's."""
    select = codes(getattr(args, "select", None))
    if select is None:
        select = cfg.select
    extend = (codes(getattr(args, "extend_select", None)) or frozenset()) | cfg.extend_select
    if select is not None and extend:
        select = select | extend
    ignore = (codes(getattr(args, "ignore", None)) or frozenset()) | cfg.ignores_for(path)
    settings = Settings(
        gpu_memory_gb=getattr(args, "gpu_memory", None) or cfg.gpu_memory,
        devices=getattr(args, "devices", None) or cfg.devices,
        dataset_size=getattr(args, "dataset_size", None) or cfg.dataset_size,
    )
    return Options(
        dialect=args.dialect or cfg.dialect_for(path),
        select=select,
        ignore=ignore,
        settings=settings,
        severity=cfg.severity,
        models=declared_models(cfg),
        project=view_for,
    )


def threshold(args: argparse.Namespace, cfg: Config) -> Severity:
    return Severity.parse(getattr(args, "fail_on", None) or cfg.fail_on or "warning")
