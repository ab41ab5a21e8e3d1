"""PEFT: ``LoraConfig`` and the other adapter configs, with their bases.

Every dataclass of the package named ``*Config`` (``LoraConfig``, ``LoHaConfig``,
``OFTConfig``, ... and nested ones such as ``LoftQConfig``) plus, transitively, their
in-package bases (``PeftConfig``, ``PeftConfigMixin``, ``LycorisConfig``); the
``PeftType`` / ``TaskType`` Enum values as choices. Old releases keep a tuner in one
module (``tuners/lora.py``), later ones in ``tuners/<name>/config.py``: every module
that declares a dataclass is read. No parser: frameworks pass these keys on to the
config classes (LLaMA-Factory, TRL's ``ModelConfig``, axolotl) or load
``adapter_config.json``.
"""

from __future__ import annotations

from cfgguard.knowledge.extract import pyast
from cfgguard.knowledge.extract.modules import Modules, Pick, argument_classes, unique
from cfgguard.knowledge.extract.snapshot import Snapshot
from cfgguard.knowledge.extract.tree import SourceTree

PACKAGE = "peft"


def extract(tree: SourceTree, version: str) -> Snapshot:
    modules = Modules(tree, PACKAGE)
    found: list[Pick] = []
    for path in modules.files():
        text = modules.text(path)
        if text is None or "@dataclass" not in text or "Config" not in text:
            continue
        parsed = modules.parsed(path)
        for cls in parsed.classes.values() if parsed is not None else ():
            if cls.name.endswith("Config") and pyast.is_dataclass(cls):
                found.append((path, cls))

    def rank(path: str) -> tuple[object, ...]:
        return ("/tuners/" not in path and not path.endswith("/config.py"), len(path), path)

    picks = unique(modules, modules.with_bases(found), rank)
    return Snapshot(PACKAGE, version, argument_classes(modules, picks))
