"""The keys a loader accepts over the releases a repository allows.

A key space joins *parts*. A part is one package's argument classes (followed through
their bases) or key sets, read over the releases of that package the repository allows;
a repository's own argument classes are a part that is there in every release. Releases
of different packages combine freely (TRL 0.19 with any allowed transformers), so a key
is present in *all* combinations when one part has it in every allowed release, in
*none* when no part has it in any allowed release, and in *some* otherwise.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Literal

from cfgguard.knowledge.releases import Package, Run, Table, package
from cfgguard.knowledge.targets import Allowed
from cfgguard.records import dataclass, field

Status = Literal["all", "some", "none", "never"]
FREE_FORM = frozenset({"dict", "component", "Any", "object"})
_FREE_PREFIXES = ("dict", "Dict", "Optional[dict", "Optional[Dict", "dict |")


def is_free_form(kind: str) -> bool:
    """A field type whose value is a free mapping: any key is accepted below it."""
    return kind in FREE_FORM or kind.startswith(_FREE_PREFIXES)


@dataclass(frozen=True, slots=True)
class Definition:
    """One run of one owner (class or key set) that defines a key."""

    pkg: Package
    owner: str
    run: Run
    name: str = ""  # the field's own name, when the key is one of its aliases
    section: bool = False  # the key is a section: ``run`` is one of its children's
    # the key sits below a free mapping (``fsdp_config: dict[str, Any]``): ``run`` is its
    within: str = ""

    # Written out, as Run's: built for every key a check looks up
    def __init__(
        self,
        pkg: Package,
        owner: str,
        run: Run,
        name: str = "",
        section: bool = False,
        within: str = "",
    ) -> None:
        object.__setattr__(self, "pkg", pkg)
        object.__setattr__(self, "owner", owner)
        object.__setattr__(self, "run", run)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "within", within)

    @property
    def package(self) -> str:
        return self.pkg.name

    def cite(self, index: int | None = None) -> str:
        pkg = self.pkg
        at = self.run.first if index is None else index
        file = self.run.attrs.get("file", "")
        line = int(self.run.attrs.get("line", 0))
        if not file:
            run = pkg.class_at(self.owner, at)
            file = run.file if run else ""
        return pkg.cite(at, file, line)


@dataclass(frozen=True, slots=True)
class LocalField:
    """A field of the repository's own argument classes (``cfgguard.project``)."""

    name: str
    owner: str
    file: str
    line: int
    type: str = ""
    default: str = ""


