"""Mapping keys as the loaders build them: what makes two keys one (a duplicate key).

yaml.safe_load and OmegaConf (whose loader extends PyYAML's SafeLoader) read YAML 1.1:
a plain ``1`` and ``0x1`` are the integer 1, ``yes`` and ``on`` are True, and a Python
dict holds one of them. OmegaConf refuses a repeated *string* key; other repeats it
keeps silently, last value wins, as PyYAML does for every repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import yaml

from cfgguard.yaml.nodes import Scalar
from cfgguard.yaml.problems import YamlProblem

CONSTRUCTORS = cast(
    "dict[str | None, Callable[[object, yaml.ScalarNode], object]]",
    yaml.SafeLoader.yaml_constructors,  # pyright: ignore[reportUnknownMemberType]
)
CONSTRUCTOR = yaml.SafeLoader("")
_RESOLVED_FIRST = frozenset(
    c
    for c in yaml.SafeLoader.yaml_implicit_resolvers  # pyright: ignore[reportUnknownMemberType]
    if c is not None
)


_RESOLVED: dict[str, str] = {}  # keys repeat across a run's files (output_dir, type, ...)


def _resolve(value: str) -> str:
    """The tag PyYAML's SafeLoader resolves a plain scalar to."""
    tag = _RESOLVED.get(value)
    if tag is None:
        resolve = cast("Callable[..., object]", CONSTRUCTOR.resolve)  # pyright: ignore[reportUnknownMemberType]
        tag = _RESOLVED[value] = str(resolve(yaml.ScalarNode, value, (True, False)))
    return tag


_STR = "tag:yaml.org,2002:str"
_KEY_TYPES = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null"))


def key_identity(key: Scalar) -> object:
    """The key as the loaders put it in a dict: YAML 1.1 (PyYAML's SafeLoader, which
    OmegaConf's loader extends) makes ``1`` and ``0x1`` the integer 1, ``yes`` and ``on``
    True; a quoted ``"1"`` stays the string. Timestamps stay text (OmegaConf drops that
    resolver)."""
    value = key.value
    if key.tag is None and key.style == "":
        if not value or value[0] not in _RESOLVED_FIRST:
            return value  # nearly every key: no implicit resolver starts with its letter
        tag = _resolve(value)
    else:
        tag = key.tag or _STR
    if tag not in _KEY_TYPES:
        return value
    try:
        return (tag != _STR, CONSTRUCTORS[tag](CONSTRUCTOR, yaml.ScalarNode(tag, value)))
    except Exception:
        return value


def duplicate(key: Scalar, first: Scalar, identity: object) -> YamlProblem:
    line = first.start.line + 1
    if isinstance(identity, str):
        message = (
            f"duplicate key '{key.value}' (first defined at line {line}); PyYAML silently"
            " keeps the last value, OmegaConf refuses the file"
        )
        return YamlProblem("duplicate-key", message, key.start, key.end)
    earlier, later = _loaded(first), _loaded(key)
    if first.value == key.value:
        read = f"YAML 1.1 reads it as {later!r}"
    else:
        read = (
            f"YAML 1.1 reads '{first.value}' as {earlier!r} and '{key.value}' as {later!r},"
            " one key in a Python dict"
        )
    message = (
        f"duplicate key '{key.value}' (first defined at line {line}; {read}); PyYAML and"
        " OmegaConf silently keep the last value"
    )
    return YamlProblem("duplicate-key", message, key.start, key.end)


def _loaded(key: Scalar) -> object:
    identity = key_identity(key)
    if isinstance(identity, tuple):
        return cast("tuple[bool, object]", identity)[1]
    return identity
