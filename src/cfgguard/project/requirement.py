"""One requirement string -> a ``Pin`` of a known package (``packaging`` does the parsing).

``packaging`` is imported only once a string names a known package (importing it costs
15-20 ms, and most files a check passes by name none). Poetry's ``^``/``~`` and conda's
``name=1.2`` match specs are turned into PEP 440 here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cfgguard.project.names import known
from cfgguard.project.records import Pin

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_URL_START = re.compile(r"\s*(?:git\+|hg\+|svn\+|bzr\+|https?://|file:)", re.IGNORECASE)
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_TAG = re.compile(r"^v?(\d+(?:\.\d+){1,3})$")
_ARCHIVE = re.compile(r"/(?:refs/tags/)?v?(\d+(?:\.\d+){1,3})\.(?:zip|tar\.gz|tgz)$")
_WHEEL = re.compile(r"/[A-Za-z0-9_.]+-(\d+(?:\.\d+){1,3})(?:-[^/]*)?\.(?:whl|tar\.gz|zip)$")
_CONDA = re.compile(r"^\s*(?:[\w.-]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*([=<>!~].*)?$")
_VERSION = re.compile(r"^\d+(?:\.\d+)*[A-Za-z0-9.+]*$")


def specifier_set(text: str) -> SpecifierSet | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return None


def normal(specifier: str) -> str:
    """``packaging``'s spelling of a specifier set (sorted); as given when it is invalid."""
    if not specifier:
        return ""
    spec = specifier_set(specifier)
    return str(spec) if spec is not None else specifier


def exact_version(specifier: str) -> str:
    """The one version ``==X`` / ``===X`` admits; ``""`` for a range or a wildcard."""
    versions = {
        part.strip().lstrip("=").strip()
        for part in specifier.split(",")
        if part.strip().startswith("==") and "*" not in part
    }
    return versions.pop() if len(versions) == 1 else ""


def satisfies(version: str, specifier: str) -> bool:
    """``version`` is one ``specifier`` allows (pre-releases count: a lock may hold one)."""
    if not specifier:
        return True
    from packaging.version import InvalidVersion, Version

    spec = specifier_set(specifier)
    try:
        return spec is None or spec.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return True


def intersect(specifiers: list[str]) -> str:
    """The specifier set allowing what all of them allow (``""`` parts allow anything)."""
    parts = [s for s in specifiers if s]
    if len(parts) <= 1:
        return parts[0] if parts else ""
    combined = specifier_set(",".join(parts))
    return str(combined) if combined is not None else ",".join(parts)


def _url_pin(url: str, package: str, origin: str, marker: str) -> Pin:
    """A direct reference: a tag or an archive/wheel name gives a version, a commit none."""
    version, note = "", "a commit; version unknown"
    base, _, _ = url.partition("#")
    at = base.rfind("@")
    ref = base[at + 1 :] if at > base.find("://") else ""
    ref = "" if "/" in ref else ref  # ``ssh://git@host/...`` names a user, not a ref
    tag = _TAG.match(ref) if ref else None
    found = tag or _ARCHIVE.search(base) or _WHEEL.search(base)
    if found:
        version = found.group(1)
        note = f"git tag {ref}" if tag else "archive of a release"
    elif ref:
        note = f"git ref {ref[:12]}; version unknown"
    specifier = f"=={version}" if version else ""
    return Pin(package, specifier, origin, url=url, version=version, note=note, marker=marker)


def _url_name(url: str) -> str:
    """The known package a nameless URL points at: a forge's repository name
    (``github.com/huggingface/trl.git@sha``), else a wheel's or sdist's file name."""
    path = url.split("#", 1)[0].split("?", 1)[0].split("://", 1)[-1]
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 3 and re.search(r"github|gitlab|bitbucket|codeberg", parts[0]):
        return known(parts[2].split("@", 1)[0].removesuffix(".git"))
    last = parts[-1].split("@", 1)[0].removesuffix(".git") if parts else ""
    return known(last) or known(re.split(r"-\d", last, maxsplit=1)[0])


