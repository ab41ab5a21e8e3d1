"""C002: axolotl pads every batch to sequence_len without sample packing."""

from __future__ import annotations

import pytest

from tests.conftest import run, triples

AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: 16
micro_batch_size: 2
sequence_len: {length}
{extra}datasets:
  - path: tatsu-lab/alpaca
    type: alpaca
"""


@pytest.mark.parametrize(
    ("length", "extra", "expected", "severity"),
    [
        pytest.param(4096, "sample_packing: false\npad_to_sequence_len: true\n",
                     [("C002", 7, 22)], "warning", id="explicit-off"),
        pytest.param(4096, "pad_to_sequence_len: true\n", [("C002", 6, 22)], "warning",
                     id="packing-default-off"),
        pytest.param(1024, "pad_to_sequence_len: true\n", [("C002", 6, 22)], "info",
                     id="short-sequences-info"),
        pytest.param(4096, "sample_packing: true\npad_to_sequence_len: true\n", [], None,
                     id="with-packing_noop"),
        pytest.param(4096, "pad_to_sequence_len: false\n", [], None, id="not-padded_noop"),
        pytest.param(4096, "rl: dpo\npad_to_sequence_len: true\n", [], None,
                     id="preference-collator_noop"),
        pytest.param(4096, "max_steps: 10\npad_to_sequence_len: true\n", [], None,
                     id="smoke-test_noop"),
    ],
)  # fmt: skip
def test_c002(
    length: int, extra: str, expected: list[tuple[str, int, int]], severity: str | None
) -> None:
    found = [
        f for f in run(AXOLOTL.format(length=length, extra=extra), "axolotl") if f.code == "C002"
    ]
    assert triples(found) == expected
    if severity is not None:
        assert found[0].severity.label == severity


def test_c002_message() -> None:
    text = AXOLOTL.format(length=4096, extra="sample_packing: false\npad_to_sequence_len: true\n")
    (finding,) = [f for f in run(text, "axolotl") if f.code == "C002"]
    assert finding.message == (
        "pad_to_sequence_len: true with sample_packing: false: every batch is padded to"
        " sequence_len 4096, so each example costs 4096 tokens however short it is (axolotl"
        " 0.21.0 src/axolotl/core/builders/causal.py:394-397 (pad_to_sequence_len))"
    )
