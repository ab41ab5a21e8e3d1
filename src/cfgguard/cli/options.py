"""Per-file options: command-line flags over the closest project configuration.

The flags' values are parsed (and refused: exit 2, one line) by the ``argparse`` types
here, so ``--select R02``, ``--per-file-ignores nocolon`` or ``--devices 0`` never reach a
check: an unknown code would otherwise select nothing and report "All checks passed".
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from functools import partial

from cfgguard.check import Options
from cfgguard.config import Config, expand_codes
from cfgguard.derived.context import Settings
from cfgguard.findings import Severity
from cfgguard.knowledge.models import ModelFacts, declare
from cfgguard.records import dataclass, replace
from cfgguard.repository import Explicit, view_for

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


def target_version(text: str) -> tuple[str, str]:
    from cfgguard.targetspec import TargetError, parse_flag

    try:
        return parse_flag(text)
    except TargetError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def explicit_targets(args: argparse.Namespace, cfg: Config) -> Explicit:
    """``--target-version`` wins over ``target-versions`` in the project configuration."""
    return _explicit(cfg, getattr(args, "target_version", None) or ())


def _explicit(cfg: Config, flagged: Sequence[tuple[str, str]] = ()) -> Explicit:
    where = f"{cfg.path} target-versions" if cfg.path else "target-versions"
    pins = {p: (spec, where) for p, spec in cfg.target_versions}
    for package, spec in flagged:
        pins[package] = (spec, "--target-version")
    return Explicit(tuple((p, s, o) for p, (s, o) in sorted(pins.items())))


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


@dataclass(frozen=True)
class Flags:
    """What the command line adds to a project configuration (none: the editor's view)."""

    dialect: str | None = None
    select: frozenset[str] | None = None
    extend_select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    gpu_memory: int | None = None
    devices: int | None = None
    dataset_size: int | None = None
    target_versions: tuple[tuple[str, str], ...] = ()


NO_FLAGS = Flags()


def options_for(args: argparse.Namespace, cfg: Config, path: str) -> Options:
    """CLI flags win; ``--select`` replaces the configured selection, like ruff's."""
    flags = Flags(
        dialect=args.dialect,
        select=getattr(args, "select", None),
        extend_select=getattr(args, "extend_select", None) or frozenset(),
        ignore=getattr(args, "ignore", None) or frozenset(),
        gpu_memory=getattr(args, "gpu_memory", None),
        devices=getattr(args, "devices", None),
        dataset_size=getattr(args, "dataset_size", None),
        target_versions=tuple(getattr(args, "target_version", None) or ()),
    )
    return options_from(cfg, path, flags)


def options_from(cfg: Config, path: str, flags: Flags = NO_FLAGS) -> Options:
    """The options for ``path`` under its project configuration and the given flags."""
    select = flags.select if flags.select is not None else cfg.select
    extend = flags.extend_select | cfg.extend_select
    if select is not None and extend:
        select = select | extend
    settings = Settings(
        gpu_memory_gb=flags.gpu_memory or cfg.gpu_memory,
        devices=flags.devices or cfg.devices,
        dataset_size=flags.dataset_size or cfg.dataset_size,
    )
    return Options(
        dialect=flags.dialect or cfg.dialect_for(path),
        select=select,
        ignore=flags.ignore | cfg.ignores_for(path),
        settings=settings,
        severity=cfg.severity,
        models=declared_models(cfg),
        project=partial(view_for, explicit=_explicit(cfg, flags.target_versions)),
    )


def threshold(args: argparse.Namespace, cfg: Config) -> int:
    """The lowest severity that fails the run (``NEVER`` for ``none``)."""
    level = getattr(args, "fail_on", None) or cfg.fail_on or "warning"
    return NEVER if level == "none" else Severity.parse(level)
