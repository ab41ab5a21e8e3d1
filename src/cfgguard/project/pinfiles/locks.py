"""Lock files: the exact version of each locked known package.

uv.lock, poetry.lock and pdm.lock (``[[package]]`` blocks), pylock.toml (``[[packages]]``,
PEP 751) and Pipfile.lock (JSON). The TOML locks are scanned line by line (they are
machine-written, one key per line), which gives each entry's line and never loads a
multi-megabyte lock into a TOML parser. A package locked from git has no release version:
it is recorded as a commit.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from cfgguard.project.names import MENTION, known
from cfgguard.project.pinfiles import Context
from cfgguard.project.records import Pin

_BLOCK = re.compile(r"^\s*\[\[\s*packages?\s*\]\]\s*$")
_SUBTABLE = re.compile(r"^\s*\[")
_STRING_KEY = re.compile(r"^\s*(name|version)\s*=\s*\"([^\"]*)\"")
_GIT = re.compile(r"\bgit\s*=\s*\"([^\"]+)\"")  # uv: source = { git = "..." }
_SOURCE_KEY = re.compile(r"^\s*(type|url)\s*=\s*\"([^\"]*)\"")  # poetry/pylock source

TOML_LOCKS = ("uv.lock", "poetry.lock", "pdm.lock", "pylock.toml")
LOCKS = (*TOML_LOCKS, "Pipfile.lock")


def read(path: str, ctx: Context) -> list[Pin]:
    text = ctx.text(path)
    if text is None or not MENTION.search(text):
        return []
    if path.endswith("Pipfile.lock"):
        return _pipfile(path, text, ctx)
    lock = path.replace("\\", "/").rsplit("/", 1)[-1]
    pins: list[Pin] = []
    for block in _blocks(text):
        package = known(str(block.get("name", "")))
        if package:
            pins.append(_entry(package, block, lock, ctx.origin(path, block["line"])))
    return pins


def _blocks(text: str) -> list[dict[str, Any]]:
    """Each ``[[package]]`` block's keys outside its sub-tables, with the line of its name."""
    blocks: list[dict[str, Any]] = []
    block: dict[str, Any] | None = None
    in_subtable = False
    for number, line in enumerate(text.splitlines(), 1):
        if _BLOCK.match(line):
            block, in_subtable = {"line": number}, False
            blocks.append(block)
            continue
        if block is None:
            continue
        if _SUBTABLE.match(line):
            in_subtable = not line.strip().startswith(("[package.source]", "[packages.vcs]"))
            continue
        if not in_subtable:
            _read_keys(line, number, block)
    return blocks


def _read_keys(line: str, number: int, block: dict[str, Any]) -> None:
    found = _STRING_KEY.match(line)
    if found and found.group(1) not in block:
        block[found.group(1)] = found.group(2)
        if found.group(1) == "name":
            block["line"] = number
    git = _GIT.search(line)
    if git:
        block["git"] = git.group(1)
    source = _SOURCE_KEY.match(line)
    if source:
        block["source_" + source.group(1)] = source.group(2)


def _entry(package: str, block: dict[str, Any], lock: str, origin: str) -> Pin:
    version = str(block.get("version", ""))
    if block.get("source_type") == "git":
        block["git"] = block.get("source_url", "")
    if "git" in block:
        url = str(block["git"])
        note = f"locked by {lock} to a git commit" + (f" ({version})" if version else "")
        return Pin(package, "", origin, url=url, locked=True, note=note)
    spec = f"=={version}" if version else ""
    return Pin(package, spec, origin, version=version, locked=True, note=f"locked by {lock}")


def _pipfile(path: str, text: str, ctx: Context) -> list[Pin]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        ctx.problem(path, 0, "not valid JSON (skipped)")
        return []
    lines = text.splitlines()
    pins: list[Pin] = []
    sections = cast(dict[str, Any], data) if isinstance(data, dict) else {}
    for section in ("default", "develop"):
        body = sections.get(section)
        if not isinstance(body, dict):
            continue
        for name, entry in cast(dict[str, Any], body).items():
            package = known(name)
            if not package or not isinstance(entry, dict):
                continue
            entry = cast(dict[str, Any], entry)
            line = next((i for i, t in enumerate(lines, 1) if f'"{name}": {{' in t), 0)
            origin = ctx.origin(path, line)
            if "git" in entry:
                note = "locked by Pipfile.lock to a git commit"
                pins.append(Pin(package, "", origin, url=str(entry["git"]), locked=True, note=note))
                continue
            version = str(entry.get("version", "")).removeprefix("==")
            spec = f"=={version}" if version else ""
            note = "locked by Pipfile.lock"
            pins.append(Pin(package, spec, origin, version=version, locked=True, note=note))
    return pins
