"""pip requirements files: ``requirements*.txt``, ``requirements/*.txt``, with includes.

``-r``/``-c`` (and ``--requirement``/``--constraint``) are read relative to the including
file, at most ``MAX_DEPTH`` deep, each file once (a cycle is a problem, not a hang), never
outside the root. ``-e`` lines, options and comments are skipped; environment markers are
kept as written and never evaluated (a pin for another platform is still the repository's
pin). A ``name=1.2=build`` line (``conda list --export`` saved as requirements.txt) is read
as conda's match spec.
"""

from __future__ import annotations

import os
import re

from cfgguard.project.fs import is_within
from cfgguard.project.pinfiles import Context
from cfgguard.project.records import Pin
from cfgguard.project.requirement import from_conda, from_pep508

MAX_DEPTH = 8
_COMMENT = re.compile(r"(^|\s)#.*$")
_LINE_OPTION = re.compile(r"\s--?[A-Za-z].*$")  # --hash=..., --config-settings ... after a pin
_INCLUDE = re.compile(r"^(?:-r|-c|--requirement|--constraint)(?:\s*=\s*|\s*)(\S+)")
_CONDA_EXPORT = re.compile(r"^[A-Za-z0-9][\w.-]*=[^=<>~!]")


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with ``\\`` continuations joined and comments dropped, numbered by first line."""
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        if raw.endswith("\\"):
            pending.append(raw[:-1])
            continue
        pending.append(raw)
        line = _COMMENT.sub("", " ".join(pending)).strip()
        pending = []
        if line:
            out.append((start, line))
    if pending:
        line = _COMMENT.sub("", " ".join(pending)).strip()
        if line:
            out.append((start, line))
    return out


def read(path: str, ctx: Context, seen: set[str] | None = None) -> list[Pin]:
    """The pins of ``path`` and its includes; ``seen`` (real paths) is shared by the
    requirement files of one directory so that an include of a sibling is read once."""
    seen = set[str]() if seen is None else seen
    if os.path.realpath(path) in seen:
        return []
    return _read(os.path.abspath(path), ctx, (), seen)


def _read(path: str, ctx: Context, chain: tuple[str, ...], seen: set[str]) -> list[Pin]:
    real = os.path.realpath(path)
    seen.add(real)
    chain = (*chain, real)
    text = ctx.text(path)
    if text is None:
        return []
    pins: list[Pin] = []
    for number, line in logical_lines(text):
        include = _INCLUDE.match(line)
        if include:
            pins.extend(_include(path, number, include.group(1), ctx, chain, seen))
            continue
        if line.startswith("-"):
            continue  # -e, --index-url, -f, --pre, ...: not a pin of a released version
        requirement = _LINE_OPTION.sub("", line)
        origin = ctx.origin(path, number)
        pin = from_pep508(requirement, origin)
        if pin is None and _CONDA_EXPORT.match(requirement):
            pin = from_conda(requirement, origin, note="conda export")
        if pin is not None:
            pins.append(pin)
    return pins


def _include(
    path: str, number: int, target: str, ctx: Context, chain: tuple[str, ...], seen: set[str]
) -> list[Pin]:
    if "://" in target:
        return []  # a URL: nothing is fetched
    full = os.path.normpath(os.path.join(os.path.dirname(path), target))
    if not is_within(full, ctx.root) or not ctx.reader.inside(full):
        ctx.problem(path, number, f"include {target} is outside the repository (skipped)")
        return []
    real = os.path.realpath(full)
    if real in chain:
        ctx.problem(path, number, f"include {target} includes itself again (a cycle; skipped)")
        return []
    if real in seen:
        return []  # read already through another include: its pins are in
    if len(chain) >= MAX_DEPTH:
        ctx.problem(path, number, f"includes nested deeper than {MAX_DEPTH} (skipped)")
        return []
    if not os.path.exists(full):
        ctx.problem(path, number, f"include {target} does not exist")
        return []
    return _read(full, ctx, chain, seen)
