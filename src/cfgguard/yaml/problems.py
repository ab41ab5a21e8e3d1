"""Problems found while composing YAML (syntax, duplicate keys, bombs)."""

from __future__ import annotations

from cfgguard.records import dataclass
from cfgguard.yaml.nodes import Mark


@dataclass(frozen=True, slots=True)
class YamlProblem:
    code: str  # Y001 syntax, Y002 duplicate key, Y004 alias expansion, Y005 nesting, Y007 size
    message: str
    start: Mark
    end: Mark
