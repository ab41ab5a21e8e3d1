"""``python -m cfgguard.schema [--check] [--out DIR]``: write (or check) schemas/.

Writes ``canonical.schema.json`` and ``<dialect>.schema.json`` (sorted keys, trailing
newline). ``--check`` writes nothing and exits 1 when a committed file differs from
the generator's output (or is missing), listing the files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cfgguard.schema.config_schema import config_schema
from cfgguard.schema.dialects import DIALECT_NAMES, dialect_schema
from cfgguard.schema.generate import Schema, canonical_schema, render

DEFAULT_OUT = Path("schemas")


def all_schemas() -> dict[str, Schema]:
    """File name (under schemas/) -> schema. The config file's schema is written here, not
    in ``generate`` (the canonical schema a check validates against): it reads cfgguard's
    config module, which sits above the rules."""
    out = {"canonical.schema.json": canonical_schema()}
    out.update({f"{d}.schema.json": dialect_schema(d) for d in DIALECT_NAMES})
    out["cfgguard-config.schema.json"] = config_schema()
    return out


def stale(out: Path) -> list[str]:
    """Names of the files under ``out`` that differ from the generator's output."""
    bad: list[str] = []
    for name, schema in all_schemas().items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render(schema):
            bad.append(name)
    return bad


def write(out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    for name, schema in all_schemas().items():
        (out / name).write_text(render(schema), encoding="utf-8", newline="\n")
        names.append(name)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cfgguard.schema", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if schemas/ is stale")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="directory (schemas)")
    args = parser.parse_args(argv)
    out: Path = args.out
    if args.check:
        bad = stale(out)
        for name in bad:
            print(f"{out / name}: out of date (run python -m cfgguard.schema)", file=sys.stderr)
        return 1 if bad else 0
    for name in write(out):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
