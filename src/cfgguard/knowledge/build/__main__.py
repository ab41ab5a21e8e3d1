"""``python -m cfgguard.knowledge.build [PACKAGE ...]``: rebuild the release data.

Downloads (once, into ``$CFGGUARD_BUILD_CACHE`` or ``~/.cache/cfgguard-build``) every
selected release of each package, extracts it and writes
``src/cfgguard/knowledge/data/releases/<package>.json``. Needs the network and
``packaging``; the check path needs neither. ``--list`` prints the releases it would read.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
from collections.abc import Callable
from typing import Any, cast

from cfgguard.knowledge.build.fetch import download, final_versions, minor_heads
from cfgguard.knowledge.build.merge import merge
from cfgguard.knowledge.build.metadata import requirements
from cfgguard.knowledge.extract.snapshot import Snapshot
from cfgguard.knowledge.extract.tree import SourceTree, open_tree
from cfgguard.knowledge.typeparse import enum_name, json_types
from cfgguard.records import dataclass, replace

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "releases")
KNOWN = ("transformers", "trl", "peft", "axolotl", "llamafactory", "torchtune", "verl")


@dataclass(frozen=True)
class Plan:
    extractor: str  # module with ``extract(tree, version) -> Snapshot``
    minimum: str = "0"
    heads_only: bool = False  # each minor's first and last release (transformers: 10 MB each)


PLANS: dict[str, Plan] = {
    "transformers": Plan("cfgguard.knowledge.extract.transformers", "4.36.0", heads_only=True),
    "trl": Plan("cfgguard.knowledge.extract.trl", "0.7.0"),
    "peft": Plan("cfgguard.knowledge.extract.peft", "0.6.0"),
    "axolotl": Plan("cfgguard.knowledge.extract.axolotl", "0.5.2"),  # 0.5.0 ships no code
    "llamafactory": Plan("cfgguard.knowledge.extract.llamafactory"),
    "torchtune": Plan("cfgguard.knowledge.extract.torchtune", "0.1.0"),
    "verl": Plan("cfgguard.knowledge.extract.verl"),
}
Extract = Callable[[SourceTree, str], Snapshot]


def selected(package: str) -> tuple[list[str], list[str]]:
    """(every final release since the minimum, the ones extracted)."""
    plan = PLANS[package]
    versions = final_versions(package, plan.minimum)
    return versions, minor_heads(versions) if plan.heads_only else versions


def build(package: str, log: Callable[[str], None]) -> dict[str, object]:
    plan = PLANS[package]
    extract: Extract = importlib.import_module(plan.extractor).extract
    versions, chosen = selected(package)
    snapshots: list[Snapshot] = []
    for version in chosen:
        tree = open_tree(download(package, version))
        snap = extract(tree, version)
        snap = replace(snap, requires=requirements(tree, KNOWN, exclude=package) | snap.requires)
        snapshots.append(snap)
        log(f"{package} {version}: {len(snap.classes)} classes, {len(snap.key_sets)} key sets")
    return merge(package, versions, snapshots)


def _dump(path: str, data: object) -> None:
    text = json.dumps(data, separators=(",", ":"), sort_keys=False, ensure_ascii=False)
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    os.replace(path + ".tmp", path)


Table = dict[str, list[list[Any]]]


def write(package: str, data: dict[str, Any]) -> str:
    """``<package>.json`` and, in ``<package>/``, each key set's keys (``k.<name>.json``),
    each class's fields (``c.<name>.json``) and the help texts (``help.json``): a check
    reads only the tables its file's parser uses, and no help text (verl's seven trainer
    configs are 1.6 MB, TRL's 63 argument classes 240 KB, 40 % of it help)."""
    folder = os.path.join(OUT, package)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if old.endswith(".json"):
            os.unlink(os.path.join(folder, old))
    helps: dict[str, dict[str, str]] = {}
    out = {k: v for k, v in data.items() if k not in ("owners", "newest_accepted", "types")}
    owners: dict[str, dict[str, list[str]]] = {}
    for kind, prefix in (("keys", "k"), ("fields", "c")):
        sidecars: dict[str, str] = {}
        tables = cast("dict[str, Table]", data.get(kind) or {})
        index = owners.setdefault(kind, {})
        for name, table in tables.items():
            # a key set is one table a check reads whole: only classes are indexed
            for key, runs in table.items() if kind == "fields" else ():
                for spelling in dict.fromkeys([key, *_aliases(runs)]):
                    index.setdefault(spelling, []).append(name)
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
            file = f"{prefix}.{stem}.json"
            _dump(os.path.join(folder, file), _without_help(table, helps.setdefault(name, {})))
            sidecars[name] = f"{package}/{file}"
            if kind == "keys":  # its sections (dotted prefixes), so a check splits no key
                _dump(os.path.join(folder, f"s.{stem}.json"), _prefixes(table))
        out[kind] = sidecars
    # which tables hold a key (or an alias of it): a check opens only those
    out["owners"] = {kind: dict(sorted(index.items())) for kind, index in owners.items() if index}
    out["newest_accepted"] = data.get("newest_accepted", {})
    out["types"] = parsed_types(data)
    helps = {owner: table for owner, table in helps.items() if table}
    if helps:
        _dump(os.path.join(folder, "help.json"), helps)
    if not os.listdir(folder):
        os.rmdir(folder)
    path = os.path.join(OUT, f"{package}.json")
    _dump(path, out)
    return path


