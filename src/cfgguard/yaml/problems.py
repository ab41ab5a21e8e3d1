"""Problems found while composing YAML, by kind (``check`` maps each kind to its rule code)."""

from __future__ import annotations

from typing import Literal

from cfgguard.records import dataclass
from cfgguard.yaml.nodes import Mark

# syntax: not YAML (or an unknown tag, an extra BOM); duplicate-key: a mapping repeats a
# key; alias-expansion: aliases stand for too many nodes (a bomb); nesting: too deep;
# too-large: the file is over the size limit
Kind = Literal["syntax", "duplicate-key", "alias-expansion", "nesting", "too-large"]


@dataclass(frozen=True, slots=True)
class YamlProblem:
    kind: Kind
    message: str
    start: Mark
    end: Mark
