"""The TRL extractor on a fake package: config classes, script parsers, shims, deprecations."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.knowledge.extract import trl
from cfgguard.knowledge.extract.snapshot import FieldInfo, Snapshot
from tests.knowledge.helpers import as_wheel, field_of, fixture_tree, shape

# the fields of transformers' TrainingArguments a TRL deprecation may point to
BASE_KEYS = frozenset({"run_name", "output_dir"})


@pytest.fixture
def snap(monkeypatch: pytest.MonkeyPatch) -> Snapshot:
    monkeypatch.setattr(trl, "training_argument_names", lambda: BASE_KEYS)
    return trl.extract(fixture_tree("trl"), "1.0.0")


def test_parsers(snap: Snapshot) -> None:
    # broken.py does not parse, gone.py names a class the release lacks, env.py has no
    # parser, utils.py is no script: none of them is a parser
    assert snap.parsers == {
        "dpo": ("ScriptArguments", "DPOConfig", "ModelConfig"),  # first call of the file
        "kto": ("TrainingArguments", "KTOConfig", "ModelConfig"),  # HfArgumentParser([...])
        "sft": ("ScriptArguments", "SFTConfig", "ModelConfig"),  # dataclass_types = (...)
        "vllm_serve": ("vllm_serve.ScriptArguments",),  # the script's own class
    }


def test_classes(snap: Snapshot) -> None:
    assert shape(snap) == {
        # the shim trl/trainer/kto_config.py gives way to the class it wraps
        "KTOConfig": (
            "trl/experimental/kto/kto_config.py",
            7,
            ("_BaseConfig",),
            ("desirable_weight",),
        ),
        # defined twice in one module: the later definition, as at import
        "ScriptArguments": ("trl/scripts/utils.py", 12, (), ("dataset_name",)),
        "_BaseConfig": (
            "trl/trainer/base_config.py",
            7,
            ("TrainingArguments",),
            ("logging_steps",),
        ),
        "DPOConfig": (
            "trl/trainer/dpo_config.py",
            9,
            ("_BaseConfig",),
            ("beta", "exp_name", "rloo_k", "generation_kwargs"),
        ),
        "ModelConfig": (
            "trl/trainer/model_config.py",
            7,
            (),
            ("model_name_or_path", "dtype", "torch_dtype"),
        ),
        "SFTConfig": (
            "trl/trainer/sft_config.py",
            9,
            ("_BaseConfig",),
            ("max_length", "loss_type", "max_seq_length"),
        ),
        "vllm_serve.ScriptArguments": ("trl/scripts/vllm_serve.py", 7, (), ("model", "port")),
    }


@pytest.mark.parametrize(
    ("cls", "name", "expected"),
    [
        pytest.param(
            "ModelConfig",
            "model_name_or_path",
            FieldInfo(
                "model_name_or_path",
                type="Optional[str]",
                default="None",
                line=8,
                aliases=("model",),
                help="Model checkpoint.",
            ),
            id="metadata-aliases",
        ),
        pytest.param(
            "ModelConfig",
            "dtype",
            FieldInfo(
                "dtype",
                type="Optional[str]",
                default="None",
                line=9,
                choices=("auto", "bfloat16"),
                help="Dtype.",
            ),
            id="metadata-choices",
        ),
        pytest.param(
            "ModelConfig",
            "torch_dtype",
            FieldInfo(
                "torch_dtype",
                type="Optional[str]",
                default="None",
                line=10,
                deprecated="`torch_dtype` is deprecated and will be removed in version 0.27.0, "
                "please use `dtype` instead.",
                replacement="dtype",
            ),
            id="renamed-in-post-init-warning",
        ),
        pytest.param(
            "SFTConfig",
            "max_seq_length",
            FieldInfo(
                "max_seq_length",
                type="Optional[int]",
                default="None",
                line=12,
                deprecated="This parameter is deprecated and will be removed in version 0.20.0. "
                "Use `max_length` instead.",
                replacement="max_length",
                help="This parameter is deprecated and will be removed in version 0.20.0.",
            ),
            id="renamed-in-help",
        ),
        pytest.param(
            "SFTConfig",
            "loss_type",
            FieldInfo(
                "loss_type",
                type="Literal['nll', 'dft']",
                default="'nll'",
                line=11,
                choices=("nll", "dft"),
            ),
            id="literal-choices-deprecated-value-not-key",
        ),
        pytest.param(
            "DPOConfig",
            "exp_name",
            FieldInfo(
                "exp_name",
                type="Optional[str]",
                default="None",
                line=11,
                deprecated="Deprecated: use `run_name` instead.",
                replacement="run_name",
                help="Deprecated: use `run_name` instead.",
            ),
            id="replacement-in-the-transformers-base",
        ),
        pytest.param(
            "DPOConfig",
            "rloo_k",
            FieldInfo(
                "rloo_k",
                type="Optional[int]",
                default="None",
                line=12,
                deprecated="Deprecated: use `num_generations` instead.",
                help="Deprecated: use `num_generations` instead.",
            ),
            id="replacement-that-is-no-key-is-dropped",
        ),
        pytest.param(
            "DPOConfig",
            "generation_kwargs",
            FieldInfo("generation_kwargs", type="dict", default="dict()", line=13),
            id="default-factory",
        ),
    ],
)
def test_fields(snap: Snapshot, cls: str, name: str, expected: FieldInfo) -> None:
    assert field_of(snap, cls, name) == expected


def test_wheel_reads_like_the_directory(tmp_path: Path, snap: Snapshot) -> None:
    assert trl.extract(as_wheel("trl", tmp_path), "1.0.0") == snap
