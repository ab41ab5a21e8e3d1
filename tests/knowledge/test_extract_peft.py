"""The PEFT extractor on a fake package: adapter configs, their bases, Enum choices."""

from __future__ import annotations

import pytest

from cfgguard.knowledge.extract import peft
from cfgguard.knowledge.extract.snapshot import FieldInfo
from tests.knowledge.helpers import field_of, fixture_tree, shape


def test_classes() -> None:
    snap = peft.extract(fixture_tree("peft"), "0.1.0")
    assert snap.parsers == {}
    assert shape(snap) == {
        "PeftConfig": (
            "peft/config.py",
            15,
            ("PeftConfigMixin",),
            ("base_model_name_or_path", "task_type", "inference_mode"),
        ),
        "IA3Config": ("peft/tuners/ia3.py", 8, ("PeftConfig",), ("target_modules",)),
        "LoftQConfig": ("peft/tuners/lora/config.py", 9, (), ("loftq_bits",)),
        "LoraConfig": (
            "peft/tuners/lora/config.py",
            19,
            ("PeftConfig",),
            ("r", "bias", "loftq_config", "use_rslora", "use_dora", "layers_pattern"),
        ),
        # a base from another package keeps its name; Helper is no *Config
        "PeftConfigMixin": ("peft/config.py", 10, ("PushToHubMixin",), ("peft_type",)),
    }


@pytest.mark.parametrize(
    ("cls", "name", "expected"),
    [
        pytest.param(
            "PeftConfigMixin",
            "peft_type",
            FieldInfo(
                "peft_type",
                type="Optional[PeftType]",
                default="None",
                line=11,
                choices=("LORA", "IA3"),
                help="The type of PEFT model.",
            ),
            id="enum-re-exported-by-a-package",
        ),
        pytest.param(
            "PeftConfig",
            "task_type",
            FieldInfo(
                "task_type",
                type="Union[str, TaskType]",
                default="None",
                line=17,
                choices=("CAUSAL_LM",),
            ),
            id="enum-second-in-a-union",
        ),
        pytest.param(
            "LoraConfig",
            "layers_pattern",
            FieldInfo(
                "layers_pattern",
                type="Optional[str]",
                default="None",
                line=25,
                deprecated="`layers_pattern` is deprecated, use `layers_to_transform` instead.",
            ),
            id="replacement-must-be-a-key",
        ),
        pytest.param(
            "LoraConfig",
            "loftq_config",
            FieldInfo("loftq_config", type="Union[LoftQConfig, dict]", default="dict()", line=22),
            id="a-dataclass-that-is-no-enum-gives-no-choices",
        ),
    ],
)
def test_fields(cls: str, name: str, expected: FieldInfo) -> None:
    assert field_of(peft.extract(fixture_tree("peft"), "0.1.0"), cls, name) == expected
