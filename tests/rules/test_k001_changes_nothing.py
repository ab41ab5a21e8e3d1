"""K001/K002 on keys that change nothing or sit one section too high (axolotl, the newest
release assumed): an empty list, a value the loader sets itself, a dataset column mapping
written beside ``type:`` instead of inside it."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run

HEAD = "base_model: meta-llama/Llama-3.1-8B-Instruct\nadapter: qlora\nload_in_4bit: true\n"
DATASET = "datasets:\n  - path: data.jsonl\n    type: alpaca\n"

Row = tuple[str, int, int, Severity]


def keyed(text: str) -> list[Row]:
    return [
        (f.code, f.line, f.column, f.severity)
        for f in run(text, "axolotl")
        if f.code in {"K001", "K002"}
    ]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param("fsdp: []", [("K002", 4, 1, Severity.INFO)], id="removed-key-empty-list"),
        pytest.param(
            "fsdp:\n  - full_shard", [("K002", 4, 1, Severity.ERROR)], id="removed-key-with-items"
        ),
        pytest.param("stray_option: {}", [("K001", 4, 1, Severity.INFO)], id="unknown-empty-map"),
        pytest.param(
            "stray_option: [1]", [("K001", 4, 1, Severity.ERROR)], id="unknown-with-items"
        ),
        pytest.param("bnb_4bit_quant_type: nf4", [("K001", 4, 1, Severity.INFO)], id="settled-nf4"),
        pytest.param(
            "bnb_4bit_use_double_quant: true",
            [("K001", 4, 1, Severity.INFO)],
            id="settled-double-quant",
        ),
        pytest.param(
            "bnb_4bit_quant_type: fp4", [("K001", 4, 1, Severity.ERROR)], id="not-the-settled-value"
        ),
        pytest.param(
            DATASET + "    field_instruction: prompt",
            [("K001", 7, 5, Severity.WARNING)],
            id="column-beside-type",
        ),
        pytest.param(
            DATASET + "    field_input:", [("K001", 7, 5, Severity.INFO)], id="null-value-is-info"
        ),
        pytest.param(
            "datasets:\n  - path: data.jsonl\n    type:\n      field_instruction: prompt\n"
            "      format: '{instruction}'",
            [],
            id="column-inside-type_noop",
        ),
    ],
)
def test_changes_nothing_and_misplaced(extra: str, expected: list[Row]) -> None:
    assert keyed(HEAD + extra + "\n") == expected


def test_misplaced_message_names_the_section_that_reads_it() -> None:
    text = HEAD + DATASET + "    field_instruction: prompt\n"
    (finding,) = [f for f in run(text, "axolotl") if f.code == "K001"]
    assert finding.message == (
        "'field_instruction' is read only inside 'type' ('datasets[].type.field_instruction');"
        " here axolotl does not apply it"
    )


def test_settled_value_cites_the_loader_code() -> None:
    (finding,) = [
        f for f in run(HEAD + "bnb_4bit_quant_type: nf4\n", "axolotl") if f.code == "K001"
    ]
    assert finding.message == (
        "unknown key 'bnb_4bit_quant_type'; axolotl does not read it but sets this same value"
        " itself, so dropping it changes nothing"
    )
    assert finding.source is not None
    assert finding.source.startswith("axolotl 0.6.0 src/axolotl/utils/models.py:687-688")
