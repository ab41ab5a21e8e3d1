"""Which releases of each known framework a config's repository targets, and why.

From the config's directory up to the repository root, each directory's pin files are read
(``pinfiles``). Per package:

* the closest directory that declares the package decides (a requirements.txt beside the
  config beats the root's pyproject.toml); its constraints, from all its files, intersect;
  when two of them cannot both hold (two different ``==`` pins, or a pin outside a range)
  the first one read wins and the note says so;
* a lock file found on the way up turns a range into its exact version (when the locked
  version is one the range allows; an exact pin is never overridden);
* a vendored copy of the framework (``vendored``) gives its version the same way, after
  the locks, and is the target when nothing declares the package.

Nothing here imports ``packaging`` unless some file names a known package.
"""

from __future__ import annotations

import os
import re

from cfgguard.project import fs
from cfgguard.project.names import KNOWN
from cfgguard.project.pinfiles import (
    Context,
    conda_env,
    gitmodules,
    locks,
    pyproject,
    requirements_txt,
    setup_cfg,
    setup_py,
)
from cfgguard.project.records import Pin, Target, Targets, VendoredCopy
from cfgguard.project.requirement import exact_version, intersect, satisfies
from cfgguard.records import dataclass

REQUIREMENTS = re.compile(r"^(?:.*[-_.])?requirements?(?:[-_.].*)?\.(?:txt|in)$", re.IGNORECASE)
ENVIRONMENT = re.compile(r"^(?:.*[-_.])?(?:environment|env|conda)(?:[-_.].*)?\.ya?ml$", re.I)
MAX_REQUIREMENT_DIR_FILES = 50  # files read from a requirements/ directory


@dataclass(frozen=True, slots=True)
class FolderPins:
    pins: tuple[Pin, ...]
    files: tuple[str, ...]
    problems: tuple[str, ...]


_FOLDERS: dict[tuple[str, str], FolderPins] = {}


def folder_pins(folder: str, root: str) -> FolderPins:
    """The pins the files of one directory state, in reading order (cached per process)."""
    key = (root, folder)
    cached = _FOLDERS.get(key)
    if cached is None:
        cached = _FOLDERS[key] = _read_folder(folder, root)
    return cached


def _read_folder(folder: str, root: str) -> FolderPins:
    ctx = Context(fs.Reader(root))
    names = fs.entries(folder)
    files = {name for name, is_dir in names if not is_dir}
    pins: list[Pin] = []
    seen: set[str] = set()
    requirement_files = sorted(n for n in files if REQUIREMENTS.match(n))
    requirement_files.sort(key=lambda n: n.lower() != "requirements.txt")
    for name in requirement_files:
        pins.extend(requirements_txt.read(os.path.join(folder, name), ctx, seen))
    if ("requirements", True) in names:
        sub = os.path.join(folder, "requirements")
        listed = [n for n, d in fs.entries(sub) if not d and n.endswith((".txt", ".in"))]
        for name in listed[:MAX_REQUIREMENT_DIR_FILES]:
            pins.extend(requirements_txt.read(os.path.join(sub, name), ctx, seen))
    readers = (
        ("pyproject.toml", pyproject.read),
        ("setup.py", setup_py.read),
        ("setup.cfg", setup_cfg.read),
    )
    for name, read in readers:
        if name in files:
            pins.extend(read(os.path.join(folder, name), ctx))
    for name in sorted(n for n in files if ENVIRONMENT.match(n)):
        pins.extend(conda_env.read(os.path.join(folder, name), ctx))
    for name in locks.LOCKS:
        if name in files:
            pins.extend(locks.read(os.path.join(folder, name), ctx))
    if folder == root and ".gitmodules" in files:
        pins.extend(gitmodules.read(os.path.join(folder, ".gitmodules"), ctx))
    return FolderPins(tuple(pins), tuple(dict.fromkeys(ctx.files)), tuple(ctx.problems))


