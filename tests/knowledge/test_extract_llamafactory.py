"""The LLaMA-Factory extractor on a fake package: hparams classes, parser lists, v1."""

from __future__ import annotations

import pytest

from cfgguard.knowledge.extract import llamafactory
from cfgguard.knowledge.extract.snapshot import FieldInfo, Snapshot
from tests.knowledge.helpers import field_of, fixture_tree, shape


@pytest.fixture
def snap(monkeypatch: pytest.MonkeyPatch) -> Snapshot:
    monkeypatch.setattr(llamafactory, "training_argument_names", lambda: frozenset({"output_dir"}))
    return llamafactory.extract(fixture_tree("llamafactory"), "0.9.9")


def test_parsers(snap: Snapshot) -> None:
    assert snap.parsers == {
        "train": ("ModelArguments", "DataArguments", "TrainingArguments", "FinetuningArguments"),
        # the list that is set when the optional package is there, not the empty fallback;
        # its TrainingArguments is another package's class
        "train_mca": ("ModelArguments", "mcore_adapter.TrainingArguments"),
        "infer": ("ModelArguments", "DataArguments", "FinetuningArguments"),
        "ray": ("RayArguments",),  # a class passed alone: named after get_ray_args
        "v1": ("v1.ModelArguments", "v1.TrainingArguments"),
    }


def test_classes(snap: Snapshot) -> None:
    hparams = "llamafactory/hparams/"
    assert shape(snap) == {
        "DataArguments": (hparams + "data_args.py", 5, (), ("template", "cutoff_len")),
        "LoraArguments": (hparams + "finetuning_args.py", 6, (), ("lora_rank",)),
        "BAdamArgument": (hparams + "finetuning_args.py", 11, (), ("badam_mode",)),
        "FinetuningArguments": (
            hparams + "finetuning_args.py",
            16,
            ("LoraArguments", "BAdamArgument"),
            ("stage", "finetuning_type"),
        ),
        "QuantizationArguments": (hparams + "model_args.py", 6, (), ("quantization_bit",)),
        "BaseModelArguments": (
            hparams + "model_args.py",
            11,
            (),
            ("model_name_or_path", "infer_backend"),
        ),
        # compute_dtype is init=False: no option
        "ModelArguments": (
            hparams + "model_args.py",
            17,
            ("QuantizationArguments", "BaseModelArguments"),
            (),
        ),
        "RayArguments": (hparams + "training_args.py", 16, (), ("ray_num_workers",)),
        # BaseTrainingArguments = Seq2SeqTrainingArguments (the default branch)
        "TrainingArguments": (
            hparams + "training_args.py",
            21,
            ("RayArguments", "Seq2SeqTrainingArguments"),
            ("overwrite_output_dir",),
        ),
        "v1.ModelArguments": ("llamafactory/v1/config/model_args.py", 5, (), ("model",)),
        "v1.BaseArguments": ("llamafactory/v1/config/training_args.py", 5, (), ("seed",)),
        "v1.TrainingArguments": (
            "llamafactory/v1/config/training_args.py",
            10,
            ("v1.BaseArguments",),
            ("micro_batch_size",),
        ),
    }


@pytest.mark.parametrize(
    ("cls", "name", "expected"),
    [
        pytest.param(
            "FinetuningArguments",
            "stage",
            FieldInfo(
                "stage", type="str", default="'sft'", line=17, choices=("pt", "sft", "rm", "dpo")
            ),
            id="metadata-choices",
        ),
        pytest.param(
            "TrainingArguments",
            "overwrite_output_dir",
            FieldInfo(
                "overwrite_output_dir",
                type="bool",
                default="False",
                line=22,
                deprecated="deprecated",
                help="deprecated",
            ),
            id="help-that-only-says-deprecated",
        ),
        pytest.param(
            "BaseModelArguments",
            "infer_backend",
            FieldInfo(
                "infer_backend",
                type="Literal['huggingface', 'vllm']",
                default="'huggingface'",
                line=13,
                choices=("huggingface", "vllm"),
            ),
            id="literal-choices",
        ),
    ],
)
def test_fields(snap: Snapshot, cls: str, name: str, expected: FieldInfo) -> None:
    assert field_of(snap, cls, name) == expected
