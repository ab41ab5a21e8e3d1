"""Run ``cfgguard check`` from inside each repository of a folder of repositories.

    python scripts/wild_sweep.py [--cfgguard PATH] [--manifest TSV] REPOS_DIR... > findings.tsv

Each sub-folder ``<owner>+<name>`` of a REPOS_DIR is one repository, checked from its own
root (its pins and scripts beside the configs, as a user's checkout). With ``--manifest``
(columns ``repo`` and ``config_paths``, comma-separated), only the listed configs are
checked; otherwise every YAML file cfgguard finds. Prints one TSV row per finding
(repo, path, line, column, code, severity, message) and a count per code and severity on
stderr. Nothing is read from a fixed location: the folders are arguments.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from collections import Counter


def _manifest(path: str | None) -> dict[str, list[str]]:
    if path is None:
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {
            row["repo"].replace("/", "+"): [p for p in row["config_paths"].split(",") if p]
            for row in rows
        }


def _check(cfgguard: str, repo: str, paths: list[str]) -> list[dict[str, object]]:
    existing = [p for p in paths if os.path.isfile(os.path.join(repo, p))] or ["."]
    argv = [cfgguard, "check", "--output-format", "json", "--", *existing]
    done = subprocess.run(argv, cwd=repo, capture_output=True, text=True, check=False)
    try:
        return json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        print(f"{repo}: not JSON: {done.stderr.strip()[:200]}", file=sys.stderr)
        return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wild_sweep")
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--cfgguard", default=os.path.join(sys.prefix, "bin", "cfgguard"))
    parser.add_argument("--manifest", action="append", default=[])
    parser.add_argument("--all", action="store_true", help="infos too")
    args = parser.parse_args(argv)
    listed: dict[str, list[str]] = {}
    for path in args.manifest:
        listed.update(_manifest(path))
    counts: Counter[tuple[str, str]] = Counter()
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["repo", "path", "line", "column", "code", "severity", "message"])
    folders: list[str] = args.dirs
    for folder in folders:
        for name in sorted(os.listdir(folder)):
            repo = os.path.join(folder, name)
            if not os.path.isdir(repo):
                continue
            for f in _check(args.cfgguard, repo, listed.get(name, [])):
                counts[str(f["code"]), str(f["severity"])] += 1
                if f["severity"] != "info" or args.all:
                    out.writerow(
                        [name, f["path"], f["line"], f["column"], f["code"], f["severity"],
                         f["message"]]
                    )  # fmt: skip
    for (code, severity), n in sorted(counts.items()):
        print(f"{code}\t{severity}\t{n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
