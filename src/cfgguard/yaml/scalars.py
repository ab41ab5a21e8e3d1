"""Read a scalar the way a framework's loader reads it.

Two loader profiles exist among the supported frameworks:

* ``yaml11``: PyYAML ``safe_load`` (axolotl, TRL, alignment-handbook). YAML 1.1 rules:
  ``5e-4`` is a *string* (the float pattern needs a dot and a signed exponent),
  ``yes``/``no``/``on``/``off`` are booleans, ``010`` is octal (PyYAML 6.0.3
  ``lib/yaml/resolver.py:177-184``).
* ``omegaconf``: OmegaConf's loader (torchtune, verl, LLaMA-Factory >= 0.9.4): the same
  YAML 1.1 rules plus an extra float pattern, so ``5e-4`` and ``1e5`` are floats; dates
  stay strings; a duplicate key is an error (omegaconf 2.3.0 ``omegaconf/_utils.py:136-175``).

Resolution and construction reuse PyYAML's own resolver and constructor, so the values
are exactly what the framework sees. Tags are never constructed beyond the core scalars.
"""

from __future__ import annotations

import math
from typing import Literal, cast

import yaml

from cfgguard.patterns import Pattern
from cfgguard.yaml.nodes import Scalar

Profile = Literal["yaml11", "omegaconf"]
Value = str | int | float | bool | None

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"

# OmegaConf adds exponent floats without a dot or with an unsigned exponent.
_OMEGACONF_EXTRA_FLOAT = Pattern(
    r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$|^\.[0-9_]+[eE][-+]?[0-9]+$"
)

_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


def tag_of(scalar: Scalar, profile: Profile) -> str:
    """The resolved YAML tag of a scalar under a loader profile."""
    if scalar.tag is not None:
        return scalar.tag
    if scalar.style != "":
        return _STR
    if profile == "omegaconf" and _OMEGACONF_EXTRA_FLOAT.match(scalar.value):
        return _FLOAT
    tag = cast(str, _resolver.resolve(yaml.ScalarNode, scalar.value, (True, False)))  # pyright: ignore[reportUnknownMemberType]
    if tag == "tag:yaml.org,2002:timestamp":
        return _STR
    return tag


def resolve(scalar: Scalar, profile: Profile) -> Value:
    """The Python value the framework's loader produces for this scalar."""
    tag = tag_of(scalar, profile)
    node = yaml.ScalarNode(tag, scalar.value)
    try:
        if tag == _INT:
            return int(_constructor.construct_yaml_int(node))
        if tag == _FLOAT:
            return float(_constructor.construct_yaml_float(node))
        if tag == _BOOL:
            return bool(_constructor.construct_yaml_bool(node))
        if tag == _NULL:
            return None
    except (ValueError, IndexError, KeyError, yaml.YAMLError):  # e.g. `!!int ""`, `!!bool x`
        return scalar.value
    return scalar.value


def looks_numeric(text: str) -> bool:
    """True for text a human reads as a number (``5e-4``, ``1_000``, ``.5``)."""
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        return False
    return math.isfinite(value)  # not nan, inf, -Infinity, or 1e400 (beyond a float)
