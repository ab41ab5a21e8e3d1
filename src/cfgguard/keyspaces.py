"""The key space of one document: its dialect's key reading, over the releases its
repository allows, plus the repository's own argument classes.

The repository side (pins, the dataclasses its scripts hand to the parser) comes from
``cfgguard.project`` through a ``ProjectView``; the releases come from
``cfgguard.knowledge``. Built once per document, when a rule first asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from cfgguard.canonical import Canonical
from cfgguard.dialects.base import KeyReading
from cfgguard.knowledge.keyspace import KeySpace, LocalField, Verdict, assemble
from cfgguard.knowledge.releases import Package, package
from cfgguard.knowledge.targets import Allowed, Pin, resolve
from cfgguard.records import dataclass, field
from cfgguard.yaml.nodes import Mapping as YamlMapping

# Keys no release lists that every document of a dialect may carry (Hydra and
# OmegaConf's own, torchtune/verl component markers).
ALWAYS_KNOWN = frozenset({"defaults", "hydra", "_target_", "_component_", "_partial_"})


class ProjectView(Protocol):
    """What cfgguard knows of the repository a config sits in."""

    @property
    def pins(self) -> Mapping[str, Pin]: ...
    @property
    def local_fields(self) -> tuple[LocalField, ...]: ...
    @property
    def framework_classes(self) -> tuple[str, ...]: ...
    @property
    def unresolved(self) -> tuple[str, ...]: ...  # classes handed to a parser, not found
    @property
    def parsed_by_repo(self) -> bool: ...  # the repository's scripts build the parser
    @property
    def loader(self) -> str: ...  # which parser they build ("" when they disagree)
    @property
    def vendored(self) -> Mapping[str, tuple[LocalField, ...]]: ...  # keys of vendored copies
    @property
    def hydra_apps(self) -> tuple[str, ...]: ...  # the repository's own Hydra entry points
    @property
    def trainers(self) -> tuple[str, ...]: ...  # its own trainer classes ("path:line: Name")


@dataclass(frozen=True)
class NoProject:
    pins: Mapping[str, Pin] = field(default_factory=lambda: dict[str, Pin]())
    local_fields: tuple[LocalField, ...] = ()
    framework_classes: tuple[str, ...] = ()
    unresolved: tuple[str, ...] = ()
    parsed_by_repo: bool = False
    loader: str = ""
    vendored: Mapping[str, tuple[LocalField, ...]] = field(
        default_factory=lambda: dict[str, tuple[LocalField, ...]]()
    )
    hydra_apps: tuple[str, ...] = ()
    trainers: tuple[str, ...] = ()


@dataclass
class DocumentKeys:
    reading: KeyReading
    space: KeySpace
    allowed: dict[str, Allowed]
    complete: bool  # every key the loader reads is in the space
    loader: str  # whose behaviour with an undefined key applies
    unseen: bool = False  # the repository's parser reads classes cfgguard cannot read
    walked: tuple[YamlMapping, list[Any]] | None = None  # the document's keys, walked once

    def verdict(self, path: str) -> Verdict:
        return self.space.verdict(path)

    def package(self, name: str) -> Package | None:
        return package(name)


_SPACES: dict[object, KeySpace] = {}


@dataclass
class _Prepared:
    """What one reading over one repository gives every document: all but the parsers."""

    reading: KeyReading  # held: the cache is keyed by identity
    project: ProjectView
    allowed: dict[str, Allowed]
    local: tuple[LocalField, ...]
    classes: tuple[str, ...] | None
    complete: bool
    loader: str
    unseen: bool
    spaces: dict[tuple[str, ...], KeySpace] = field(
        default_factory=lambda: dict[tuple[str, ...], KeySpace]()
    )


# (reading, project) by identity: a repository's view is one object per folder, so its
# documents skip resolving pins and hashing its fields (hundreds) for every document
_PREPARED: dict[tuple[int, int], _Prepared | None] = {}
_PREPARED_MAX = 64


def document_keys(
    reading: KeyReading, root: YamlMapping, config: Canonical, project: ProjectView
) -> DocumentKeys | None:
    if not reading.applies(root):
        return None
    ident = (id(reading), id(project))
    prepared = _PREPARED.get(ident)
    stale = prepared is not None and (
        prepared.reading is not reading or prepared.project is not project
    )
    if ident not in _PREPARED or stale:  # ids are reused once an object is freed
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.clear()
        prepared = _PREPARED[ident] = _prepare(reading, project)
    if prepared is None:
        return None
    parsers = reading.parsers(root, config)
    space = prepared.spaces.get(parsers)
    if space is None:
        source, allowed = reading.source, prepared.allowed
        key = (source, parsers, tuple(allowed.items()), prepared.local, prepared.classes)
        space = _SPACES.get(key)
        if space is None:  # documents of one repository and trainer share their space
            space = _SPACES[key] = assemble(
                source, parsers, allowed, local=prepared.local, classes=prepared.classes
            )
        prepared.spaces[parsers] = space
    allowed, complete, loader = prepared.allowed, prepared.complete, prepared.loader
    return DocumentKeys(reading, space, allowed, complete, loader, unseen=prepared.unseen)


def _prepare(reading: KeyReading, project: ProjectView) -> _Prepared | None:
    source = reading.source
    names = (source.lead, *source.dependencies)
    packages = [p for p in (package(n) for n in names) if p is not None]
    if not packages and not reading.local:
        return None
    allowed = resolve(packages, project.pins)
    by_repo = project.parsed_by_repo and source.repo_parsers
    local = (
        *reading.local,
        *project.local_fields,
        *(f for n in names for f in project.vendored.get(n, ())),
    )
    # with classes cfgguard cannot see (alignment-handbook's, another library's), the
    # framework's own parsers stand in for them: a superset, and K001 knows it is partial
    classes = project.framework_classes if by_repo and not project.unresolved else None
    complete = reading.complete and not (by_repo and project.unresolved)
    if source.hydra and project.hydra_apps:  # the repository's own app reads keys too
        complete = False
    loader = project.loader if by_repo and project.loader else source.loader
    unseen = bool(project.parsed_by_repo and source.repo_parsers and project.unresolved)
    unseen = unseen or bool(source.hydra and project.hydra_apps)
    return _Prepared(reading, project, allowed, local, classes, complete, loader, unseen)
