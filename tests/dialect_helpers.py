"""Helpers the dialect tests share: parse a document, read a field's line and origin."""

from __future__ import annotations

from typing import TypeVar

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping

T = TypeVar("T")


def root_of(text: str) -> Mapping:
    root = compose(text).documents[0].root
    assert isinstance(root, Mapping)
    return root


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
