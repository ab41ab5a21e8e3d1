"""The pipeline end to end on small inputs: engine-level findings."""

from __future__ import annotations

import pytest

from tests.conftest import run, triples

PLAIN = """\
base_model: {model}
lora_rank: 32
lora_alpha: 32
learning_rate: 2.0e-4
batch_size: 16
num_steps: 5000
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("# just a comment\n", []),
        ("name: ci\non: [push]\n", [("Y010", 1, 1)]),
        ("- a\n- b\n", [("Y010", 1, 1)]),
        ("just a scalar\n", [("Y010", 1, 1)]),
        ("a: [1\n", [("Y001", 2, 1)]),
        (PLAIN.format(model="my-org/secret-7b"), [("M001", 1, 13)]),
        (PLAIN.format(model="meta-llama/Llama-3.1-8B-Instruct"), []),
    ],
)
def test_engine_findings(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text)) == expected


def test_each_document_is_checked() -> None:
    text = PLAIN.format(model="my-org/a") + "---\n" + PLAIN.format(model="my-org/b")
    assert triples(run(text), "M001") == [("M001", 1, 13), ("M001", 8, 13)]


def test_syntax_error_stops_other_checks() -> None:
    text = PLAIN.format(model="my-org/a") + "oops: [\n"
    assert [f.code for f in run(text)] == ["Y001"]


def test_forced_dialect_checks_unrecognised_file() -> None:
    text = "base_model: my-org/a\nfoo: 1\n"
    assert triples(run(text)) == [("Y010", 1, 1)]
    assert triples(run(text, dialect="plain")) == [("M001", 1, 13), ("K001", 2, 1)]
