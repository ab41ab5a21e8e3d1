"""The benchmarked tools: where they are, their versions and their command lines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import BIN, DIALECTS, REPO
from .launch import ENV

INSTALL_HINT = ".venv/bin/pip install check-jsonschema yamllint"
CFGGUARD = "cfgguard"
JSONSCHEMA = "check-jsonschema"
YAMLLINT = "yamllint"


@dataclass(frozen=True)
class Tool:
    name: str
    exe: str
    argv: Callable[[list[str]], list[str]]
    version: str


def find_executable(name: str) -> str | None:
    beside = BIN / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def version_of(exe: str) -> str:
    try:
        out = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=60, check=False, env=ENV
        )
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"


def dialect_of(path: str) -> str:
    """The dialect of a generated or copied file: ``configs/<dialect>/...``."""
    parts = Path(path).parts
    return parts[1] if len(parts) > 2 and parts[1] in DIALECTS else "canonical"


class JsonSchemaArgv:
    """check-jsonschema's command line; ``mode`` "dialect" picks the files' own schemas.

    One dialect among the files: ``schemas/<dialect>.schema.json``. Several: one schema whose
    ``anyOf`` holds each of their dialect schemas (written into ``work``; the dialect schemas
    have no ``$ref``), so that one process validates all files, as the other tools do.
    Any other ``mode`` names ``schemas/<mode>.schema.json`` for every file set.
    """

    def __init__(self, exe: str, mode: str, work: Path) -> None:
        self.exe, self.mode, self.work = exe, mode, work

    def schema(self, files: Sequence[str]) -> Path:
        if self.mode != "dialect":
            return REPO / "schemas" / f"{self.mode}.schema.json"
        dialects = sorted({dialect_of(f) for f in files})
        if len(dialects) == 1:
            return REPO / "schemas" / f"{dialects[0]}.schema.json"
        path = self.work / "schemas" / f"any-of-{'-'.join(dialects)}.schema.json"
        if not path.exists():
            branches: list[dict[str, Any]] = []
            for dialect in dialects:
                branch = json.loads((REPO / "schemas" / f"{dialect}.schema.json").read_text())
                branch.pop("$schema", None)
                branches.append(branch)
            union = {"$schema": "http://json-schema.org/draft-07/schema#", "anyOf": branches}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(union), encoding="utf-8")
        return path

    def describe(self, files: Sequence[str]) -> str:
        schema = self.schema(files)
        if schema.parent == REPO / "schemas":
            return f"schemas/{schema.name}"
        names = schema.name.removeprefix("any-of-").removesuffix(".schema.json")
        return f"anyOf of the {names.replace('-', ', ')} schemas"

    def __call__(self, files: list[str]) -> list[str]:
        return [self.exe, "--schemafile", str(self.schema(files)), *files]


def tools(jsonschema_mode: str, work: Path, lines: list[str]) -> dict[str, Tool]:
    found: dict[str, Tool] = {}
    exe = find_executable(CFGGUARD)
    if exe is None:
        raise SystemExit("bench: the cfgguard console script is not installed (pip install -e .)")
    found[CFGGUARD] = Tool(
        CFGGUARD,
        exe,
        lambda files: [exe, "check", "--output-format", "concise", *files],
        version_of(exe),
    )
    cjs = find_executable(JSONSCHEMA)
    if cjs is None:
        lines.append(f"skipped: {JSONSCHEMA} is not installed ({INSTALL_HINT})")
    else:
        found[JSONSCHEMA] = Tool(
            JSONSCHEMA, cjs, JsonSchemaArgv(cjs, jsonschema_mode, work), version_of(cjs)
        )
    yl = find_executable(YAMLLINT)
    if yl is None:
        lines.append(f"skipped: {YAMLLINT} is not installed ({INSTALL_HINT})")
    else:
        found[YAMLLINT] = Tool(
            YAMLLINT,
            yl,
            lambda files: [yl, "-d", "default", "-f", "parsable", *files],
            version_of(yl),
        )
    return found
