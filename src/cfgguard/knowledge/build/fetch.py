"""Released distributions from PyPI: which releases exist, and their files (cached).

Files come straight from the addresses PyPI's JSON API lists, checked against the
sha256 it gives (the same files ``pip download --no-deps NAME==VERSION`` saves; pip is
not used because for an sdist it runs the package's build to read its metadata). A
wheel is preferred; an sdist is read when a release has no wheel.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.request
from typing import Any, cast
from urllib.parse import urljoin

from packaging.version import InvalidVersion, Version

PYPI = "https://pypi.org/pypi/{name}/json"
CACHE = os.environ.get(
    "CFGGUARD_BUILD_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "cfgguard-build")
)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        return cast(bytes, response.read())


def index(name: str) -> dict[str, list[dict[str, Any]]]:
    """Every release's files, from PyPI's JSON (cached for the build's run)."""
    path = os.path.join(CACHE, name, "index.json")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = json.loads(_get(PYPI.format(name=name)))
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data["releases"], handle)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def final_versions(name: str, minimum: str = "0") -> list[str]:
    """Final (and post) releases with a file that is not yanked, ascending."""
    out: list[Version] = []
    for text, files in index(name).items():
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if version.is_prerelease or version.is_devrelease or version < Version(minimum):
            continue
        if any(not f.get("yanked") for f in files):
            out.append(version)
    return [str(v) for v in sorted(out)]


def minor_heads(versions: list[str]) -> list[str]:
    """Each minor's first and last release (``4.51.0`` and ``4.51.3``)."""
    by_minor: dict[tuple[int, ...], list[str]] = {}
    for text in versions:
        by_minor.setdefault(Version(text).release[:2], []).append(text)
    picked: list[str] = []
    for group in by_minor.values():
        picked.extend(dict.fromkeys((group[0], group[-1])))
    return picked


def download(name: str, version: str) -> str:
    """The cached path of the release's wheel (else sdist), downloading it once."""
    files = [f for f in index(name)[version] if not f.get("yanked")]
    wheels = [f for f in files if f["filename"].endswith(".whl")]
    chosen = (wheels or [f for f in files if f["packagetype"] == "sdist"])[0]
    path = os.path.join(CACHE, name, chosen["filename"])
    expected = chosen["digests"]["sha256"]
    if not os.path.exists(path) or _sha256(path) != expected:
        # an index mirror may list files relative to the JSON address
        data = _get(urljoin(PYPI.format(name=name), chosen["url"]))
        if hashlib.sha256(data).hexdigest() != expected:
            raise RuntimeError(f"{chosen['filename']}: sha256 differs from PyPI's")
        tmp = path + ".part"
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    return path


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