class PackagePart:
    """One package's classes or key sets, every release, answering per key."""

    def __init__(self, pkg: Package, roots: tuple[str, ...], kind: str) -> None:
        self.package = pkg
        self.roots = roots
        self.kind = kind
        self._owners: dict[int, tuple[str, ...]] = {}
        self._external: dict[int, tuple[str, ...]] = {}
        self._alias: dict[str, dict[str, str]] = {}
        self._sections: frozenset[str] | None = None
        self._tables: dict[str, Table] = {}
        self._at: dict[int, dict[str, Definition]] = {}
        self._names: dict[int, frozenset[str]] = {}
        self._sorted: dict[int, list[str]] = {}
        # key -> release -> its definition there: K001, K002 and Y003 ask of the same keys,
        # over the allowed releases and (for a key gone from them) every release
        self._definitions: dict[str, dict[int, Definition | None]] = {}

    def owners_at(self, index: int) -> tuple[str, ...]:
        """Classes reachable from the roots at a release (roots first, then bases)."""
        if index not in self._owners:
            if self.kind == "key_sets":
                names = tuple(
                    r
                    for r in self.roots
                    if any(x.covers(index) for x in self.package.key_set_runs(r))
                )
                self._owners[index], self._external[index] = names, ()
            else:
                self._walk(index)
        return self._owners[index]

    def external_at(self, index: int) -> tuple[str, ...]:
        """Base classes the package does not define at that release (a dependency's)."""
        self.owners_at(index)
        return self._external[index]

    def _walk(self, index: int) -> None:
        seen: list[str] = []
        external: list[str] = []
        todo = list(self.roots)
        while todo:
            name = todo.pop(0)
            if name in seen or name in external:
                continue
            run = self.package.class_at(name, index)
            if run is None:  # a dependency's class (LLaMA-Factory 0.9.1 reads transformers'
                external.append(name)  # Seq2SeqTrainingArguments itself), or not there yet
                continue
            seen.append(name)
            todo.extend(run.bases)
        self._owners[index], self._external[index] = tuple(seen), tuple(external)

    def _aliases(self, owner: str) -> dict[str, str]:
        """alias -> field of one owner (built when a key is not found by its own name)."""
        if owner not in self._alias:
            self._alias[owner] = self._table(owner).aliases()
        return self._alias[owner]

    def _table(self, owner: str) -> Table:
        table = self._tables.get(owner)
        if table is None:
            pkg = self.package
            table = pkg.keys(owner) if self.kind == "key_sets" else pkg.fields(owner)
            self._tables[owner] = table
        return table

    def definition(self, key: str, index: int) -> Definition | None:
        """Where ``key`` is defined at a release: a field or leaf, an alias, or a section
        (a mapping with a child defined there)."""
        known = self._definitions.get(key)
        if known is None:
            known = self._definitions[key] = {}
        elif index in known:
            return known[index]
        found = known[index] = self._definition(key, index)
        return found

    def _definition(self, key: str, index: int) -> Definition | None:
        owners = self.owners_at(index)
        holders = self.package.owners_of(key) if self.kind == "classes" else None
        if holders is not None:
            owners = tuple(o for o in owners if o in holders)
        for owner in owners:
            for run in self._table(owner).runs(key):
                if run.covers(index):
                    return Definition(self.package, owner, run, key)
        for owner in owners:
            name = self._aliases(owner).get(key)
            for run in self._table(owner).runs(name or ""):
                if run.covers(index) and key in run.attrs.get("aliases", ()):
                    return Definition(self.package, owner, run, name or "")
        if self.kind == "key_sets" and key in self.sections_ever():
            child = self._first_child(key, index)
            found = self.definition(child, index) if child else None
            if found is not None:
                return Definition(found.pkg, found.owner, found.run, found.name, section=True)
        if "." in key:
            return self._free_ancestor(key, owners, index)
        return None

    def _free_ancestor(self, key: str, owners: tuple[str, ...], index: int) -> Definition | None:
        """The nearest section above ``key``, when it is a free mapping at that release
        (axolotl's ``fsdp_config`` until 0.13: every key was handed on)."""
        prefix = key
        while "." in prefix:
            prefix = prefix.rpartition(".")[0]
            name = prefix.removesuffix("[]")
            for owner in owners:
                for run in self._table(owner).runs(name):
                    if run.covers(index):
                        if not is_free_form(str(run.attrs.get("type", ""))):
                            return None
                        return Definition(self.package, owner, run, within=name)
        return None

    def may_define(self, key: str) -> bool:
        """Whether some release could define ``key`` (cheap; False is certain)."""
        if self.kind == "classes":
            holders = self.package.owners_of(key)
            return holders is None or bool(holders)
        if key in self.sections_ever():
            return True
        if any(key in self._table(o) or key in self._aliases(o) for o in self.roots):
            return True
        prefixes = [key[:i].removesuffix("[]") for i, c in enumerate(key) if c == "."]
        return any(p in self._table(o) for o in self.roots for p in prefixes)

    def _first_child(self, section: str, index: int) -> str | None:
        """The first key below ``section`` at a release, by name (a set's order changes
        with the hash seed): found by bisection in the release's sorted names."""
        ordered = self._sorted.get(index)
        if ordered is None:
            ordered = self._sorted[index] = sorted(self.names_at(index))
        found: list[str] = []
        for start in (section + ".", section + "[]."):
            at = bisect_left(ordered, start)
            if at < len(ordered) and ordered[at].startswith(start):
                found.append(ordered[at])
        return min(found, default=None)

    def names_at(self, index: int) -> frozenset[str]:
        """The keys (and aliases) defined at a release, with no run made."""
        names = self._names.get(index)
        if names is None:
            out: set[str] = set()
            for owner in self.owners_at(index):
                for key, aliases in self._table(owner).names_at(index):
                    out.add(key)
                    out.update(aliases)
            names = self._names[index] = frozenset(out)
        return names

    def sections_ever(self) -> frozenset[str]:
        """Every prefix of a key of the roots, in any release."""
        if self._sections is None:
            out: set[str] = set()
            for owner in self.roots:
                out.update(self.package.sections(owner))
            self._sections = frozenset(out)
        return self._sections

    def presence(self, key: str, indexes: Iterable[int]) -> dict[int, Definition]:
        out: dict[int, Definition] = {}
        for index in indexes:
            found = self.definition(key, index)
            if found is not None:
                out[index] = found
        return out

    def keys_at(self, index: int) -> dict[str, Definition]:
        if index in self._at:
            return self._at[index]
        out: dict[str, Definition] = {}
        self._at[index] = out
        for owner in self.owners_at(index):
            for key, runs in self._table(owner).items():
                if key in out:
                    continue
                for run in runs:
                    if run.covers(index):
                        out[key] = Definition(self.package, owner, run)
                        for alias in run.attrs.get("aliases", ()):
                            out.setdefault(alias, Definition(self.package, owner, run, key))
                        break
        return out


