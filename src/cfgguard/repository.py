"""A checked file's repository as the key checks see it: pins, own argument classes,
vendored framework code (``cfgguard.project``), turned into a ``ProjectView``.

Explicit target versions (``target-versions`` in ``[tool.cfgguard]``, ``--target-version``)
win over what the repository's files pin. Nothing of the repository is imported or run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache

from cfgguard.knowledge.keyspace import LocalField
from cfgguard.knowledge.releases import Package
from cfgguard.records import dataclass, field

# The parsers whose classes replace a dialect's default reading (TRL-style scripts).
REPO_PARSERS = ("TrlParser", "HfArgumentParser", "H4ArgumentParser")


@dataclass(frozen=True, slots=True)
class TargetPin:
    specifier: str
    origin: str


@dataclass(frozen=True)
class RepositoryView:
    root: str
    pins: Mapping[str, TargetPin] = field(default_factory=lambda: dict[str, TargetPin]())
    local_fields: tuple[LocalField, ...] = ()
    framework_classes: tuple[str, ...] = ()
    unresolved: tuple[str, ...] = ()
    parsed_by_repo: bool = False
    loader: str = ""  # the parser the repository's scripts build, when they agree on one
    packages: Mapping[str, Package] = field(default_factory=lambda: dict[str, Package]())


@dataclass(frozen=True)
class Explicit:
    """Target versions the user set: package -> PEP 440 specifier, and where."""

    specifiers: tuple[tuple[str, str], ...] = ()
    origin: str = ""


NO_TARGETS = Explicit()


def view_for(path: str, explicit: Explicit = NO_TARGETS, cwd: str | None = None) -> RepositoryView:
    folder = os.path.dirname(os.path.abspath(path))
    return _view(folder, explicit, cwd or os.getcwd())


@cache
def _view(folder: str, explicit: Explicit, cwd: str) -> RepositoryView:
    from cfgguard.project import repository_root, scan_repository, targets_for

    probe = os.path.join(folder, "_")  # the root and pins depend on the folder only
    root = repository_root(probe, cwd)
    scan = scan_repository(root)
    targets = targets_for(probe, cwd)
    pins: dict[str, TargetPin] = {}
    for target in targets.targets:
        spec = f"=={target.version}" if target.version else target.specifier
        where = target.origins[0] if target.origins else "the repository"
        if not spec and target.note:
            where = f"{where}: {target.note}"
        pins[target.package] = TargetPin(spec, where)
    for package, spec in explicit.specifiers:
        pins[package] = TargetPin(spec, explicit.origin)
    fields: dict[str, LocalField] = {}
    for cls in scan.argument_classes():
        for info in cls.all_fields:
            fields.setdefault(
                info.name,
                LocalField(info.name, cls.name, cls.file, info.line, info.type, info.default),
            )
    uses = [u for u in scan.parsers if u.kind in REPO_PARSERS]
    framework: list[str] = []
    unresolved: list[str] = []
    for use in uses:
        for ref in use.classes:
            if ref.kind == "framework":
                framework.append(ref.name)
            elif ref.kind == "repo":
                cls = scan.repo_class(ref)
                framework.extend(b.name for b in (cls.framework_bases if cls else ()))
            else:
                unresolved.append(ref.name)
    kinds = {u.kind for u in uses}
    return RepositoryView(
        root=root,
        pins=pins,
        local_fields=tuple(fields.values()),
        framework_classes=tuple(dict.fromkeys(framework)),
        unresolved=tuple(dict.fromkeys(unresolved)),
        parsed_by_repo=bool(uses),
        loader=kinds.pop() if len(kinds) == 1 else "",
        packages=_vendored(root, scan.vendored, pins),
    )


def _vendored(
    root: str, copies: tuple[object, ...], pins: dict[str, TargetPin]
) -> dict[str, Package]:
    """Each vendored framework, read as a one-release package (its code is what runs)."""
    import importlib

    from cfgguard.knowledge.build.merge import merge
    from cfgguard.knowledge.extract.tree import DirTree
    from cfgguard.project import VendoredCopy

    out: dict[str, Package] = {}
    for copy in copies:
        assert isinstance(copy, VendoredCopy)
        try:
            module = importlib.import_module(f"cfgguard.knowledge.extract.{copy.package}")
        except ImportError:
            continue
        version = copy.version or "vendored"
        snapshot = module.extract(DirTree(os.path.join(root, copy.source)), version)
        if not (snapshot.classes or snapshot.key_sets):
            continue  # a partial copy: the released data stands
        out[copy.package] = Package(merge(copy.package, [version], [snapshot]))
        where = copy.version_origin or copy.path
        pins[copy.package] = TargetPin(
            f"=={version}" if copy.version else "", f"vendored at {where}"
        )
    return out
