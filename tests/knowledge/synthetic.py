"""Small synthetic release data (two packages, a few releases) for the knowledge tests.

transformers 4.36.0 / 4.51.0 / 5.0.0: ``TrainingArguments`` loses ``evaluation_strategy``
in 4.51.0 (``eval_strategy`` arrives) and ``overwrite_output_dir`` in 5.0.0.
trl 0.18.0 / 0.19.0 / 0.24.0 / 0.27.0: ``SFTConfig(TrainingArguments)`` has
``max_seq_length`` until 0.19.0 and ``max_length`` from 0.19.0; ``ModelConfig`` has
``torch_dtype`` until 0.24.0 (deprecated there, replacement ``dtype``) and ``dtype`` from
0.24.0; the ``sft`` parser reads ``ScriptArguments, SFTConfig, ModelConfig``.
"""

from __future__ import annotations

from cfgguard.knowledge.build.merge import merge
from cfgguard.knowledge.extract.snapshot import ClassInfo, FieldInfo, Snapshot
from cfgguard.knowledge.releases import Package

TRANSFORMERS = ("4.36.0", "4.51.0", "5.0.0")
TRL = ("0.18.0", "0.19.0", "0.24.0", "0.27.0")


def _transformers(version: str) -> Snapshot:
    names = ["learning_rate", "output_dir"]
    names.append("evaluation_strategy" if version == "4.36.0" else "eval_strategy")
    if version != "5.0.0":
        names.append("overwrite_output_dir")
    fields = tuple(FieldInfo(n, "str", "None", 10 + i) for i, n in enumerate(names))
    cls = ClassInfo("TrainingArguments", "transformers/training_args.py", 5, (), fields)
    return Snapshot("transformers", version, classes=(cls,))


def _trl(version: str) -> Snapshot:
    old = version in ("0.18.0", "0.19.0")
    sft = [FieldInfo("max_seq_length", "int", "1024", 20)] if old else []
    if version != "0.18.0":
        sft.append(FieldInfo("max_length", "int", "1024", 21))
    model: list[FieldInfo] = []
    if version != "0.27.0":
        deprecated = "use dtype" if version == "0.24.0" else ""
        replacement = "dtype" if version == "0.24.0" else ""
        model.append(
            FieldInfo(
                "torch_dtype", "str", "None", 30, deprecated=deprecated, replacement=replacement
            )
        )
    if version in ("0.24.0", "0.27.0"):
        model.append(FieldInfo("dtype", "str", "None", 31))
    classes = (
        ClassInfo(
            "ScriptArguments",
            "trl/scripts/utils.py",
            3,
            (),
            (FieldInfo("dataset_name", "str", "None", 4),),
        ),
        ClassInfo("SFTConfig", "trl/trainer/sft_config.py", 8, ("TrainingArguments",), tuple(sft)),
        ClassInfo("ModelConfig", "trl/trainer/model_config.py", 12, (), tuple(model)),
    )
    requires = {"transformers": ">=4.36.0" if old else ">=4.51.0"}
    parsers = {"sft": ("ScriptArguments", "SFTConfig", "ModelConfig")}
    return Snapshot("trl", version, classes=classes, parsers=parsers, requires=requires)


def packages() -> tuple[Package, Package]:
    transformers = merge(
        "transformers",
        [*TRANSFORMERS[:1], "4.50.0", *TRANSFORMERS[1:]],
        [_transformers(v) for v in TRANSFORMERS],
    )
    trl = merge("trl", ["0.18.0", "0.19.0", "0.19.1", "0.24.0", "0.27.0"], [_trl(v) for v in TRL])
    return Package(transformers), Package(trl)
