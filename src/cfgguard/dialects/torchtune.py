"""PLACEHOLDER: being written."""

from cfgguard.canonical import Canonical
from cfgguard.dialects.base import Dialect
from cfgguard.yaml.nodes import Mapping


def detect(root: Mapping) -> float:
    del root
    return 0.0


def to_canonical(root: Mapping) -> Canonical:
    del root
    return Canonical()


DIALECT = Dialect("torchtune", "yaml11", detect, to_canonical)
