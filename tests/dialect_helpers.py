"""Helpers the dialect tests share: a dialect's fixtures, a field's line and origin, corpus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TypeVar

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.dialects import BY_NAME
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping

T = TypeVar("T")

FIXTURES = Path(__file__).parent / "fixtures" / "dialects"


def root_of(text: str) -> Mapping:
    root = compose(text).documents[0].root
    assert isinstance(root, Mapping)
    return root


def fixture(dialect: str, name: str) -> Mapping:
    """tests/fixtures/dialects/<dialect>/<name>, composed."""
    return root_of((FIXTURES / dialect / name).read_text(encoding="utf-8"))


def canonical(dialect: str, name: str) -> Canonical:
    """A fixture of ``dialect`` read by that dialect."""
    return BY_NAME[dialect].to_canonical(fixture(dialect, name))


class DialectFiles(NamedTuple):
    """One dialect's fixture(name), canonical(name) and from_text(text)."""

    fixture: Callable[[str], Mapping]
    canonical: Callable[[str], Canonical]
    from_text: Callable[[str], Canonical]


def files_of(dialect: str) -> DialectFiles:
    to_canonical = BY_NAME[dialect].to_canonical

    def own_fixture(name: str) -> Mapping:
        return fixture(dialect, name)

    def own_canonical(name: str) -> Canonical:
        return canonical(dialect, name)

    def from_text(text: str) -> Canonical:
        return to_canonical(root_of(text))

    return DialectFiles(own_fixture, own_canonical, from_text)


def line(f: Field[T] | None) -> int:
    """The 1-based line of a field's value node."""
    assert f is not None
    assert f.node is not None
    return f.node.start.line + 1


def value_origin(f: Field[T] | None) -> tuple[T, str]:
    assert f is not None
    return f.value, f.origin


def targets(c: Canonical) -> Targets:
    assert c.target_modules is not None
    return c.target_modules.value
