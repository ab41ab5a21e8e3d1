"""Conda environment files (environment.yml and the like): the conda dependencies of known
packages (match specs) and the ``pip:`` section (PEP 508, ``-r`` includes).

Read line by line, for the line numbers (the files are block-style lists in practice; a
flow-style ``dependencies: [a, b]`` is read too). A YAML file without a top-level
``dependencies:`` key is not an environment file and yields nothing.
"""

from __future__ import annotations

import os
import re

from cfgguard.project.names import MENTION
from cfgguard.project.pinfiles import Context, requirements_txt
from cfgguard.project.records import Pin
from cfgguard.project.requirement import from_conda, from_pep508

_TOP = re.compile(r"^dependencies\s*:\s*(.*)$", re.MULTILINE)
_ITEM = re.compile(r"^(\s*)-\s*(.*?)\s*$")


def _unquote(text: str) -> str:
    text = text.split(" #", 1)[0].strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def read(path: str, ctx: Context) -> list[Pin]:
    text = ctx.text(path)
    if text is None or not MENTION.search(text):
        return []
    top = _TOP.search(text)
    if top is None:
        return []
    first = text.count("\n", 0, top.start()) + 1
    if top.group(1).startswith("["):
        items = top.group(1).strip("[] ").split(",")
        return [
            pin
            for pin in (from_conda(_unquote(i), ctx.origin(path, first)) for i in items)
            if pin is not None
        ]
    pins: list[Pin] = []
    pip_indent = -1  # the indentation of the ``- pip:`` item while inside its list
    for number, raw in enumerate(text.splitlines()[first:], first + 1):
        if raw.strip() == "" or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace() and not raw.startswith("-"):
            break  # the next top-level key
        item = _ITEM.match(raw)
        if item is None:
            continue
        indent, value = len(item.group(1)), _unquote(item.group(2))
        if pip_indent >= 0 and indent <= pip_indent:
            pip_indent = -1
        if value.startswith("pip:"):
            pip_indent = indent
            continue
        origin = ctx.origin(path, number)
        if pip_indent >= 0:
            pins.extend(_pip_item(path, value, origin, ctx))
        else:
            pin = from_conda(value, origin)
            if pin is not None:
                pins.append(pin)
    return pins


def _pip_item(path: str, value: str, origin: str, ctx: Context) -> list[Pin]:
    if value.startswith(("-r ", "--requirement")):
        target = value.split(None, 1)[-1] if " " in value else value.partition("=")[2]
        full = os.path.normpath(os.path.join(os.path.dirname(path), target.strip()))
        return requirements_txt.read(full, ctx) if ctx.reader.inside(full) else []
    if value.startswith("-"):
        return []
    pin = from_pep508(value, origin)
    return [pin] if pin is not None else []
