"""Dialect registry and detection: which framework a YAML document is written for."""

from __future__ import annotations

from cfgguard.dialects import axolotl, llamafactory, plain, torchtune, trl, verl
from cfgguard.dialects.base import Dialect
from cfgguard.records import dataclass
from cfgguard.yaml.nodes import Mapping

DIALECTS: tuple[Dialect, ...] = (
    axolotl.DIALECT,
    llamafactory.DIALECT,
    trl.DIALECT,
    torchtune.DIALECT,
    verl.DIALECT,
    plain.DIALECT,
)
BY_NAME: dict[str, Dialect] = {d.name: d for d in DIALECTS}
NAMES: tuple[str, ...] = tuple(BY_NAME)  # the one list of dialect names
MIN_SCORE = 2.0


@dataclass(frozen=True, slots=True)
class Detection:
    dialect: Dialect
    score: float
    runner_up: tuple[str, float] | None
    forced: bool = False


def scores(root: Mapping) -> list[tuple[Dialect, float]]:
    """Every dialect's score, best first (ties keep registry order)."""
    scored = [(d, d.detect(root)) for d in DIALECTS]
    return sorted(scored, key=lambda pair: -pair[1])


def detect(root: Mapping, forced: str | None = None) -> Detection | None:
    """The best-scoring dialect, or None when no dialect claims the document."""
    ranked = scores(root)
    if forced is not None:
        others = [(d.name, s) for d, s in ranked if d.name != forced]
        return Detection(
            BY_NAME[forced],
            {d.name: s for d, s in ranked}[forced],
            others[0] if others else None,
            forced=True,
        )
    best, score = ranked[0]
    if score < MIN_SCORE:
        return None
    runner = (ranked[1][0].name, ranked[1][1]) if len(ranked) > 1 else None
    return Detection(best, score, runner)