def from_pep508(text: str, origin: str) -> Pin | None:
    """``trl[vllm]>=0.19; python_version < "3.12"``, ``trl @ git+https://...``, or a bare
    URL with ``#egg=trl``; ``None`` unless it is a known package's requirement."""
    text = text.strip()
    if not text:
        return None
    if _URL_START.match(text):
        egg = _EGG.search(text)
        package = known(egg.group(1)) if egg else _url_name(text.split()[0])
        return _url_pin(text.split()[0], package, origin, "") if package else None
    head = _NAME.match(text)
    if head is None or not known(head.group(1)):
        return None
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(text)
    except InvalidRequirement:
        return None
    package = known(req.name)
    marker = str(req.marker) if req.marker is not None else ""
    if req.url:
        return _url_pin(req.url, package, origin, marker)
    specifier = str(req.specifier)
    return Pin(package, specifier, origin, version=exact_version(specifier), marker=marker)


def from_conda(text: str, origin: str, note: str = "conda") -> Pin | None:
    """A conda match spec: ``trl=0.19.1`` (conda's ``=`` is a prefix match, so ``=0.19`` is
    ``==0.19.*``), ``trl==0.19.1``, ``trl>=0.19``, ``conda-forge::trl``, ``trl=0.19.1=py_0``."""
    words = text.split("#", 1)[0].split()
    if len(words) >= 2:  # ``name version [build]``, space-separated
        words = [words[0] + ("=" if words[1][0].isdigit() else "") + words[1]]
    found = _CONDA.match(words[0]) if words else None
    if found is None or not known(found.group(1)):
        return None
    package, spec = known(found.group(1)), (found.group(2) or "").replace(" ", "")
    if spec.startswith("=") and not spec.startswith("=="):
        version = spec[1:].split("=", 1)[0]
        if not _VERSION.match(version.rstrip("*").rstrip(".")):
            return None
        if version.endswith("*") or version.count(".") < 2:
            spec = "==" + version.rstrip("*").rstrip(".") + ".*"
        else:
            spec = "==" + version
    elif spec and specifier_set(spec) is None:
        return None
    elif spec:
        spec = str(specifier_set(spec))
    return Pin(package, spec, origin, version=exact_version(spec), note=note)


def poetry_constraint(text: str) -> str | None:
    """Poetry's version syntax as PEP 440: ``^1.2.3`` -> ``>=1.2.3,<2.0.0``, ``~1.2`` ->
    ``>=1.2,<1.3``, ``1.2.3`` -> ``==1.2.3``, ``*`` -> ``""``; ``None`` for ``a || b``
    alternatives (no single specifier set says either)."""
    if "||" in text or "|" in text:
        return None
    out: list[str] = []
    for written in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", text.strip()):
        part = written.replace(" ", "")
        if part in ("", "*"):
            continue
        if part.startswith("^"):
            out.extend(_caret(part[1:]))
        elif part.startswith("~") and not part.startswith("~="):
            out.extend(_tilde(part[1:]))
        elif part[0].isdigit():
            out.append("==" + part)
        else:
            out.append(part)
    return ",".join(out)


def _numbers(version: str) -> list[int]:
    return [int(p) for p in re.findall(r"\d+", version.split("-", 1)[0])[:3]] or [0]


def _caret(version: str) -> list[str]:
    nums = _numbers(version)
    first = next((i for i, n in enumerate(nums) if n != 0), len(nums) - 1)
    upper = [*nums[:first], nums[first] + 1] + [0] * (len(nums) - first - 1)
    return [">=" + version, "<" + ".".join(map(str, upper))]


def _tilde(version: str) -> list[str]:
    nums = _numbers(version)
    if len(nums) == 1:
        return [">=" + version, f"<{nums[0] + 1}"]
    return [">=" + version, f"<{nums[0]}.{nums[1] + 1}"]
