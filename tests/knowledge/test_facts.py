"""What each loader does with an undefined key, per release and per section."""

from __future__ import annotations

import pytest

from cfgguard.knowledge.facts import behaviour_at
from cfgguard.knowledge.releases import package
from cfgguard.knowledge.targets import release_index


def _at(loader: str, name: str, version: str, **where: object) -> str | None:
    pkg = package(name)
    assert pkg is not None
    index = release_index(pkg, version)
    assert index is not None
    fact = behaviour_at(loader, name, index, **where)  # pyright: ignore[reportArgumentType]
    return fact.behaviour if fact else None


@pytest.mark.parametrize(
    ("loader", "package_name", "version", "where", "expected"),
    [
        pytest.param("TrlParser", "trl", "0.9.4", {}, "dropped", id="trl-0.9.4"),
        pytest.param("TrlParser", "trl", "0.9.6", {}, "refused", id="trl-0.9.6"),
        pytest.param("TrlParser", "trl", "0.18.2", {}, "dropped", id="trl-0.18.2"),
        pytest.param("TrlParser", "trl", "0.19.0", {}, "refused", id="trl-0.19.0"),
        pytest.param("axolotl", "axolotl", "0.18.0", {"parent": "fp8_config"}, "dropped",
                     id="axolotl-before-fp8"),
        pytest.param("axolotl", "axolotl", "0.19.0", {"parent": "fp8_config"}, "refused",
                     id="axolotl-fp8-section"),
        pytest.param("axolotl", "axolotl", "0.19.0", {"parent": "trl"}, "dropped",
                     id="axolotl-other-section"),
        pytest.param("verl", "verl", "0.9.1", {"parent": "trainer"}, "dropped",
                     id="verl-plain-section"),
        pytest.param("verl", "verl", "0.9.1", {"parent": "actor_rollout_ref.actor",
                     "dataclass": True}, "refused", id="verl-dataclass-section"),
        pytest.param("verl", "verl", "0.4.0", {"parent": "actor_rollout_ref.actor",
                     "dataclass": True}, "dropped", id="verl-before-dataclass-checks"),
        pytest.param("verl", "verl", "0.4.1", {"parent": "critic.profiler"}, "refused",
                     id="verl-0.4.1-profiler"),
        pytest.param("torchtune", "torchtune", "0.6.1", {}, "dropped", id="torchtune-top"),
        pytest.param("torchtune", "torchtune", "0.6.1", {"parent": "model", "component": True},
                     "refused", id="torchtune-component"),
        pytest.param("H4ArgumentParser", "trl", "0.9.6", {}, "refused",
                     id="handbook-every-release"),
    ],
)  # fmt: skip
def test_behaviour(
    loader: str, package_name: str, version: str, where: dict[str, object], expected: str
) -> None:
    assert _at(loader, package_name, version, **where) == expected
