"""A section's definition cites one child, the same one whatever the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

_PROBE = """
from cfgguard.knowledge import releases
from cfgguard.knowledge.keyspace import part
pkg = releases.package("verl")
assert pkg is not None
index = pkg.versions.index("0.5.0")
found = part(pkg, ("ppo_trainer",), "key_sets").definition("actor_rollout_ref.rollout.agent", index)
assert found is not None and found.section
print(found.name, found.cite())
"""


def _probe(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_section_cites_its_first_child_by_name() -> None:
    name, _ = _probe("0").split(" ", 1)
    assert name == "actor_rollout_ref.rollout.agent.agent_loop_config_path"


def test_section_citation_is_the_same_for_every_hash_seed() -> None:
    assert len({_probe(seed) for seed in ("1", "2", "3", "4", "5")}) == 1
