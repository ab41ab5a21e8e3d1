"""The transformers extractor on a fake package: fields, Enum choices, deprecations."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.knowledge.extract import transformers
from cfgguard.knowledge.extract.snapshot import FieldInfo
from cfgguard.knowledge.extract.tree import DirTree
from tests.knowledge.helpers import as_sdist, as_wheel, field_of, fixture_tree, shape

TRAINING_FIELDS = (
    "output_dir",
    "eval_strategy",
    "save_strategy",
    "optim",
    "debug",
    "evaluation_strategy",
    "no_cuda",
    "use_cpu",
    "adafactor",
    "report_to",
)  # framework (ClassVar) and _n_gpu (init=False) are no options


def test_classes_and_bases() -> None:
    snap = transformers.extract(fixture_tree("transformers"), "9.9.0")
    assert (snap.package, snap.version, snap.parsers) == ("transformers", "9.9.0", {})
    assert shape(snap) == {
        "TrainingArguments": ("transformers/training_args.py", 14, (), TRAINING_FIELDS),
        "Seq2SeqTrainingArguments": (
            "transformers/training_args_seq2seq.py",
            7,
            ("TrainingArguments",),
            ("predict_with_generate",),
        ),
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "output_dir",
            FieldInfo("output_dir", type="str", line=16, help="Where to write."),
            id="required-field-first-sentence-of-help",
        ),
        pytest.param(
            "eval_strategy",
            FieldInfo(
                "eval_strategy",
                type="Union[IntervalStrategy, str]",
                default="'no'",
                line=17,
                choices=("no", "steps"),
                help="When to evaluate.",
            ),
            id="enum-from-another-module",
        ),
        pytest.param(
            "optim",
            FieldInfo(
                "optim",
                type="Union[OptimizerNames, str]",
                default="'adamw_torch'",
                line=19,
                choices=("adamw_torch", "sgd"),
            ),
            id="enum-of-the-same-module",
        ),
        pytest.param(
            "debug",
            FieldInfo(
                "debug",
                type="Union[str, List[IntervalStrategy]]",
                default="''",
                line=20,
                choices=("no", "steps"),
            ),
            id="enum-items-of-a-list",
        ),
        pytest.param(
            "evaluation_strategy",
            FieldInfo(
                "evaluation_strategy",
                type="Optional[str]",
                default="None",
                line=21,
                deprecated="Deprecated. Use `eval_strategy` instead",
                replacement="eval_strategy",
                help="Deprecated.",
            ),
            id="deprecated-in-help",
        ),
        pytest.param(
            "no_cuda",
            FieldInfo(
                "no_cuda",
                type="bool",
                default="False",
                line=24,
                deprecated="using `no_cuda` is deprecated and will be removed in version 5.0. "
                "Use `use_cpu` instead",
                replacement="use_cpu",
                help="Whether to not use CUDA.",
            ),
            id="deprecated-in-post-init-warning",
        ),
        pytest.param(
            "adafactor",
            FieldInfo(
                "adafactor",
                type="bool",
                default="False",
                line=26,
                deprecated="`--adafactor` is deprecated. Use `--optim adafactor` instead",
            ),
            id="advice-with-a-value-is-no-rename",
        ),
        pytest.param(
            "save_strategy",
            FieldInfo(
                "save_strategy",
                type="Union[IntervalStrategy, str]",
                default="'steps'",
                line=18,
                choices=("no", "steps"),
            ),
            id="deprecated-value-not-key",
        ),
        pytest.param(
            "report_to",
            FieldInfo("report_to", type="Optional[List[str]]", default="['none']", line=27),
            id="default-factory-lambda",
        ),
    ],
)
def test_fields(name: str, expected: FieldInfo) -> None:
    snap = transformers.extract(fixture_tree("transformers"), "9.9.0")
    assert field_of(snap, "TrainingArguments", name) == expected


def test_wheel_and_sdist_read_like_the_directory(tmp_path: Path) -> None:
    plain = transformers.extract(fixture_tree("transformers"), "1")
    wheel = transformers.extract(as_wheel("transformers", tmp_path), "1")
    sdist = transformers.extract(as_sdist("transformers", tmp_path), "1")
    assert wheel == plain
    assert [c.file for c in sdist.classes] == ["src/" + c.file for c in plain.classes]
    assert [c.fields for c in sdist.classes] == [c.fields for c in plain.classes]


def test_no_package_is_an_empty_snapshot(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing here", encoding="utf-8")
    assert transformers.extract(DirTree(str(tmp_path)), "1").classes == ()


def test_training_argument_names_read_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "transformers.json"
    data.write_text(
        '{"fields": {"TrainingArguments": {"run_name": []}, '
        '"Seq2SeqTrainingArguments": {"predict_with_generate": []}, "Other": {"x": []}}}',
        encoding="utf-8",
    )
    monkeypatch.setattr(transformers, "DATA", str(data))
    transformers.training_argument_names.cache_clear()
    try:
        assert transformers.training_argument_names() == {"run_name", "predict_with_generate"}
        monkeypatch.setattr(transformers, "DATA", str(tmp_path / "absent.json"))
        transformers.training_argument_names.cache_clear()
        assert transformers.training_argument_names() == frozenset()
    finally:
        transformers.training_argument_names.cache_clear()
