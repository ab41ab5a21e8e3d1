"""What a release requires of the other known packages, from its own metadata.

A wheel's ``*.dist-info/METADATA`` (an sdist's ``PKG-INFO``) ``Requires-Dist`` lines;
requirements that only an extra pulls in (``extra == "vllm"``) do not constrain a plain
install and are left out; several lines for one package are intersected.
"""

from __future__ import annotations

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from cfgguard.knowledge.extract.tree import SourceTree


def requirements(tree: SourceTree, known: tuple[str, ...], exclude: str = "") -> dict[str, str]:
    names = [p for p in tree.paths() if p.endswith((".dist-info/METADATA", "PKG-INFO"))]
    text = tree.read(min(names, key=len)) if names else None
    plain: dict[str, SpecifierSet] = {}
    conditional: dict[str, SpecifierSet] = {}
    for line in (text or "").splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        try:
            req = Requirement(line.split(":", 1)[1].strip())
        except InvalidRequirement:
            continue
        name = canonicalize_name(req.name)
        if name not in known or name == exclude:
            continue
        if req.marker is not None and "extra" in str(req.marker):
            continue
        # several lines for one package all hold; one behind an environment marker
        # (``; python_version == "3.9"``) only where it holds: used when no plain line is
        into = plain if req.marker is None else conditional
        into[name] = into.get(name, SpecifierSet()) & req.specifier
    return {name: str(spec) for name, spec in (conditional | plain).items()}