@cache
def part(pkg: Package, roots: tuple[str, ...], kind: str) -> PackagePart:
    """One part, shared by every document that reads the same classes of a package."""
    return PackagePart(pkg, roots, kind)


@dataclass(frozen=True, slots=True)
class Presence:
    """A key over one part's allowed releases."""

    part: PackagePart
    allowed: Allowed
    present: dict[int, Definition]

    # Written out, as Definition's: built for every key judged
    def __init__(self, part: PackagePart, allowed: Allowed, present: dict[int, Definition]) -> None:
        object.__setattr__(self, "part", part)
        object.__setattr__(self, "allowed", allowed)
        object.__setattr__(self, "present", present)

    @property
    def everywhere(self) -> bool:
        return len(self.present) == len(self.allowed.indexes)

    def absent(self) -> tuple[int, ...]:
        return tuple(i for i in self.allowed.indexes if i not in self.present)


@dataclass(frozen=True, slots=True)
class Verdict:
    key: str
    status: Status
    parts: tuple[Presence, ...] = ()
    local: LocalField | None = None
    elsewhere: tuple[Definition, ...] = ()  # where it is defined outside the allowed releases

    # Written out, as Definition's: one per key judged
    def __init__(
        self,
        key: str,
        status: Status,
        parts: tuple[Presence, ...] = (),
        local: LocalField | None = None,
        elsewhere: tuple[Definition, ...] = (),
    ) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "local", local)
        object.__setattr__(self, "elsewhere", elsewhere)

    def newest(self) -> Definition | None:
        """The definition at the newest allowed release that has the key."""
        for presence in self.parts:
            if presence.present:
                return presence.present[max(presence.present)]
        return None


