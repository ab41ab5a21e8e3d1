"""Facts about loaders that their code cannot show in a field list (``loader_facts.json``).

Each fact holds over a release range of one package and cites where it was read: what the
loader does with a key it does not define (``refused``: the run stops; ``dropped``: it
is ignored silently; ``warned``: ignored with a log line).
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


@cache
def _facts() -> tuple[dict[str, Any], ...]:
    try:
        return tuple(read_json("loader_facts.json")["facts"])
    except OSError:
        return ()


@cache
def unknown_keys(loader: str, package_name: str) -> tuple[UnknownKeys, ...]:
    """What ``loader`` does with an undefined key, per release range of the package."""
    pkg = package(package_name)
    if pkg is None:
        return ()
    from cfgguard.knowledge.targets import release_index

    out: list[UnknownKeys] = []
    for fact in _facts():
        if fact.get("loader") != loader or fact.get("package") != package_name:
            continue
        if "unknown_keys" not in fact:
            continue
        first = release_index(pkg, fact.get("from") or pkg.releases[0])
        last = release_index(pkg, fact["to"]) if fact.get("to") else pkg.newest
        if first is None:
            first = 0
        if last is None:
            continue
        out.append(UnknownKeys(fact["unknown_keys"], fact["source"], first, last))
    return tuple(out)


def behaviour_at(loader: str, package_name: str, index: int) -> UnknownKeys | None:
    for fact in unknown_keys(loader, package_name):
        if fact.first <= index <= fact.last:
            return fact
    return None
