""".gitmodules: a framework checked out as a git submodule (its commit is in git's index,
which is not read: the version is unknown unless the checkout is there to be read as a
vendored copy)."""

from __future__ import annotations

from cfgguard.project.names import MENTION, known
from cfgguard.project.pinfiles import Context
from cfgguard.project.pinfiles.setup_cfg import entries
from cfgguard.project.records import Pin


def read(path: str, ctx: Context) -> list[Pin]:
    text = ctx.text(path)
    if text is None or not MENTION.search(text):
        return []
    found: dict[str, dict[str, tuple[int, str]]] = {}
    for section, key, number, value in entries(text, indented_keys=True):
        if key in ("path", "url"):
            found.setdefault(section, {})[key] = (number, value)
    pins: list[Pin] = []
    for keys in found.values():
        if "url" not in keys:
            continue
        number, url = keys["url"]
        name = url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        package = known(name.removesuffix(".git"))
        if package:
            where = keys.get("path", (0, "?"))[1]
            note = f"git submodule at {where}; version unknown"
            pins.append(Pin(package, "", ctx.origin(path, number), url=url, note=note))
    return pins
