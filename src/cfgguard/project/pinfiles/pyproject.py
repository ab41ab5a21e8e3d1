"""pyproject.toml: ``[project]`` dependencies and extras, PEP 735 ``[dependency-groups]``,
uv's ``[tool.uv]`` dev/constraint/override dependencies, PDM's dev-dependencies, and
Poetry's ``[tool.poetry]`` dependencies and groups (``^``/``~`` turned into PEP 440).

TOML gives no line numbers: a requirement's line is where its quoted text (or, for
Poetry, its key under the table's header) first appears after the previous one found.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any, cast

from cfgguard.project.names import MENTION, known
from cfgguard.project.pinfiles import Context
from cfgguard.project.records import Pin
from cfgguard.project.requirement import exact_version, from_pep508, normal, poetry_constraint
from cfgguard.records import replace


def toml_loads(text: str) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None


def table(data: object, *keys: str) -> dict[str, Any]:
    """``data[k1][k2]...`` when each is a table; ``{}`` otherwise."""
    for key in keys:
        if not isinstance(data, dict):
            return {}
        data = cast(dict[str, Any], data).get(key)
    return cast(dict[str, Any], data) if isinstance(data, dict) else {}


def strings(value: object) -> Iterator[str]:
    if isinstance(value, list):
        for item in cast(list[object], value):
            if isinstance(item, str):
                yield item


class Locator:
    """Lines of a file's text, for finding where a parsed value was written."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self._next: dict[str, int] = {}

    def string(self, value: str) -> int:
        """The next line (1-based) holding ``value`` quoted; 0 when not found."""
        start = self._next.get(value, 0)
        for quoted in (f'"{value}"', f"'{value}'", value):
            for index in range(start, len(self.lines)):
                if quoted in self.lines[index]:
                    self._next[value] = index + 1
                    return index + 1
        return 0

    def key(self, header: str, key: str) -> int:
        """The line of ``key = ...`` below the table header ``[header]``; 0 when not found."""
        head = re.compile(r"^\s*\[\s*" + re.escape(header).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
        name = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=", re.IGNORECASE)
        below = False
        for index, line in enumerate(self.lines):
            if head.match(line):
                below = True
            elif below and line.lstrip().startswith("["):
                below = False
            elif below and name.match(line):
                return index + 1
        return 0


def read(path: str, ctx: Context) -> list[Pin]:
    text = ctx.text(path)
    if text is None or not MENTION.search(text):
        return []
    data = toml_loads(text)
    if data is None:
        ctx.problem(path, 0, "not valid TOML (skipped)")
        return []
    where = Locator(text)
    pins: list[Pin] = []
    for requirement, note in _requirements(data):
        pin = from_pep508(requirement, ctx.origin(path, where.string(requirement)))
        if pin is not None:
            pins.append(replace(pin, note=pin.note or note) if note else pin)
    pins.extend(_poetry(data, path, ctx, where))
    return pins


def _requirements(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every PEP 508 requirement string of the file, in file order, with a note for a pin."""
    project = table(data, "project")
    for requirement in strings(project.get("dependencies")):
        yield requirement, ""
    for extra in table(project, "optional-dependencies").values():
        for requirement in strings(extra):
            yield requirement, ""
    for group in table(data, "dependency-groups").values():
        for requirement in strings(group):
            yield requirement, ""
    uv = table(data, "tool", "uv")
    for key in ("dev-dependencies", "constraint-dependencies", "override-dependencies"):
        for requirement in strings(uv.get(key)):
            yield requirement, "uv override" if key == "override-dependencies" else ""
    for group in table(data, "tool", "pdm", "dev-dependencies").values():
        for requirement in strings(group):
            yield requirement, ""


def _poetry(data: dict[str, Any], path: str, ctx: Context, where: Locator) -> Iterator[Pin]:
    poetry = table(data, "tool", "poetry")
    tables = [("tool.poetry.dependencies", table(poetry, "dependencies"))]
    tables.append(("tool.poetry.dev-dependencies", table(poetry, "dev-dependencies")))
    for group, body in table(poetry, "group").items():
        tables.append((f"tool.poetry.group.{group}.dependencies", table(body, "dependencies")))
    for header, deps in tables:
        for name, value in deps.items():
            package = known(name)
            if not package:
                continue
            origin = ctx.origin(path, where.key(header, name))
            yield _poetry_pin(package, value, origin)


def _poetry_pin(package: str, value: object, origin: str) -> Pin:
    if isinstance(value, list):  # several constraints, each for some environment
        return Pin(package, "", origin, note="poetry alternatives")
    spec: object = value
    if isinstance(value, dict):
        body = cast(dict[str, Any], value)
        if "git" in body or "url" in body:
            ref = body.get("tag") or body.get("rev") or body.get("branch") or ""
            url = str(body.get("git") or body.get("url"))
            pin = from_pep508(f"{package} @ {url}" + (f"@{ref}" if ref else ""), origin)
            return pin or Pin(package, "", origin, url=url, note="a commit; version unknown")
        if "path" in body:
            return Pin(package, "", origin, note=f"local path {body['path']}; version unknown")
        spec = body.get("version", "*")
    converted = poetry_constraint(spec) if isinstance(spec, str) else None
    if converted is None:
        return Pin(package, "", origin, note="poetry alternatives")
    converted = normal(converted)
    return Pin(package, converted, origin, version=exact_version(converted), note="poetry")