def targets(config_path: str, root: str, vendored: tuple[VendoredCopy, ...] = ()) -> Targets:
    config = os.path.abspath(config_path)
    levels = [folder_pins(f, root) for f in fs.chain(os.path.dirname(config), root)]
    out: list[Target] = []
    for package in KNOWN:
        declared = next(
            (
                found
                for level in levels
                if (found := [p for p in level.pins if p.package == package and not p.locked])
            ),
            list[Pin](),
        )
        lock = next(
            (p for level in levels for p in level.pins if p.package == package and p.locked),
            None,
        )
        copy = _closest_copy(package, vendored, config, root)
        target = _decide(package, declared, lock, copy)
        if target is not None:
            out.append(target)
    return Targets(
        root=root,
        config=fs.relative(config, root),
        targets=tuple(out),
        files=tuple(f for level in levels for f in level.files),
        problems=tuple(p for level in levels for p in level.problems),
    )


def _declared(package: str, pins: list[Pin]) -> Target | None:
    if not pins:
        return None
    origins = tuple(dict.fromkeys(p.origin for p in pins))
    urls = [p for p in pins if p.url]
    if urls:
        pin = urls[0]
        return Target(package, pin.specifier, pin.version, origins, pin.note, pin.url)
    chosen = pins
    conflict = ""
    for pin in pins[1:]:
        first = pins[0]
        clash = (first.version and not satisfies(first.version, pin.specifier)) or (
            pin.version and not satisfies(pin.version, first.specifier)
        )
        if clash:
            chosen = [first]
            conflict = f"; conflicts with {pin.specifier} ({pin.origin})"
            break
    specifier = intersect([p.specifier for p in chosen])
    version = exact_version(specifier)
    base = "pinned" if version else "range" if specifier else "any version"
    notes = sorted({p.note for p in chosen if p.note})
    note = base + (f" ({', '.join(notes)})" if notes else "") + conflict
    return Target(package, specifier, version, origins, note)


def _decide(
    package: str, declared_pins: list[Pin], lock: Pin | None, copy: VendoredCopy | None
) -> Target | None:
    declared = _declared(package, declared_pins)
    if lock is not None:
        declared = _with_exact(package, declared, lock.version, lock.origin, lock.note, lock.url)
    if copy is not None:
        where = copy.version_origin or f"{copy.path}:0"
        note = f"vendored copy at {copy.path}" + ("" if copy.version else "; version unknown")
        declared = _with_exact(package, declared, copy.version, where, note, "")
    return declared


def _with_exact(
    package: str, declared: Target | None, version: str, origin: str, note: str, url: str
) -> Target | None:
    """An exact source (a lock, a vendored copy) over what is declared: it replaces a range
    it lies in, fills in a declaration without a version, and never beats an exact pin."""
    if declared is None:
        specifier = f"=={version}" if version else ""
        return Target(package, specifier, version, (origin,), note, url)
    if declared.version or not version:
        return declared
    if not satisfies(version, declared.specifier):
        return Target(
            package,
            declared.specifier,
            "",
            declared.origins,
            f"{declared.note}; {note} says {version}, outside it",
            declared.url,
        )
    said = f"; declares {declared.specifier}" if declared.specifier else ""
    return Target(package, f"=={version}", version, (origin, *declared.origins), note + said)


def _closest_copy(
    package: str, vendored: tuple[VendoredCopy, ...], config: str, root: str
) -> VendoredCopy | None:
    """The copy whose distribution holds the config, else the one sharing most of its path."""
    rel = fs.relative(config, root)
    best: tuple[int, int, str] | None = None
    chosen: VendoredCopy | None = None
    for copy in vendored:
        if copy.package != package:
            continue
        holds = copy.source == "." or rel.startswith(copy.source.rstrip("/") + "/")
        shared = len(os.path.commonpath([rel, copy.path])) if copy.path != "." else 0
        key = (0 if holds else 1, -shared, copy.path)
        if best is None or key < best:
            best, chosen = key, copy
    return chosen
