"""A dialect's name appears only in the dialect's own package (declaration and writers).

Everything else asks the dialect's declaration (``Dialect.traits``, ``Dialect.writing``)
instead of comparing names: a string literal equal to a dialect name outside the places
below fails. Framework *package* names (``trl`` the distribution) live in the knowledge
and project layers, which name packages, not dialects.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cfgguard.dialects import NAMES

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "cfgguard"

# where a dialect is declared and written (dialects/<name>/: detection, field map, the
# ``init`` and ``convert`` writers; dialects/__init__.py: the registry), and package names
# (knowledge/, project/)
ALLOWED_FOLDERS = ("dialects", "knowledge", "project")
# a framework package named where the file otherwise knows no dialect
PACKAGE_USES = {
    ("schema/dialects.py", "trl"): "the trl package in _WIDER's (package, class, field)"
}


def _allowed(relative: Path) -> bool:
    return relative.parts[0] in ALLOWED_FOLDERS


def name_literals(package: Path) -> list[str]:
    """``path:line 'name'`` for each dialect-name literal outside the allowed places."""
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if _allowed(relative):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Constant) or node.value not in NAMES:
                continue
            if (relative.as_posix(), node.value) not in PACKAGE_USES:
                found.append(f"{relative.as_posix()}:{node.lineno} {node.value!r}")
    return found


def test_no_dialect_name_outside_its_declaration() -> None:
    assert name_literals(PACKAGE) == []


def test_a_planted_name_is_found(tmp_path: Path) -> None:
    (tmp_path / "triage").mkdir()
    (tmp_path / "triage" / "places.py").write_text('HF = ("axolotl", "trl")\n')
    (tmp_path / "dialects").mkdir()
    (tmp_path / "dialects" / "axolotl.py").write_text('NAME = "axolotl"\n')
    assert name_literals(tmp_path) == ["triage/places.py:1 'axolotl'", "triage/places.py:1 'trl'"]


@pytest.mark.parametrize(
    ("relative", "allowed"),
    [
        pytest.param("dialects/torchtune/init_writer.py", True, id="writer"),
        pytest.param("init/plan.py", False, id="shared-init"),
        pytest.param("convert/command.py", False, id="convert-front"),
        pytest.param("cli/helpers.py", False, id="front-end"),
    ],
)
def test_allowed_places(relative: str, allowed: bool) -> None:
    assert _allowed(Path(relative)) is allowed
