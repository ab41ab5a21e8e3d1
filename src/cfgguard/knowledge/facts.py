"""Facts about loaders that their code cannot show in a field list (``loader_facts.json``).

Each fact holds over a release range of one package and cites where it was read: what the
loader does with a key it does not define (``refused``: the run stops; ``dropped``: it
is ignored silently; ``warned``: ignored with a log line). A fact may hold only for keys
inside one section (``section``: a dotted path), inside a section a dataclass validates
(``within: dataclass``: verl's ``_target_`` sections), inside a component's arguments
(``within: component``), or for command-line overrides (``within: command-line``, which
no YAML key is). The most specific fact that holds wins. A fact about a package cfgguard
has no release data for (alignment-handbook) holds for every release. A ``settled`` fact
names keys the loader never reads with the value its code uses anyway (axolotl's 4-bit
quantization settings): written with that value, dropping them changes nothing.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from cfgguard.knowledge import read_json
from cfgguard.knowledge.releases import package
from cfgguard.records import dataclass

Behaviour = Literal["refused", "dropped", "warned"]


@dataclass(frozen=True, slots=True)
class UnknownKeys:
    behaviour: Behaviour
    source: str
    first: int  # release indexes of the package the fact covers (inclusive)
    last: int
    section: str = ""  # only keys below this dotted path
    within: str = ""  # "", "dataclass", "component" or "command-line"

    def holds(self, index: int, parent: str, dataclass: bool, component: bool) -> bool:
        if not self.first <= index <= self.last:
            return False
        if self.section and not (parent == self.section or parent.startswith(self.section + ".")):
            return False
        if self.within == "dataclass":
            return dataclass
        if self.within == "component":
            return component
        return self.within != "command-line"

    @property
    def rank(self) -> int:
        return 2 if self.section else 1 if self.within else 0


@cache
def _facts() -> tuple[dict[str, Any], ...]:
    try:
        return tuple(read_json("loader_facts.json")["facts"])
    except OSError:
        return ()


@cache
def unknown_keys(loader: str, package_name: str) -> tuple[UnknownKeys, ...]:
    """What ``loader`` does with an undefined key, per release range of the package."""
    from cfgguard.knowledge.targets import release_index

    pkg = package(package_name)
    out: list[UnknownKeys] = []
    for fact in _facts():
        if fact.get("loader") != loader or "unknown_keys" not in fact:
            continue
        scope = {"section": fact.get("section", ""), "within": fact.get("within", "")}
        if package(fact.get("package", "")) is None:  # no release data: every release
            out.append(UnknownKeys(fact["unknown_keys"], fact["source"], 0, 10**6, **scope))
            continue
        if fact.get("package") != package_name or pkg is None:
            continue
        first = release_index(pkg, fact.get("from") or pkg.releases[0])
        last = release_index(pkg, fact["to"]) if fact.get("to") else pkg.newest
        if last is None:
            continue
        out.append(UnknownKeys(fact["unknown_keys"], fact["source"], first or 0, last, **scope))
    return tuple(out)


def behaviour_at(
    loader: str,
    package_name: str,
    index: int,
    parent: str = "",
    dataclass: bool = False,
    component: bool = False,
) -> UnknownKeys | None:
    """The most specific fact for a key below ``parent`` at a release of the package."""
    facts = unknown_keys(loader, package_name)
    found = [f for f in facts if f.holds(index, parent, dataclass, component)]
    return max(found, key=lambda f: f.rank) if found else None


@cache
def _settled(loader: str, package_name: str) -> tuple[tuple[int, int, dict[str, Any], str], ...]:
    from cfgguard.knowledge.targets import release_index

    pkg = package(package_name)
    if pkg is None:
        return ()
    out: list[tuple[int, int, dict[str, Any], str]] = []
    for fact in _facts():
        if fact.get("loader") != loader or fact.get("package") != package_name:
            continue
        if "settled" not in fact:
            continue
        first = release_index(pkg, fact.get("from") or pkg.releases[0])
        last = release_index(pkg, fact["to"]) if fact.get("to") else pkg.newest
        if first is not None and last is not None:
            out.append((first, last, fact["settled"], fact["source"]))
    return tuple(out)


def settled_value(
    loader: str, package_name: str, indexes: tuple[int, ...], key: str
) -> tuple[object, str] | None:
    """(value, source) when, in every release of ``indexes``, the loader never reads the
    top-level ``key`` and its code uses that value anyway."""
    found: list[tuple[object, str]] = []
    for index in indexes:
        hits = [
            (settled[key], source)
            for first, last, settled, source in _settled(loader, package_name)
            if first <= index <= last and key in settled
        ]
        if not hits:
            return None
        found.append(hits[0])
    values = {repr(v) for v, _ in found}
    return found[0] if found and len(values) == 1 else None
