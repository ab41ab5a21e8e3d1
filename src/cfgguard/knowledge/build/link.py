"""Cross-package facts the check path should not compute: for each release of a package,
the newest release of each dependency its requirement admits (``newest_accepted``).

With nothing pinned, cfgguard assumes the newest framework and, for its dependencies,
the newest release that framework accepts (LLaMA-Factory 0.9.5 requires
transformers<=5.6.0); evaluating that specifier at check time would import ``packaging``
on every run. Runs over release indexes, like every other table of the data.
"""

from __future__ import annotations

from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from cfgguard.knowledge.build.merge import runs


def newest_accepted(data: dict[str, Any], others: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``{dependency: [[first, last, {"type": version}], ...]}`` for one package's data."""
    out: dict[str, Any] = {}
    for dependency, rows in data["requires"].items():
        other = others.get(dependency)
        if other is None:
            continue
        parsed = [Version(v) for v in other["releases"]]
        per_release: list[tuple[int, dict[str, Any] | None]] = []
        for first, last, spec in rows:
            try:
                allowed = SpecifierSet(spec)
            except InvalidSpecifier:
                continue
            fits = [v for v in parsed if allowed.contains(v, prereleases=False)]
            value = {"type": str(max(fits))} if fits else None
            per_release.extend((i, value) for i in range(first, last + 1))
        out[dependency] = [[a, b, v["type"]] for a, b, v in runs(per_release)]
    return out