@dataclass
class KeySpace:
    parts: list[tuple[PackagePart, Allowed]] = field(
        default_factory=lambda: list[tuple[PackagePart, Allowed]]()
    )
    local: dict[str, LocalField] = field(default_factory=lambda: dict[str, LocalField]())
    _sections: frozenset[str] | None = None
    _known: dict[str, Definition] | None = None
    _names: frozenset[str] | None = None
    _everywhere: frozenset[str] | None = None
    _locals: frozenset[str] | None = None
    _verdicts: dict[str, Verdict] = field(default_factory=lambda: dict[str, Verdict]())
    _somewhere: dict[str, bool] = field(default_factory=lambda: dict[str, bool]())
    _free: dict[str, bool] = field(default_factory=lambda: dict[str, bool]())
    _below: dict[str, tuple[str, ...]] | None = None
    suggested: dict[str, list[str]] = field(default_factory=lambda: dict[str, list[str]]())
    _siblings: dict[bool, dict[str, list[str]]] = field(
        default_factory=lambda: dict[bool, dict[str, list[str]]]()
    )

    def verdict(self, key: str) -> Verdict:
        """All / some / none / never for one key (kept: many documents share a space)."""
        found = self._verdicts.get(key)
        if found is None:
            found = self._verdicts[key] = self._judge(key)
        return found

    def _local_sections(self) -> frozenset[str]:
        if self._locals is None:
            out: set[str] = set()
            for key in self.local:
                pieces = key.split(".")
                out.update(".".join(pieces[:i]) for i in range(1, len(pieces)))
            out.update(p.removesuffix("[]") for p in list(out) if p.endswith("[]"))
            self._locals = frozenset(out)
        return self._locals

    def everywhere(self) -> frozenset[str]:
        """The keys whose verdict is "all", without judging each (for suggestions)."""
        if self._everywhere is None:
            out: set[str] = set(self.local)
            for p, allowed in self.parts:
                common: set[str] | None = None
                for index in allowed.indexes:
                    names = p.names_at(index)
                    common = set(names) if common is None else common & names
                out.update(common or ())
            self._everywhere = frozenset(out)
        return self._everywhere

    def allowed_somewhere(self, key: str) -> bool:
        """Whether the verdict is "all" or "some", without looking through the releases
        outside the allowed ones (``elsewhere``): K001 asks it of every section's
        candidate spelling of an unknown key."""
        found = self._verdicts.get(key)
        if found is not None:
            return found.status in ("all", "some")
        judged = self._somewhere.get(key)
        if judged is None:
            local = self._local(key)
            judged = local is not None or any(p.present for p in self._presences(key))
            self._somewhere[key] = judged
        return judged

    def _local(self, key: str) -> LocalField | None:
        if key in self.local:
            return self.local[key]
        if key in self._local_sections():  # a section of the repository's own keys
            child = next(k for k in self.local if k.startswith((key + ".", key + "[].")))
            return self.local[child]
        return None

    def _presences(self, key: str) -> tuple[Presence, ...]:
        # a part none of whose releases can name the key has it nowhere (most unknown
        # keys: no release-by-release look-up)
        return tuple(
            Presence(p, allowed, p.presence(key, allowed.indexes) if p.may_define(key) else {})
            for p, allowed in self.parts
        )

    def _judge(self, key: str) -> Verdict:
        local = self._local(key)
        if local is not None:
            return Verdict(key, "all", local=local)
        presences = self._presences(key)
        if any(p.everywhere for p in presences):
            return Verdict(key, "all", presences)
        if any(p.present for p in presences):
            return Verdict(key, "some", presences)
        elsewhere = tuple(self._elsewhere(key))
        return Verdict(key, "none" if elsewhere else "never", presences, elsewhere=elsewhere)

    def _elsewhere(self, key: str) -> Iterable[Definition]:
        for p, _ in self.parts:
            if not p.may_define(key):
                continue  # no release of it names the key: no release to look through
            seen: set[tuple[str, int]] = set()
            for index in range(len(p.package.releases)):
                found = p.definition(key, index)
                if found is not None and (found.owner, found.run.first) not in seen:
                    seen.add((found.owner, found.run.first))
                    yield found

    def known(self) -> Mapping[str, Definition]:
        """Every key of some part at some allowed release (newest definition wins)."""
        if self._known is None:
            out: dict[str, Definition] = {}
            for p, allowed in self.parts:
                for index in sorted(allowed.indexes, reverse=True):
                    for key, definition in p.keys_at(index).items():
                        out.setdefault(key, definition)
            self._known = out
        return self._known

    def names(self) -> frozenset[str]:
        """Every key some part defines at some allowed release, and the local ones."""
        if self._names is None:
            out: set[str] = set(self.local)
            for p, allowed in self.parts:
                for index in allowed.indexes:
                    out.update(p.names_at(index))
            self._names = frozenset(out)
        return self._names

    def sections(self) -> frozenset[str]:
        """Dotted prefixes of the keys in any release: mappings the data describes (a walk
        goes below one only when every allowed release has it: ``verdict``)."""
        if self._sections is None:
            out: set[str] = set()
            for p, _ in self.parts:
                if p.kind == "key_sets":
                    out.update(p.sections_ever())
            out.update(self._local_sections())
            self._sections = frozenset(out)
        return self._sections

    def sections_below(self, start: str) -> tuple[str, ...]:
        """The sections right below ``start`` (a prefix with its dot, "" = the top level):
        asked for every unknown key, so the sections are grouped once."""
        if self._below is None:
            below: dict[str, list[str]] = {}
            for section in self.sections():
                parent, dot, _ = section.rpartition(".")
                below.setdefault(parent + dot, []).append(section)
            self._below = {k: tuple(v) for k, v in below.items()}
        return self._below.get(start, ())

    def free_form(self, path: str) -> bool:
        """A key whose value is a free mapping (a component's keyword arguments, a kwargs
        dict): its children are not checked, even those some reader names."""
        known = self._free.get(path)
        if known is None:
            known = self._free[path] = self._free_form(path)
        return known

    def _free_form(self, path: str) -> bool:
        if path not in self.names():
            return False
        definition = None
        for p, allowed in self.parts:
            for index in sorted(allowed.indexes, reverse=True):
                definition = p.definition(path, index)
                if definition is not None:
                    break
            if definition is not None:
                break
        if definition is None or definition.section or definition.within:
            return False
        return is_free_form(str(definition.run.attrs.get("type", "")))

    def siblings(self, prefix: str, everywhere: bool = False) -> list[str]:
        """Known leaf names under ``prefix`` ("" = top level), for suggestions; with
        ``everywhere``, only those every allowed release has."""
        cache = self._siblings.setdefault(everywhere, {})
        found = cache.get(prefix)
        if found is None:
            pool = self.everywhere() if everywhere else self.names()
            found = sorted({k.rpartition(".")[2] for k in pool if k.rpartition(".")[0] == prefix})
            cache[prefix] = found
        return found


