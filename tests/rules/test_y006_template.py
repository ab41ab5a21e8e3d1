"""Y006: Jinja / Helm templated YAML is one info finding, and nothing else is checked."""

from __future__ import annotations

import pytest

from tests.conftest import run, triples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # not YAML at all: was a Y001 error
        pytest.param("{% if lora %}\nadapter: lora\n{% endif %}\nbase_model: m\n",
                     [("Y006", 1, 1)], id="statement-lines"),
        # parses (a flow mapping in a flow mapping), but is a placeholder
        pytest.param("base_model: {{ model }}\nlearning_rate: {{ lr }}\n", [("Y006", 1, 13)],
                     id="unquoted-expression"),
        pytest.param('base_model: "{{ .Values.model }}"\nadapter: lora\nlora_r: 16\n'
                     "learning_rate: 2e-5\nmicro_batch_size: 2\n", [("Y006", 1, 14)],
                     id="quoted-helm-value"),
        pytest.param("base_model: m\nlearning_rate: {{ .Values.lr | default 2e-4 }}\n",
                     [("Y006", 2, 16)], id="helm-filter"),
        pytest.param("base_model: m  # {{ not a template }}\nmicro_batch_size: 2\n", [],
                     id="comment_noop"),
        pytest.param('base_model: m\nsystem_prompt: "answer in \\\\boxed{{}}"\n'
                     "micro_batch_size: 2\n", [], id="python-format-escape_noop"),
        pytest.param('base_model: m\nchat_template_jinja: "{% for m in messages %}{{ m }}'
                     '{% endfor %}"\nmicro_batch_size: 2\n', [], id="chat-template-value_noop"),
        pytest.param("base_model: m\ndatasets:\n  - path: x\n    chat_template: |\n"
                     "      {{ bos_token }}{% for m in messages %}\n"
                     "      {{ m.content }}{% endfor %}\nmicro_batch_size: 2\n", [],
                     id="block-chat-template_noop"),
    ],
)  # fmt: skip
def test_y006(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, "axolotl"), "Y006") == expected


def test_y006_is_the_only_finding() -> None:
    text = 'base_model: "{{ model }}"\nadapter: lora\nlora_r: 16\nlearning_rate: 2e-5\n'
    found = run(text, "axolotl")
    assert [(f.code, f.severity.label) for f in found] == [("Y006", "info")]
    assert found[0].message == (
        "template: rendered before use, not checked (render it, then check the result)"
    )
    # without the placeholder the same file has learning-rate findings (R002)
    assert triples(run(text.replace('"{{ model }}"', "meta-llama/Llama-3.1-8B"), "axolotl"), "R002")


def test_y006_replaces_the_syntax_error() -> None:
    text = "{% if lora %}\nadapter: lora\n{% endif %}\n"
    assert triples(run(text, "axolotl")) == [("Y006", 1, 1)]
    assert triples(run("adapter: [lora\n", "axolotl")) == [("Y001", 2, 1)]
