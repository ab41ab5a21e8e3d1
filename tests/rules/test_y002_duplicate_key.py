"""Y002: a repeated key; a repeat of the same value is info where the last value wins."""

from __future__ import annotations

import pytest

from tests.conftest import run

AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
gradient_checkpointing: true
micro_batch_size: 2
sequence_len: 2048
gradient_checkpointing: {again}
"""
LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: sft
do_train: true
finetuning_type: lora
plot_loss: true
plot_loss: {again}
"""


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        # PyYAML keeps the last value, which is the first: nothing changes
        pytest.param(AXOLOTL.format(again="true"), "axolotl", [("Y002", 5, 1, "info")],
                     id="pyyaml-same-value"),
        pytest.param(AXOLOTL.format(again="false"), "axolotl", [("Y002", 5, 1, "error")],
                     id="pyyaml-other-value"),
        # OmegaConf refuses the file whatever the values
        pytest.param(LLAMAFACTORY.format(again="true"), "llamafactory",
                     [("Y002", 6, 1, "error")], id="omegaconf-same-value"),
        pytest.param(AXOLOTL.format(again="true").replace("gradient_checkpointing: true\n", "", 1),
                     "axolotl", [], id="no-repeat_noop"),
    ],
)  # fmt: skip
def test_y002_severity(text: str, dialect: str, expected: list[tuple[str, int, int, str]]) -> None:
    found = [(f.code, f.line, f.column, f.severity.label) for f in run(text, dialect)]
    assert [f for f in found if f[0] == "Y002"] == expected
