"""Inject fixable mistakes into real configs, for the corpus property test.

Each injection returns the mutated text, the rule code whose fix should act, and the span
(character offsets in the mutated text) outside which the fix must change nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cfgguard.check import Analysis
from cfgguard.derived.lr_levels import levels
from cfgguard.edits.numbers import scale_by_power_of_ten
from cfgguard.keyspaces import DocumentKeys, NoProject, document_keys
from cfgguard.rules.k001_unknown_key import suggestions
from cfgguard.yaml.nodes import Mapping, Scalar


@dataclass(frozen=True)
class Injection:
    kind: str
    code: str
    text: str
    span: tuple[int, int]
    restores: bool  # the fix should give back the original text exactly


def _splice(text: str, node: Scalar, new: str) -> tuple[str, tuple[int, int]]:
    start, end = node.start.index, node.end.index
    return text[:start] + new + text[end:], (start, start + len(new))


def _typo(key: str, keys: DocumentKeys) -> str | None:
    """A one-letter typo of ``key`` whose only close known key is ``key``."""
    for i in range(len(key) - 1, 0, -1):
        if key[i] == key[i - 1] or not key[i].isalpha():
            continue
        typo = key[: i - 1] + key[i] + key[i - 1] + key[i + 1 :]
        if keys.verdict(typo).status == "never" and suggestions(typo, keys) == [key]:
            return typo
    return None


def injections(text: str, analysis: Analysis) -> Iterator[Injection]:
    config, detection = analysis.config, analysis.detection
    root = analysis.document.root
    if config is None or detection is None or not isinstance(root, Mapping):
        return
    reading = detection.dialect.keys
    keys = document_keys(reading, root, config, NoProject()) if reading else None
    for key, _ in root.entries() if keys is not None else ():
        assert keys is not None
        if key.plain and keys.verdict(key.value).status == "all":
            typo = _typo(key.value, keys)
            if typo is not None:
                mutated, span = _splice(text, key, typo)
                yield Injection("typo", "K001", mutated, span, True)
                break
    lv = levels(config)
    lr = config.learning_rate
    node = lr.node if lr is not None and lr.origin == "file" else None
    if lv is not None and isinstance(node, Scalar) and node.plain and lv.own.contains(lv.lr):
        power = -1 if lv.adapter == "lora" else 1
        new = scale_by_power_of_ten(node.value, power)
        if new is not None and lv.other.contains(float(new)) and not lv.own.contains(float(new)):
            mutated, span = _splice(text, node, new)
            code = "R002" if lv.adapter == "lora" else "R003"
            yield Injection("lr-level", code, mutated, span, True)
