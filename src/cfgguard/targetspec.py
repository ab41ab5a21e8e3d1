"""Target versions a user states: ``trl==0.19.1``, ``transformers = ">=4.51,<5"``.

Read from ``target-versions`` in ``[tool.cfgguard]`` and ``--target-version``; a bare
version means exactly that release. Specifiers are checked with ``packaging``, imported
only when a target is stated.
"""

from __future__ import annotations

import re

from cfgguard.project.names import KNOWN

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


class TargetError(ValueError):
    pass


def normalise(package: str) -> str:
    return re.sub(r"[-_.]+", "-", package).lower()


def specifier(package: str, text: str) -> str:
    """The PEP 440 specifier ``text`` states for a known package (``TargetError`` else)."""
    name = normalise(package)
    if name not in KNOWN:
        raise TargetError(f"unknown package '{package}' (one of {', '.join(KNOWN)})")
    spec = text.strip()
    if spec[:1].isdigit():
        spec = f"=={spec}"
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(spec)
    except InvalidSpecifier:
        raise TargetError(f"'{text}' is not a version specifier for {package}") from None
    return spec


def parse_flag(text: str) -> tuple[str, str]:
    """``trl==0.19.1`` -> ("trl", "==0.19.1")."""
    match = _NAME.match(text)
    if match is None or not match.group(2):
        raise TargetError(f"'{text}': give a package and a version, e.g. trl==0.19.1")
    return normalise(match.group(1)), specifier(match.group(1), match.group(2))
