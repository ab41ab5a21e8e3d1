"""I001: an axolotl dataset `type` and the field keys its loader reads."""

from __future__ import annotations

import pytest

from cfgguard.fix.apply import apply
from tests.conftest import run, triples

AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: 16
micro_batch_size: 2
sequence_len: 2048
{rl}datasets:
  - path: my-org/stories
    type: {kind}
{fields}"""


@pytest.mark.parametrize(
    ("kind", "fields", "rl", "expected"),
    [
        pytest.param("completion", "    field_completion: story\n", "", [("I001", 9, 5)],
                     id="completion-field-completion"),
        pytest.param("completion", "    field_prompt: q\n    field_completion: a\n", "",
                     [("I001", 9, 5)], id="completion-prompt-and-completion"),
        pytest.param("completion", "    field: story\n", "", [], id="completion-field_noop"),
        pytest.param("completion", "", "", [], id="completion-default-text_noop"),
        pytest.param("chat_template", "    field: conversations\n", "", [("I001", 9, 5)],
                     id="chat-template-field"),
        pytest.param("chat_template", "    field_messages: conversations\n", "", [],
                     id="chat-template-field-messages_noop"),
        pytest.param("alpaca", "    field: text\n", "", [], id="other-type_noop"),
        # preference datasets: other loaders (dpo/kto user_defined read field_prompt)
        pytest.param("completion", "    field_prompt: q\n", "rl: kto\n", [], id="kto_noop"),
    ],
)  # fmt: skip
def test_i001(kind: str, fields: str, rl: str, expected: list[tuple[str, int, int]]) -> None:
    text = AXOLOTL.format(kind=kind, fields=fields, rl=rl)
    line_shift = 1 if rl else 0
    got = [(c, line - line_shift, col) for c, line, col in triples(run(text, "axolotl"), "I001")]
    assert got == expected


def test_i001_message_and_fix() -> None:
    text = AXOLOTL.format(kind="completion", fields="    field_completion: story\n", rl="")
    (finding,) = [f for f in run(text, "axolotl") if f.code == "I001"]
    assert finding.severity.label == "error"
    assert finding.message == (
        "type: completion reads its column from `field` (default 'text'), never from"
        " field_completion: the loader reads 'text', so loading fails with KeyError 'text'"
        " or trains on that column instead of 'story' (axolotl 0.21.0 prompt_strategies"
        " (completion.py:88-89, chat_template.py:1397))"
    )
    assert finding.fix is not None
    assert finding.fix.applicability == "unsafe"
    fixed = apply(text, [finding.fix])
    assert fixed == text.replace("field_completion: story", "field: story")
    assert triples(run(fixed, "axolotl"), "I001") == []


def test_i001_no_fix_for_two_foreign_keys() -> None:
    fields = "    field_prompt: q\n    field_completion: a\n"
    (finding,) = [
        f
        for f in run(AXOLOTL.format(kind="completion", fields=fields, rl=""), "axolotl")
        if f.code == "I001"
    ]
    assert finding.fix is None
    assert "never from field_prompt, field_completion" in finding.message


def test_i001_test_datasets() -> None:
    text = AXOLOTL.format(kind="completion", fields="", rl="") + (
        "test_datasets:\n  - path: my-org/eval\n    type: completion\n    field_text: body\n"
    )
    assert triples(run(text, "axolotl"), "I001") == [("I001", 12, 5)]
