"""Codes the engine emits (YAML layer, detection, models, suppressions, fixes): each one
fires on its smallest input and stays quiet on the nearest input that is fine.

Their detailed tests live with the layer that emits them (test_yaml_compose,
test_input_bounds, test_check, test_suppress, fix/test_fix_integrity); this table is the
per-code pair the registry test asks of every rule.
"""

from __future__ import annotations

import pytest

from cfgguard.check import Options
from cfgguard.fix.run import Mode, fix_file
from cfgguard.source import decode
from cfgguard.yaml.compose import MAX_DEPTH, MAX_TEXT
from tests.conftest import run, triples
from tests.rules.conftest import LLAMA8, UNKNOWN

Triples = list[tuple[str, int, int]]
PLAIN = "base_model: {model}\nlora_rank: 32\nlora_alpha: 32\nlearning_rate: 2.0e-4\n"
LORA = "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: 32\nlora_alpha: 64\n"


def _aliases(levels: int) -> str:
    """``levels`` lists of nine aliases each: 9**levels nodes once expanded."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"[: levels - 1], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _padded(size: int) -> str:
    body = PLAIN.format(model=LLAMA8)
    return body + "#" * (size - len(body) - 1) + "\n"


def _codes(text: str, code: str) -> Triples:
    return triples(run(text), code)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a: [1, 2\nb: 3\n", [("Y001", 2, 2)], id="unclosed-flow-list"),
        pytest.param("a: [1, 2]\nb: 3\n", [], id="closed-flow-list_noop"),
    ],
)
def test_y001(text: str, expected: Triples) -> None:
    assert _codes(text, "Y001") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(_aliases(6), [("Y004", 6, 12)], id="nine-to-the-sixth-nodes"),
        pytest.param(_aliases(5), [], id="nine-to-the-fifth-nodes_noop"),
    ],
)
def test_y004(text: str, expected: Triples) -> None:
    assert _codes(text, "Y004") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the document's root is a level of its own: MAX_DEPTH lists nest inside it
        pytest.param(_nested(MAX_DEPTH + 1), [("Y005", 1, MAX_DEPTH + 1)], id="one-level-over"),
        pytest.param(_nested(MAX_DEPTH), [], id="at-the-limit_noop"),
    ],
)
def test_y005(text: str, expected: Triples) -> None:
    assert _codes(text, "Y005") == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        pytest.param(MAX_TEXT + 1, [("Y007", 1, 1)], id="one-character-over"),
        pytest.param(MAX_TEXT, [], id="at-the-limit_noop"),
    ],
)
def test_y007(size: int, expected: Triples) -> None:
    assert _codes(_padded(size), "Y007") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("name: ci\non: [push]\n", [("Y010", 1, 1)], id="workflow"),
        pytest.param(PLAIN.format(model=LLAMA8), [], id="plain-config_noop"),
    ],
)
def test_y010(text: str, expected: Triples) -> None:
    assert _codes(text, "Y010") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(PLAIN.format(model=UNKNOWN), [("M001", 1, 13)], id="unknown-model"),
        pytest.param(PLAIN.format(model=LLAMA8), [], id="known-model_noop"),
    ],
)
def test_m001(text: str, expected: Triples) -> None:
    assert _codes(text, "M001") == expected


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        pytest.param("  # cfgguard: ignore[R002]", [("S001", 4, 24)], id="nothing-to-ignore"),
        pytest.param("", [], id="no-directive_noop"),
    ],
)
def test_s001(comment: str, expected: Triples) -> None:
    text = PLAIN.format(model=LLAMA8).replace("2.0e-4\n", f"2.0e-4{comment}\n")
    assert _codes(text, "S001") == expected


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        # R002's fix would edit the anchored value, which the alias also stands for
        pytest.param("lr: &lr 2e-5\nlearning_rate: *lr\n", [("F001", 5, 5)], id="through-alias"),
        pytest.param("learning_rate: 2e-5\n", [], id="plain-value_noop"),
    ],
)
def test_f001(tail: str, expected: Triples) -> None:
    text = LORA + tail
    options = Options(dialect="axolotl", select=frozenset({"R002", "F001"}))
    result = fix_file(
        decode(text.encode(), "t.yaml"), text.encode(), options, Mode(unsafe=True, stdout=True)
    )
    assert triples(result.findings, "F001") == expected
