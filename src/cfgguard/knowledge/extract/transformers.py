"""transformers: the ``TrainingArguments`` every HF-family loader reads.

``TrainingArguments`` (``transformers/training_args.py``) and
``Seq2SeqTrainingArguments`` (``training_args_seq2seq.py``), with Enum-typed fields'
values (``IntervalStrategy``, ``SaveStrategy``, ``SchedulerType``, ``OptimizerNames``,
``HubStrategy``, ``FSDPOption``, ``DebugOption``: for a list-typed field such as ``fsdp``
or ``debug`` the choices are per item) and the deprecations stated in field help or in
``__post_init__`` warnings. No parser of its own: TRL and LLaMA-Factory hand these
classes to ``HfArgumentParser``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import cast

from cfgguard.knowledge.extract.modules import Modules, Pick, argument_classes
from cfgguard.knowledge.extract.snapshot import Snapshot
from cfgguard.knowledge.extract.tree import SourceTree

PACKAGE = "transformers"
CLASSES = (
    ("training_args.py", "TrainingArguments"),
    ("training_args_seq2seq.py", "Seq2SeqTrainingArguments"),
)
BASES = tuple(name for _, name in CLASSES)
DATA = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "data", "releases", f"{PACKAGE}.json"
)


def extract(tree: SourceTree, version: str) -> Snapshot:
    modules = Modules(tree, PACKAGE)
    picks: dict[str, Pick] = {}
    for relative, name in CLASSES:
        found = modules.resolve(modules.path(relative), name)
        if found is not None:
            picks[name] = found
    return Snapshot(PACKAGE, version, argument_classes(modules, picks))


@cache
def training_argument_names() -> frozenset[str]:
    """Every field name ``(Seq2Seq)TrainingArguments`` had in any release the committed
    data covers: the keys a TRL or LLaMA-Factory deprecation may point to in the base.
    Empty before transformers' data is built."""
    try:
        with open(DATA, encoding="utf-8") as handle:
            data: object = json.load(handle)
    except (OSError, ValueError):
        return frozenset()
    if not isinstance(data, dict):
        return frozenset()
    fields = cast("dict[str, dict[str, object]]", cast("dict[str, object]", data).get("fields", {}))
    return frozenset(name for cls in BASES for name in fields.get(cls, {}))
