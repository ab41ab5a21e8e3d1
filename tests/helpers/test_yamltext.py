"""The one emitter of init/convert/triage: nothing injected, everything reads back (item 8)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cfgguard.cli import main
from cfgguard.convert.command import convert_text
from cfgguard.helpers import yamltext
from cfgguard.helpers.yamltext import EmitError, Text, comment_text, entry, float_text, scalar

BUDGET = settings(max_examples=300, deadline=None, derandomize=True, database=None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B", id="plain"),
        pytest.param("yes", "'yes'", id="yaml11-bool"),
        pytest.param("Null", "'Null'", id="null"),
        pytest.param(".5", "'.5'", id="dot-float"),
        pytest.param(".inf", "'.inf'", id="dot-inf"),
        pytest.param("a:", "'a:'", id="trailing-colon"),
        pytest.param("a: b", "'a: b'", id="colon-space"),
        pytest.param("a #b", "'a #b'", id="hash"),
        pytest.param("it's", '"it\'s"', id="apostrophe"),
        pytest.param("x\nnum_epochs: 1000", '"x\\nnum_epochs: 1000"', id="newline"),
        pytest.param('q"\\', "'q\"\\'", id="quote-backslash"),
        pytest.param("\x1b[2J\u202e", '"\\x1b[2J\\u202e"', id="esc-bidi"),
        pytest.param("naïve ☃", "'naïve ☃'", id="unicode"),
        pytest.param(1e5, "1.0e+5", id="float-1e5-signed"),
        pytest.param(1.234e-5, "1.234e-5", id="float-exact"),
        pytest.param(2e-4, "2.0e-4", id="float-short"),
        pytest.param(123456.0, "123456.0", id="float-not-rounded"),
        pytest.param(float("inf"), ".inf", id="inf"),
        pytest.param(True, "true", id="bool"),
        pytest.param(None, "null", id="none"),
        pytest.param(7, "7", id="int"),
    ],
)
def test_scalar(value: yamltext.Scalar, expected: str) -> None:
    assert scalar(value) == expected


def test_flow_items_quote_flow_indicators() -> None:
    assert scalar("a,b", flow=True) == "'a,b'"
    assert scalar("a]b", flow=True) == "'a]b'"
    assert scalar("a]b") == "a]b"  # fine in block context


@BUDGET
@given(value=st.text(max_size=20))
def test_any_string_reads_back_in_block_and_flow(value: str) -> None:
    for flow in (False, True):
        text = scalar(value, flow=flow)
        document = f"k: [{text}]" if flow else f"k: {text}"
        loaded = yaml.safe_load(document)["k"]
        assert (loaded[0] if flow else loaded) == value, (value, text)


@BUDGET
@given(value=st.floats(allow_nan=False))
def test_any_float_reads_back_exactly(value: float) -> None:
    text = float_text(value)
    assert yaml.safe_load(f"k: {text}")["k"] == value, text
    assert "." in text


def test_nan() -> None:
    assert math.isnan(yaml.safe_load(f"k: {float_text(float('nan'))}")["k"])


@BUDGET
@given(text=st.text(max_size=30))
def test_comment_text_is_one_line_and_stays_a_comment(text: str) -> None:
    line = f"k: 1  # {comment_text(text)}"
    assert "\n" not in line
    assert yaml.safe_load(line) == {"k": 1}


def test_entry_line() -> None:
    assert entry("lora_r", 32) == "lora_r: 32"
    assert entry("apply_lora_to_output", True, capital_bools=True) == "apply_lora_to_output: True"


def test_render_checks_what_it_wrote() -> None:
    text = Text()
    text.kv("a", 1)
    text.open("b")
    text.kv("c", "x", indent=2)
    assert text.render() == "a: 1\nb:\n  c: x\n"
    slipped = Text()
    slipped.kv("a", 1)
    slipped.lines.append("trust_remote_code: true")  # a writer that bypassed the emitter
    with pytest.raises(EmitError, match="at trust_remote_code"):
        slipped.render()


def test_duplicate_key_is_refused() -> None:
    text = Text()
    text.kv("a", 1)
    with pytest.raises(EmitError, match="'a' would be written twice"):
        text.kv("a", 2)


# --- convert: header comments and values from the source --------------------------------------

SMUGGLER = """\
base_model: meta-llama/Llama-3.1-8B
adapter: lora
lora_r: 16
lora_alpha: 32
learning_rate: 1.234e-5
weight_decay: 100000.0
num_epochs: 1
"evil\\nnum_epochs: 1000\\ntrust_remote_code": true
"""


@pytest.mark.parametrize("target", ["llamafactory", "trl", "torchtune", "verl", "plain"])
def test_convert_header_cannot_smuggle_keys(target: str) -> None:
    result = convert_text(SMUGGLER, "a.yaml", target, "axolotl")
    data = yaml.safe_load(result.text)
    assert "trust_remote_code" not in data
    assert 1000 not in [v for v in data.values() if isinstance(v, int)]
    assert "# Not carried (no canonical field): evil\\nnum_epochs: 1000\\n" in result.text


def test_convert_keeps_float_values_exact() -> None:
    data = yaml.safe_load(convert_text(SMUGGLER, "a.yaml", "trl", "axolotl").text)
    assert data["learning_rate"] == 1.234e-5  # was written 1.2e-5
    assert data["weight_decay"] == 100000.0  # was written 1.0e5: a string to YAML 1.1


def test_convert_values_with_line_breaks_are_quoted() -> None:
    source = 'base_model: "my-org/x\\nnum_epochs: 1000"\nadapter: lora\nlora_r: 8\n'
    data = yaml.safe_load(convert_text(source, "a.yaml", "trl", "axolotl").text)
    assert data["model_name_or_path"] == "my-org/x\nnum_epochs: 1000"
    assert "num_epochs" not in data


def test_convert_refuses_what_does_not_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(SMUGGLER, encoding="utf-8")
    out = tmp_path / "out.yaml"
    monkeypatch.setattr(yamltext, "comment_text", str)  # the old raw comments
    assert main(["convert", str(path), "--to", "trl", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "the written YAML would not parse (ScannerError); nothing written" in err
    assert not out.exists()
