"""setup.cfg: ``[options] install_requires`` and ``[options.extras_require]``.

Read line by line (``configparser`` keeps no line numbers and interpolates ``%``): a key's
value is the rest of its line plus the more-indented lines below it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cfgguard.project.names import MENTION
from cfgguard.project.pinfiles import Context
from cfgguard.project.records import Pin
from cfgguard.project.requirement import from_pep508

_SECTION = re.compile(r"^\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"^([A-Za-z0-9_.-][^=:]*?)\s*[=:]\s*(.*)$")


def entries(text: str, indented_keys: bool = False) -> Iterator[tuple[str, str, int, str]]:
    """``(section, key, line, value line)`` for each line of each key's value; with
    ``indented_keys`` (git's config files) an indented ``key = value`` is a key too."""
    section, key = "", ""
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith(("#", ";")):
            continue
        head = _SECTION.match(raw)
        if head:
            section, key = head.group(1).lower(), ""
            continue
        if raw[0] in " \t" and not (indented_keys and _KEY.match(raw.strip())):
            if key:
                yield section, key, number, raw.strip()
            continue
        found = _KEY.match(raw.strip())
        if found is None:
            key = ""
            continue
        key = found.group(1).strip().lower()
        if found.group(2).strip():
            yield section, key, number, found.group(2).strip()


def read(path: str, ctx: Context) -> list[Pin]:
    text = ctx.text(path)
    if text is None or not MENTION.search(text):
        return []
    pins: list[Pin] = []
    for section, key, number, value in entries(text):
        wanted = (section == "options" and key.replace("-", "_") == "install_requires") or (
            section == "options.extras_require"
        )
        if not wanted:
            continue
        pin = from_pep508(value.split(" #", 1)[0], ctx.origin(path, number))
        if pin is not None:
            pins.append(pin)
    return pins
