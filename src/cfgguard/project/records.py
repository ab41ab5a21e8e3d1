"""What the project layer reports: pins and targets (a), argument classes and parsers (b).

Paths are '/'-separated and relative to the repository root; an origin is ``path:line``
(line 0 when the file has no line for it, e.g. a version file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cfgguard.project.names import argument_class_name
from cfgguard.records import dataclass

if TYPE_CHECKING:  # an annotation only: a check of a repository with no classes of its
    # own does not import the extractors
    from cfgguard.knowledge.extract.snapshot import FieldInfo


@dataclass(frozen=True, slots=True)
class Pin:
    """One constraint on one known package, as one line of one file states it."""

    package: str  # PEP 503 name of a known package: "trl"
    specifier: str  # PEP 440 specifier set ("" = any version)
    origin: str  # "requirements.txt:3"
    url: str = ""  # a direct reference (git, archive, wheel URL)
    version: str = ""  # exact version: ``==X``, a lock entry, a vendored copy's version
    locked: bool = False  # from a lock file (exact, and beats the ranges of other files)
    note: str = ""  # how the line was read, when not plain PEP 508 ("conda export", "poetry ^")
    marker: str = ""  # environment marker as written (kept, never evaluated)


@dataclass(frozen=True, slots=True)
class Target:
    """The releases of one package a config's repository targets, and where that came from."""

    package: str
    specifier: str = ""  # PEP 440 ("" = any release)
    version: str = ""  # the exact version, when pinned or locked
    origins: tuple[str, ...] = ()  # "path:line", the deciding ones first
    note: str = ""  # short, for people: "pinned", "range", "locked by uv.lock", ...
    url: str = ""  # a direct reference (then the version is usually unknown)


@dataclass(frozen=True, slots=True)
class Targets:
    """Every known package a config's repository names, closest declaration first."""

    root: str  # absolute repository root
    config: str  # the config, relative to the root
    targets: tuple[Target, ...] = ()  # in ``names.KNOWN`` order
    files: tuple[str, ...] = ()  # pin files read, relative to the root, closest first
    problems: tuple[str, ...] = ()  # "path:line: message" for files that could not be read

    def get(self, package: str) -> Target | None:
        for target in self.targets:
            if target.package == package:
                return target
        return None


@dataclass(frozen=True, slots=True)
class ClassRef:
    """A class as a script names it, resolved: a repo class, a framework class, or neither."""

    name: str  # the class's own name ("GRPOConfig"), not the local alias
    package: str = ""  # framework distribution ("trl") when it is a framework class
    module: str = ""  # the module it comes from ("trl", "open_r1.configs")
    file: str = ""  # a repo class: the file defining it
    line: int = 0

    @property
    def kind(self) -> str:
        """``repo``, ``framework`` or ``unresolved``."""
        if self.file:
            return "repo"
        return "framework" if self.package else "unresolved"


@dataclass(frozen=True, slots=True)
class RepoClass:
    """An argument class the repository defines (a dataclass, or a framework class's subclass)."""

    name: str
    file: str
    line: int
    is_dataclass: bool
    bases: tuple[ClassRef, ...] = ()  # as written, resolved
    fields: tuple[FieldInfo, ...] = ()  # its own fields (what ``@dataclass`` adds)
    all_fields: tuple[FieldInfo, ...] = ()  # with those of its repo bases (dataclass order)
    framework_bases: tuple[ClassRef, ...] = ()  # framework classes it derives from, at any depth

    @property
    def ref(self) -> ClassRef:
        return ClassRef(self.name, file=self.file, line=self.line)


@dataclass(frozen=True, slots=True)
class ParserUse:
    """``TrlParser((A, B, C))`` and the like: which classes a script hands to a parser."""

    parser: str  # the class called, as it is named where defined ("ArgumentParserPlus")
    kind: str  # the framework parser it is or derives from: TrlParser / HfArgumentParser / ...
    file: str
    line: int
    classes: tuple[ClassRef, ...] = ()


@dataclass(frozen=True, slots=True)
class VendoredCopy:
    """A framework's package source inside the repository."""

    package: str  # "llamafactory"
    path: str  # the package directory: "third_party/LLaMA-Factory/src/llamafactory"
    source: str  # the directory to hand to the extractor (``DirTree``): the distribution's top
    version: str = ""  # "" when no version file says it
    version_origin: str = ""  # "path:line" of the version


@dataclass(frozen=True, slots=True)
class RepoScan:
    root: str  # absolute
    classes: tuple[RepoClass, ...] = ()
    parsers: tuple[ParserUse, ...] = ()
    vendored: tuple[VendoredCopy, ...] = ()
    python_files: int = 0  # .py files the walk saw
    files_read: int = 0  # of which parsed
    truncated: bool = False  # a cap on files or depth was reached
    problems: tuple[str, ...] = ()  # "path:line: message"
    # the repository's own Hydra apps (``@hydra.main`` outside a vendored copy): their
    # code reads config keys no framework release lists
    hydra_apps: tuple[str, ...] = ()
    # the repository's own trainer classes (``path:line: Name``): their code may accept
    # what the framework's trainer refuses
    trainers: tuple[str, ...] = ()

    def repo_class(self, ref: ClassRef) -> RepoClass | None:
        for cls in self.classes:
            if cls.name == ref.name and cls.file == ref.file:
                return cls
        return None

    def argument_classes(self) -> tuple[RepoClass, ...]:
        """Repo classes whose fields are config keys: handed to a parser, or a framework
        config's subclass (with the repo bases they inherit from)."""
        chosen: dict[tuple[str, str], RepoClass] = {}
        for use in self.parsers:
            for ref in use.classes:
                cls = self.repo_class(ref)
                if cls is not None:
                    chosen[cls.file, cls.name] = cls
        for cls in self.classes:
            if any(argument_class_name(r.name) for r in cls.framework_bases):
                chosen.setdefault((cls.file, cls.name), cls)
        return tuple(chosen.values())
