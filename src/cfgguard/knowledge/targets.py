"""Which releases of a package a repository allows: its pin, what its other pins imply,
or (with neither) the newest release cfgguard's data covers.

A version maps to the newest extracted release at or below it (the data reads each
minor's first and last transformers release; a pin of ``4.51.2`` reads as ``4.51.0``).
``packaging`` is imported only when a specifier has to be evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, cast

from cfgguard.knowledge.releases import Package
from cfgguard.records import dataclass, replace


class Pin(Protocol):
    """What the project layer found for one package (``cfgguard.project``)."""

    @property
    def specifier(self) -> str: ...  # PEP 440, "" = any release
    @property
    def origin(self) -> str: ...  # "requirements.txt:3", "--target-version", ...


@dataclass(frozen=True, slots=True)
class Allowed:
    package: str
    indexes: tuple[int, ...]  # into Package.releases, ascending
    spec: str  # what allows them, as a person reads it ("trl>=0.19.1")
    origin: str  # where that came from
    assumed: bool = False  # no pin: the newest release in cfgguard's data
    guessed: bool = False  # pinned, but to a version nobody can read (a git commit)

    def describe(self, releases: tuple[str, ...]) -> str:
        if self.assumed:
            return f"{self.package} {releases[self.indexes[-1]]} (assumed: {self.origin})"
        return f"`{self.spec}` ({self.origin})"


def newest(package: Package, why: str = "no pin found") -> Allowed:
    note = f"{why}, the newest release in cfgguard's data"
    return Allowed(package.name, (package.newest,), "", note, assumed=True)


def _floor(package: Package, version: object) -> int | None:
    import bisect

    from packaging.version import Version

    assert isinstance(version, Version)
    releases = cast("list[Version]", package.parsed_releases())
    index = bisect.bisect_right(releases, version) - 1  # releases are ascending
    return index if index >= 0 else None


def release_index(package: Package, version: str) -> int | None:
    """The extracted release standing for ``version`` (None: older than the data)."""
    if version in package.releases:
        return package.releases.index(version)
    from packaging.version import InvalidVersion, Version

    try:
        return _floor(package, Version(version))
    except InvalidVersion:
        return None


def indexes_for(package: Package, specifier: str) -> tuple[int, ...]:
    """The extracted releases standing for every PyPI release the specifier admits."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return ()
    found: set[int] = set()
    for version in cast("list[Version]", package.parsed_versions()):
        if spec.contains(version, prereleases=False):
            index = _floor(package, version)
            if index is not None:
                found.add(index)
    if not found:
        for item in spec:  # an exact pin between or below the releases read
            if item.operator in ("==", "===") and "*" not in item.version:
                try:
                    index = _floor(package, Version(item.version))
                except InvalidVersion:
                    continue
                if index is not None:
                    found.add(index)
    return tuple(sorted(found))


def resolve(packages: Iterable[Package], pins: Mapping[str, Pin]) -> dict[str, Allowed]:
    """Allowed releases of each package: pinned, implied by the pinned ones, or newest.

    A package that is not pinned takes what the pinned packages' releases require of it
    (``trl==0.19.1`` requires ``transformers>=4.51.0``), else the releases of it whose own
    requirements admit the pinned packages, newest of them (``transformers==4.48.2``
    pinned, TRL at a git commit: the newest TRL that accepts it); with no pin at all,
    everything is the newest release (the message of a finding says so).
    """
    by_name = {p.name: p for p in packages}
    out: dict[str, Allowed] = {}
    for name, package in by_name.items():
        pin = pins.get(name)
        if pin is None or not pin.specifier:
            continue
        indexes = indexes_for(package, pin.specifier)
        if indexes:
            out[name] = Allowed(name, indexes, f"{name}{pin.specifier}", pin.origin)
        else:
            why = f"`{name}{pin.specifier}` ({pin.origin}) matches no release in cfgguard's data"
            out[name] = newest(package, why)
    for name, package in by_name.items():
        if name in out:
            continue
        implied = _implied(package, by_name, out) or _compatible(package, by_name, pins)
        if implied is None:
            implied = _accepted(package, by_name, out)
        if implied is not None:
            out[name] = implied
            continue
        pin = pins.get(name)
        found = newest(package, pin.origin if pin else "no pin found")
        out[name] = replace(found, guessed=pin is not None)
    return out


def _accepted(
    package: Package, by_name: Mapping[str, Package], chosen: Mapping[str, Allowed]
) -> Allowed | None:
    """With nothing pinned, the newest release the other assumed releases accept (newest
    LLaMA-Factory 0.9.5 requires transformers<=5.6.0: 5.6.0, not the newest 5.24.0)."""
    for name, allowed in chosen.items():
        owner = by_name[name]
        index = allowed.indexes[-1]
        spec = owner.requires_at(index).get(package.name)
        accepted = owner.newest_accepted_at(index).get(package.name)
        if not allowed.assumed or spec is None or accepted not in package.releases:
            continue
        found = package.releases.index(accepted)
        if found != package.newest:
            why = f"the newest {package.name} that {name} {owner.releases[index]} accepts ({spec})"
            return Allowed(package.name, (found,), "", why, assumed=True)
    return None


def _compatible(
    package: Package, by_name: Mapping[str, Package], pins: Mapping[str, Pin]
) -> Allowed | None:
    """The newest release of ``package`` whose requirements admit every pinned package's
    pin (old releases with a lower bound only admit it too, but are the least likely)."""
    if not any(pin.specifier for name, pin in pins.items() if name != package.name):
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    chosen: set[int] | None = None
    origins: list[str] = []
    for name, pin in pins.items():
        other = by_name.get(name)
        if other is None or name == package.name or not pin.specifier:
            continue
        try:
            wanted = [v for v in other.versions if SpecifierSet(pin.specifier).contains(v)]
        except InvalidSpecifier:
            continue
        if not wanted:
            continue
        fits: set[int] = set()
        for index in range(len(package.releases)):
            spec = package.requires_at(index).get(name)
            if spec is None:
                continue
            try:
                if any(SpecifierSet(spec).contains(v) for v in wanted):
                    fits.add(index)
            except InvalidSpecifier:
                continue
        if fits:
            chosen = fits if chosen is None else chosen & fits
            origins.append(f"{name}{pin.specifier} ({pin.origin})")
    if not chosen:
        return None
    words = ", ".join(origins)
    why = f"the newest {package.name} that accepts {words}"
    return Allowed(package.name, (max(chosen),), "", why, assumed=True, guessed=True)


def _implied(
    package: Package, by_name: Mapping[str, Package], pinned: Mapping[str, Allowed]
) -> Allowed | None:
    """What the pinned packages' own requirements allow of ``package``."""
    chosen: set[int] | None = None
    origins: list[str] = []
    for name, allowed in pinned.items():
        if allowed.assumed:
            continue
        owner = by_name[name]
        specs: set[str] = set()
        for index in allowed.indexes:
            spec = owner.requires_at(index).get(package.name)
            if spec is None:
                break  # some allowed release does not constrain it
            specs.add(spec)
        else:
            union: set[int] = set()
            for spec in specs:
                union.update(indexes_for(package, spec))
            if not union:
                continue
            chosen = union if chosen is None else chosen & union
            req = " | ".join(sorted(specs))
            origins.append(f"{allowed.spec or name} requires {package.name}{req}")
    if not chosen:
        return None
    spec = "; ".join(origins)
    return Allowed(package.name, tuple(sorted(chosen)), spec, "implied by " + spec)
