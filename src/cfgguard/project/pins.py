"""Which releases of each known framework a config's repository targets, and why.

From the config's directory up to the repository root, each directory's pin files are read
(``pinfiles``). Per package:

* the closest directory that declares the package decides (a requirements.txt beside the
  config beats the root's pyproject.toml); there, the constraints of its main files
  intersect (``FolderPins.declared``: alternative files such as requirements-gpu.txt
  count only when the main ones name the package bare or not at all); when two of them
  cannot both hold (two different ``==`` pins, or a pin outside a range) the first one
  read wins and the note says so;
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
from cfgguard.project.pinfiles import Context
from cfgguard.project.records import Pin, Target, Targets, VendoredCopy
from cfgguard.records import dataclass, replace

REQUIREMENTS = re.compile(r"^(?:.*[-_.])?requirements?(?:[-_.].*)?\.(?:txt|in)$", re.IGNORECASE)
ENVIRONMENT = re.compile(r"^(?:.*[-_.])?(?:environment|env|conda)(?:[-_.].*)?\.ya?ml$", re.I)
MAX_REQUIREMENT_DIR_FILES = 50  # files read from a requirements/ directory


MAIN_FILES = ("pyproject.toml", "setup.py", "setup.cfg", "environment.yml", "environment.yaml")


@dataclass(frozen=True, slots=True)
class FolderPins:
    """One directory's pins: from its main files (requirements.txt, pyproject.toml,
    setup.py, setup.cfg, environment.yml, .gitmodules, with their includes) and from the
    others (requirements-*.txt, requirements/*.txt, other environment files, which are
    often alternatives: a backend's or a platform's extra pins), and its locks."""

    main: tuple[Pin, ...]
    extra: tuple[Pin, ...]
    files: tuple[str, ...]
    problems: tuple[str, ...]

    def declared(self, package: str) -> list[Pin]:
        """The constraints this directory declares on ``package``: its main files'
        when they say more than the name, else those of all its files."""
        main = [p for p in self.main if p.package == package and not p.locked]
        if any(p.specifier or p.url for p in main):
            return main
        return main + [p for p in self.extra if p.package == package and not p.locked]

    def lock(self, package: str) -> Pin | None:
        return next((p for p in self.main if p.package == package and p.locked), None)


_FOLDERS: dict[tuple[str, str], FolderPins] = {}


def folder_pins(folder: str, root: str) -> FolderPins:
    """The pins the files of one directory state, in reading order (cached per process)."""
    key = (root, folder)
    cached = _FOLDERS.get(key)
    if cached is None:
        cached = _FOLDERS[key] = _read_folder(folder, root)
    return cached


# lock files, read as exact pins (``pinfiles/locks.py`` reads each)
LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock", "pylock.toml", "Pipfile.lock")


def _read_folder(folder: str, root: str) -> FolderPins:
    """Each file kind's reader is imported only when the folder has such a file (a check
    of a repository with no pin file imports none of them)."""
    ctx = Context(fs.Reader(root))
    names = fs.entries(folder)
    files = {name for name, is_dir in names if not is_dir}
    main: list[Pin] = []
    extra: list[Pin] = []
    seen: set[str] = set()
    requirement_files = sorted(n for n in files if REQUIREMENTS.match(n))
    requirement_files.sort(key=lambda n: n.lower() != "requirements.txt")
    for name in requirement_files:
        from cfgguard.project.pinfiles import requirements_txt

        found = requirements_txt.read(os.path.join(folder, name), ctx, seen)
        (main if name.lower() == "requirements.txt" else extra).extend(found)
    if ("requirements", True) in names:
        from cfgguard.project.pinfiles import requirements_txt

        sub = os.path.join(folder, "requirements")
        listed = [n for n, d in fs.entries(sub) if not d and n.endswith((".txt", ".in"))]
        for name in listed[:MAX_REQUIREMENT_DIR_FILES]:
            extra.extend(requirements_txt.read(os.path.join(sub, name), ctx, seen))
    if "pyproject.toml" in files:
        from cfgguard.project.pinfiles import pyproject

        main.extend(pyproject.read(os.path.join(folder, "pyproject.toml"), ctx))
    if "setup.py" in files:
        from cfgguard.project.pinfiles import setup_py

        main.extend(setup_py.read(os.path.join(folder, "setup.py"), ctx))
    if "setup.cfg" in files:
        from cfgguard.project.pinfiles import setup_cfg

        main.extend(setup_cfg.read(os.path.join(folder, "setup.cfg"), ctx))
    for name in sorted(n for n in files if ENVIRONMENT.match(n)):
        from cfgguard.project.pinfiles import conda_env

        found = conda_env.read(os.path.join(folder, name), ctx)
        (main if name in MAIN_FILES else extra).extend(found)
    for name in LOCK_FILES:
        if name in files:
            from cfgguard.project.pinfiles import locks

            main.extend(locks.read(os.path.join(folder, name), ctx))
    if folder == root and ".gitmodules" in files:
        from cfgguard.project.pinfiles import gitmodules

        main.extend(gitmodules.read(os.path.join(folder, ".gitmodules"), ctx))
    files_read = tuple(dict.fromkeys(ctx.files))
    return FolderPins(tuple(main), tuple(extra), files_read, tuple(ctx.problems))


def targets(config_path: str, root: str, vendored: tuple[VendoredCopy, ...] = ()) -> Targets:
    config = os.path.abspath(config_path)
    levels = [folder_pins(f, root) for f in fs.chain(os.path.dirname(config), root)]
    out: list[Target] = []
    for package in KNOWN:
        declared = next(
            (found for level in levels if (found := level.declared(package))), list[Pin]()
        )
        lock = next((found for level in levels if (found := level.lock(package))), None)
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
    from cfgguard.project.requirement import exact_version, intersect, satisfies

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


@dataclass(frozen=True, slots=True)
class _Exact:
    """A source of an exact version that is not a declaration: a lock entry or a copy."""

    version: str  # "" when it has none (a git commit, a copy without a version file)
    origin: str
    note: str  # the target's note when it decides ("locked by uv.lock")
    label: str  # how another note names it ("uv.lock", "the vendored copy at verl")
    url: str = ""


def _decide(
    package: str, declared_pins: list[Pin], lock: Pin | None, copy: VendoredCopy | None
) -> Target | None:
    target = _declared(package, declared_pins)
    if lock is not None:
        label = lock.origin.rsplit(":", 1)[0].rsplit("/", 1)[-1]
        exact = _Exact(lock.version, lock.origin, lock.note, label, lock.url)
        target = _with_exact(package, target, exact)
    if copy is not None:
        where = copy.version_origin or f"{copy.path}:0"
        note = f"vendored copy at {copy.path}" + ("" if copy.version else "; version unknown")
        exact = _Exact(copy.version, where, note, f"the vendored copy at {copy.path}")
        target = _with_exact(package, target, exact)
    return target


def _with_exact(package: str, declared: Target | None, exact: _Exact) -> Target:
    """An exact source over what is declared: it replaces a range its version lies in and
    a declaration of any version, and never beats an exact pin (the note tells of a
    different version, or of a version outside the range)."""
    from cfgguard.project.requirement import satisfies

    if declared is None:
        specifier = f"=={exact.version}" if exact.version else ""
        return Target(package, specifier, exact.version, (exact.origin,), exact.note, exact.url)
    if declared.version:
        if exact.version and exact.version != declared.version:
            note = f"{declared.note}; {exact.label} has {exact.version}"
            return replace(declared, note=note)
        return declared
    if not exact.version:
        if declared.specifier or declared.url:
            return declared
        origins = (exact.origin, *declared.origins)
        return Target(package, "", "", origins, exact.note, exact.url)
    if not satisfies(exact.version, declared.specifier):
        note = f"{declared.note}; {exact.label} has {exact.version}, outside it"
        return replace(declared, note=note)
    said = f"; declares {declared.specifier}" if declared.specifier else ""
    origins = (exact.origin, *declared.origins)
    return Target(package, f"=={exact.version}", exact.version, origins, exact.note + said)


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
