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
    hydra_apps: tuple[str, ...] = ()  # the repository's own Hydra entry points
    trainers: tuple[str, ...] = ()  # its own trainer classes ("path:line: Name")
    # keys a vendored copy of a framework defines (it may be patched: they count as known)
    vendored: Mapping[str, tuple[LocalField, ...]] = field(
        default_factory=lambda: dict[str, tuple[LocalField, ...]]()
    )


@dataclass(frozen=True)
class Explicit:
    """Target versions the user set: (package, PEP 440 specifier, where it was set)."""

    pins: tuple[tuple[str, str, str], ...] = ()


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
    vendored = _vendored(root, scan.vendored, pins)
    for package, spec, where in explicit.pins:  # the user's word wins over the files'
        pins[package] = TargetPin(spec, where)
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
    from cfgguard.knowledge.releases import available

    covered = available()  # a class of a package with no release data is one we cannot see
    for use in uses:
        for ref in use.classes:
            bases = (ref,) if ref.kind == "framework" else ()
            if ref.kind == "repo":
                cls = scan.repo_class(ref)
                bases = cls.framework_bases if cls else ()
            elif ref.kind != "framework":
                unresolved.append(ref.name)
            for base in bases:
                if base.package in covered:
                    framework.append(base.name)
                else:  # alignment-handbook's ModelArguments (not on PyPI), another library's
                    unresolved.append(f"{base.package or base.module}.{base.name}")
    kinds = {u.kind for u in uses}
    return RepositoryView(
        root=root,
        pins=pins,
        local_fields=tuple(fields.values()),
        framework_classes=tuple(dict.fromkeys(framework)),
        unresolved=tuple(dict.fromkeys(unresolved)),
        parsed_by_repo=bool(uses),
        loader=kinds.pop() if len(kinds) == 1 else "",
        hydra_apps=scan.hydra_apps,
        trainers=scan.trainers,
        vendored=vendored,
    )


def _vendored(
    root: str, copies: tuple[object, ...], pins: dict[str, TargetPin]
) -> dict[str, tuple[LocalField, ...]]:
    """The keys each vendored framework copy defines, and its version as the target."""
    if not copies:
        return {}  # most repositories: the extractors stay unimported
    import importlib

    from cfgguard.knowledge.extract.tree import DirTree
    from cfgguard.project import VendoredCopy

    out: dict[str, tuple[LocalField, ...]] = {}
    for copy in copies:
        assert isinstance(copy, VendoredCopy)
        try:
            module = importlib.import_module(f"cfgguard.knowledge.extract.{copy.package}")
        except ImportError:
            continue
        snapshot = module.extract(DirTree(os.path.join(root, copy.source)), copy.version or "0")
        # a YAML-tree framework's keys are its key sets (its classes back sections);
        # an argument-class framework's are its classes' fields
        found = [
            LocalField(f.name, name, f"{copy.source}/{f.file}", f.line, f.type, f.default)
            for name, entries in snapshot.key_sets.items()
            for f in entries
        ]
        if not snapshot.key_sets:
            found = [
                LocalField(f.name, c.name, f"{copy.source}/{c.file}", f.line, f.type, f.default)
                for c in snapshot.classes
                for f in c.fields
            ]
        if found:
            out[copy.package] = tuple(found)
        if copy.version:
            where = copy.version_origin or copy.path
            pins[copy.package] = TargetPin(f"=={copy.version}", f"vendored at {where}")
    return out
