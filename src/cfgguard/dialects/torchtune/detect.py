"""torchtune detection: any mapping holding ``_component_`` (a dotted import path).

The signal is decisive; among the supported dialects only torchtune instantiates
components from that key (Hydra and verl use ``_target_``): torchtune 0.6.1
``torchtune/config/_utils.py:33`` (``_has_component``),
``torchtune/config/_instantiate.py:30``.
"""

from __future__ import annotations

from cfgguard.dialects.base import tree_entries
from cfgguard.yaml.nodes import Mapping
from cfgguard.yaml.scalars import Profile

PROFILE: Profile = "omegaconf"


def detect(root: Mapping) -> float:
    return 10.0 if any(key.value == "_component_" for key, _ in tree_entries(root)) else 0.0
