"""Hostile file names, keys and values reach no output raw (issue 14, item 10).

Every command that prints a path or a value from a config (``check`` in every human
format and ``github``, ``--diff`` headers, ``--show-fixes``, ``--add-ignore``, error lines,
``show``, ``triage``, ``convert``) must print control characters (C0, DEL, C1), bidi
overrides and line separators as escapes: one item per line, nothing that moves the cursor,
recolours the terminal, reorders text or starts a workflow command.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfgguard.cli import main
from cfgguard.findings import Finding, Severity
from cfgguard.report.formats import FORMATS, render_check
from cfgguard.rules import RULES

# what a terminal or a CI log runner acts on; "\n" only as the line terminator
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
HOSTILE_CHARS = "\x1b\n\r\t\x07\x08\x7f\x85\x9b\u202e\u2066\u2028"

# K001 (safe rename) on line 5, so --diff, --fix and --show-fixes have something to do
CONFIG = """\
base_model: meta-llama/Llama-3.1-8B
adapter: lora
lora_r: 16
lora_alpha: 32
learnin_rate: 2.0e-4
"""
# values and keys cfgguard reports back: the model id (show), an unknown key (K001, convert)
HOSTILE_CONFIG = """\
base_model: "meta-llama/Llama-3.1-8B\\e[2J\\u202e"
adapter: lora
lora_r: 16
lora_alpha: 32
learning_rate: 2.0e-4
"evil\\nkey\\e]0;title\\a": 1
"""


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _assert_escaped(text: str) -> None:
    found = RAW.search(text)
    assert found is None, f"raw {found.group()!r} in {text!r}"


Command = Callable[[Path], list[str]]
COMMANDS: dict[str, Command] = {
    "text": lambda p: ["check", str(p)],
    "concise": lambda p: ["check", "--output-format", "concise", str(p)],
    "grouped": lambda p: ["check", "--output-format", "grouped", str(p)],
    "github": lambda p: ["check", "--output-format", "github", str(p)],
    "diff": lambda p: ["check", "--diff", str(p)],
    "show-fixes": lambda p: ["check", "--fix", "--show-fixes", str(p)],
    "add-ignore": lambda p: ["check", "--add-ignore", str(p)],
    "missing": lambda p: ["check", str(p) + ".missing"],
    "show": lambda p: ["show", str(p)],
    "triage": lambda p: ["triage", "loss-flat", str(p)],
    "triage-diff": lambda p: ["triage", "loss-flat", "--diff", str(p)],
    "convert": lambda p: ["convert", "--to", "trl", str(p)],
    "convert-o": lambda p: ["convert", "--to", "trl", str(p), "-o", str(p) + ".out"],
}


@pytest.mark.parametrize("command", list(COMMANDS), ids=list(COMMANDS))
def test_hostile_file_name_is_escaped_everywhere(tmp_path: Path, command: str) -> None:
    path = tmp_path / "x\x1b[31m\n::error::\u202e\x9b.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    code, out, err = _run(COMMANDS[command](path))
    assert code in (0, 1, 2)
    _assert_escaped(out)
    _assert_escaped(err)
    assert "x\\x1b[31m" in out + err  # the name is shown, escaped
    assert "\\u202e\\x9b.yaml" in out + err


@pytest.mark.parametrize("command", ["text", "github", "show", "triage", "convert", "convert-o"])
def test_hostile_keys_and_values_are_escaped(tmp_path: Path, command: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(HOSTILE_CONFIG, encoding="utf-8")
    code, out, err = _run(COMMANDS[command](path))
    assert code in (0, 1)
    if command != "convert":  # convert's stdout is YAML: item 8's emitter owns it
        _assert_escaped(out)
    _assert_escaped(err)


def test_usage_error_echo_is_escaped() -> None:
    code, out, err = _run(["check", "--output-format", "x\x1b[2J"])
    assert code == 2
    assert out == ""
    _assert_escaped(err)
    assert "x\\x1b[2J" in err


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    name=st.text(alphabet=st.sampled_from("ab:%," + HOSTILE_CHARS), min_size=1, max_size=12),
    command=st.sampled_from(sorted(COMMANDS)),
)
def test_fuzz_hostile_names_in_every_output(name: str, command: str) -> None:
    directory = Path(tempfile.mkdtemp())
    try:
        path = directory / f"{name}.yaml"
        path.write_text(CONFIG, encoding="utf-8")
        code, out, err = _run(COMMANDS[command](path))
    finally:
        shutil.rmtree(directory)
    assert code in (0, 1, 2)
    _assert_escaped(out)
    _assert_escaped(err)


def _finding(path: str, message: str) -> Finding:
    return Finding(
        path, 3, 1, 3, 7, "R002", "lora-lr-at-full-level", Severity.WARNING, message, "s"
    )


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    path=st.text(
        alphabet=st.sampled_from("a/.:%,<>&\"' " + HOSTILE_CHARS), min_size=1, max_size=16
    ),
    message=st.text(alphabet=st.sampled_from("ab:%,<>&\"' #" + HOSTILE_CHARS), max_size=16),
)
def test_fuzz_every_format_escapes_or_round_trips(path: str, message: str) -> None:
    findings = [_finding(path, message)]
    for fmt in FORMATS:
        out = render_check(fmt, findings, [path], RULES, environ={})
        if fmt in ("text", "concise", "grouped", "github"):
            _assert_escaped(out)  # one line per finding: nothing raw
            assert len(out.splitlines()) == (1 if fmt == "github" else 2 + (fmt == "grouped") * 2)
        elif fmt == "json":
            assert json.loads(out)[0]["path"] == path  # JSON escapes what it must
            assert json.loads(out)[0]["message"] == message
        elif fmt == "sarif":
            result = json.loads(out)["runs"][0]["results"][0]
            assert result["message"]["text"] == message
        else:
            ET.fromstring(out.encode("utf-8"))  # well-formed XML 1.0 whatever the name
            assert "\x1b" not in out