def parsed_types(data: dict[str, Any]) -> dict[str, list[Any]]:
    """Every type text of the tables, parsed (``Package.annotation``): a check then
    never imports the parser."""
    texts: set[str] = set()
    for kind in ("keys", "fields"):
        for table in cast("dict[str, Table]", data.get(kind) or {}).values():
            for runs in table.values():
                texts.update(str(attrs["type"]) for _, _, attrs in runs if "type" in attrs)
    return {
        text: [sorted(json_types(text)), sorted(json_types(text, True)), enum_name(text)]
        for text in sorted(texts)
    }


def _prefixes(table: Table) -> list[str]:
    """Every dotted prefix of a key (``a``, ``a.b`` of ``a.b.c``; ``d`` of ``d[].e`` too)."""
    out: set[str] = set()
    for key in table:
        pieces = key.split(".")
        out.update(".".join(pieces[:i]) for i in range(1, len(pieces)))
    out.update(p.removesuffix("[]") for p in list(out) if p.endswith("[]"))
    return sorted(out)


def _aliases(runs: list[list[Any]]) -> list[str]:
    return [a for _, _, attrs in runs for a in attrs.get("aliases", ())]


def _without_help(table: Table, helps: dict[str, str]) -> Table:
    """The runs without their help text; each key's newest help goes to ``helps``."""
    out: Table = {}
    for key, runs in table.items():
        kept: list[list[Any]] = []
        for first, last, attrs in runs:
            text = attrs.get("help")
            if text:
                helps[key] = text
            kept.append([first, last, {k: v for k, v in attrs.items() if k != "help"}])
        out[key] = kept
    return out


def link() -> None:
    """Every package's ``newest_accepted`` against the others' data as written now."""
    from cfgguard.knowledge.build.link import newest_accepted
    from cfgguard.knowledge.releases import load_data

    names = [n[:-5] for n in sorted(os.listdir(OUT)) if n.endswith(".json")]
    datas = {n: load_data(n) for n in names}
    for name, data in datas.items():
        write(name, {**data, "newest_accepted": newest_accepted(data, datas)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cfgguard.knowledge.build")
    parser.add_argument("packages", nargs="*", choices=[*PLANS, []], metavar="PACKAGE")
    parser.add_argument("--list", action="store_true", help="print the releases to read")
    args = parser.parse_args(argv)
    packages: list[str] = args.packages or list(PLANS)
    for package in packages:
        if args.list:
            print(package, " ".join(selected(package)[1]))
            continue
        path = write(package, build(package, lambda line: print(line, file=sys.stderr)))
        print(f"wrote {path}")
    if not args.list:
        link()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