Kind = Literal["classes", "key_sets"]


@dataclass(frozen=True, slots=True)
class KeySource:
    """Where a dialect's loader takes its keys from (declared by the dialect)."""

    lead: str  # the framework's package: its parsers name what is read
    loader: str  # the loader's name in ``loader_facts.json`` ("TrlParser")
    kind: Kind = "classes"
    dependencies: tuple[str, ...] = ()  # packages whose classes the lead's classes extend
    nested: bool = False  # key sets describe nested sections (checked below the top)
    repo_parsers: bool = False  # a repository's own parser calls replace the lead's parsers
    # entry points whose files are no training config (TRL's ``vllm-serve``, ``chat``)
    other_parsers: tuple[str, ...] = ()
    hydra: bool = False  # configs are Hydra apps': a repository's own app may read more keys


def _roots(
    lead: Package, parsers: tuple[str, ...], allowed: Allowed, others: tuple[str, ...]
) -> tuple[str, ...]:
    """What the first of the named parsers a release has reads (a name may also be a
    class or key set itself: verl's ``sft_trainer`` gave way to ``sft_trainer_engine``);
    every parser's classes when the release has none of them."""
    names: list[str] = []
    for index in allowed.indexes:
        table = lead.parsers_at(index)
        chosen: tuple[str, ...] | None = None
        for name in parsers:
            if name in table:
                chosen = table[name]
            elif lead.class_at(name, index) or any(
                r.covers(index) for r in lead.key_set_runs(name)
            ):
                chosen = (name,)
            if chosen is not None:
                break
        if chosen is not None:
            names.extend(chosen)
        else:
            for name, read in table.items():
                if name not in others:
                    names.extend(read)
    return tuple(dict.fromkeys(names))


def assemble(
    source: KeySource,
    parsers: tuple[str, ...],
    allowed: Mapping[str, Allowed],
    local: Iterable[LocalField] = (),
    classes: Iterable[str] | None = None,
    lookup: Callable[[str], Package | None] = package,
) -> KeySpace:
    """The key space of one document.

    ``parsers``: the lead package's parsers the document is read by (all when none is
    found); ``classes``: when the repository's own scripts build the parser, the
    framework classes they hand it (directly or as bases of their own classes), which
    replace the parsers' classes; ``local``: the repository's own fields.
    """
    space = KeySpace(local={f.name: f for f in local})
    lead_pkg = lookup(source.lead)
    if lead_pkg is None or source.lead not in allowed:
        return space
    lead_allowed = allowed[source.lead]
    named = tuple(dict.fromkeys(classes or ()))
    if classes is not None:
        roots = tuple(
            n for n in named if any(lead_pkg.class_runs(n)) or n in set(lead_pkg.key_sets())
        )
    else:
        roots = _roots(lead_pkg, parsers, lead_allowed, source.other_parsers)
    lead = part(lead_pkg, roots, source.kind)
    space.parts.append((lead, lead_allowed))
    external = {b for i in lead_allowed.indexes for b in lead.external_at(i)}
    external.update(n for n in named if n not in roots)
    for dependency in source.dependencies:
        dep_pkg = lookup(dependency)
        if dep_pkg is None or dependency not in allowed:
            continue
        dep_roots = tuple(sorted(n for n in external if any(dep_pkg.class_runs(n))))
        dep = part(dep_pkg, dep_roots, "classes") if dep_roots else None
        if dep is not None:
            space.parts.append((dep, allowed[dependency]))
    return space
