"""Per-file options: command-line flags over the closest project configuration.

The flags' values are parsed (and refused: exit 2, one line) by the ``argparse`` types
here, so ``--select R02``, ``--per-file-ignores nocolon`` or ``--devices 0`` never reach a
check: an unknown code would otherwise select nothing and report "All checks passed".
"""

from __future__ import annotations

import argparse

from cfgguard.check import Options
from cfgguard.config import Config, expand_codes
from cfgguard.findings import Severity
from cfgguard.knowledge.models import ModelFacts, declare
from cfgguard.records import replace
from cfgguard.repository import view_for
from cfgguard.rules.base import Settings

NEVER = Severity.ERROR + 1  # --fail-on none: no finding fails the run


def _codes(text: str, *, prefixes: bool) -> frozenset[str]:
    found, unknown = expand_codes(text.split(","), prefixes=prefixes)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown rule code '{unknown[0]}' (see `cfgguard rules`; ALL selects every rule)"
        )
    return found


def selection(text: str) -> frozenset[str]:
    """``--select``/``--extend-select``: codes or prefixes (kept as prefixes), or ALL."""
    return _codes(text, prefixes=False)


def code_list(text: str) -> frozenset[str]:
    """``--ignore``: codes, prefixes (expanded to their codes), or ALL."""
    return _codes(text, prefixes=True)


def per_file_ignore(text: str) -> tuple[str, frozenset[str]]:
    """``GLOB:CODES`` (the last ``:`` separates them, so a glob may hold one)."""
    glob, colon, names = text.rpartition(":")
    if not colon or not glob.strip() or not names.strip():
        raise argparse.ArgumentTypeError(f"expected GLOB:CODES, got '{text}'")
    return glob.strip(), code_list(names)


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got '{text}'")
    return value


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
    pairs: list[tuple[str, frozenset[str]]] = getattr(args, "per_file_ignores", None) or []
    if not exclude and not pairs:
        return cfg
    globs = tuple(g.strip() for g in (exclude or "").split(",") if g.strip())
    return replace(
        cfg, exclude=cfg.exclude + globs, per_file_ignores=cfg.per_file_ignores + tuple(pairs)
    )


def options_for(args: argparse.Namespace, cfg: Config, path: str) -> Options:
    """CLI flags win; ``--select`` replaces the configured selection, like ruff's."""
    select: frozenset[str] | None = getattr(args, "select", None)
    if select is None:
        select = cfg.select
    extend: frozenset[str] = getattr(args, "extend_select", None) or frozenset()
    extend = extend | cfg.extend_select
    if select is not None and extend:
        select = select | extend
    flagged: frozenset[str] = getattr(args, "ignore", None) or frozenset()
    ignore = flagged | cfg.ignores_for(path)
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


def threshold(args: argparse.Namespace, cfg: Config) -> int:
    """The lowest severity that fails the run (``NEVER`` for ``none``)."""
    level = getattr(args, "fail_on", None) or cfg.fail_on or "warning"
    return NEVER if level == "none" else Severity.parse(level)
