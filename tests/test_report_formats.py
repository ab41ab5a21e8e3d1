"""The human formats (text, concise, grouped), GitHub annotations, and the CLI wiring."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from cfgguard.cli import main
from cfgguard.findings import Severity
from cfgguard.report import concise, github, grouped, text
from cfgguard.report.escape import unsafe, visible
from cfgguard.report.formats import FORMATS, render_check, resolve_format
from cfgguard.report.terminal import Palette, color_enabled
from cfgguard.rules import RULES
from tests.report_data import (
    DUPLICATE,
    HOSTILE,
    HOSTILE_NAME,
    finding,
    hostile_finding,
    three_findings,
    toolkit_visible,
    write,
)

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)


# --- terminal escaping and colour -------------------------------------------------------


def test_visible_escapes_controls_bidi_and_undecodable_bytes() -> None:
    assert visible("a\x1b[31mb\n\r\t\x00\x7f\x85\u202e\u2028c") == (
        "a\\x1b[31mb\\n\\r\\t\\x00\\x7f\\x85\\u202e\\u2028c"
    )
    assert visible("caf\udce9.yaml") == "caf\\xe9.yaml"
    assert visible("plain ünïcödé 日本 ✓") == "plain ünïcödé 日本 ✓"
    assert visible("nbsp\u00a0 and\u3000wide") == "nbsp\u00a0 and\u3000wide"  # not printable, safe


def test_no_unsafe_character_is_printable() -> None:
    # ``visible`` returns printable text untouched without running the pattern
    every = (chr(point) for point in range(0x110000))
    assert [c for c in every if c.isprintable() and unsafe().match(c)] == []


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({}, False, False),
        ({}, True, True),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # empty means unset (no-color.org)
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),  # NO_COLOR wins
        ({"TERM": "dumb"}, True, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, False, True),
    ],
)
def test_color_enabled(env: dict[str, str], tty: bool, expected: bool) -> None:
    stream = _Tty() if tty else io.StringIO()
    assert color_enabled(stream, env) is expected


def test_colour_only_styles_cfgguard_text() -> None:
    out = text.render([hostile_finding()], 1, Palette(enabled=True))
    assert "\x1b[1;31mR002 [error]\x1b[0m" in out
    without_sgr = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "\x1b" not in without_sgr  # every ESC left is one of cfgguard's own
    assert visible(HOSTILE) in without_sgr


# --- text, concise, grouped ---------------------------------------------------------------


def test_text_concise_grouped_shapes() -> None:
    findings = three_findings()
    assert text.render(findings, 2).splitlines() == [
        "configs/a.yaml:3:1: Y002 [error] learning rate 2e-5 is at the full fine-tune level",
        "configs/a.yaml:9:16: R002 [warning] learning rate 2e-5 is at the full fine-tune level",
        "configs/b.yaml:12:21: L004 [info] learning rate 2e-5 is at the full fine-tune level",
        "Found 3 findings (1 error, 1 warning, 1 info) in 2 files (2 checked).",
    ]
    assert concise.render(findings, 2).splitlines()[0] == (
        "configs/a.yaml:3:1: Y002 learning rate 2e-5 is at the full fine-tune level"
    )
    assert grouped.render(findings, 2).splitlines() == [
        "configs/a.yaml:",
        "  3:1  Y002 [error] learning rate 2e-5 is at the full fine-tune level",
        "  9:16 R002 [warning] learning rate 2e-5 is at the full fine-tune level",
        "",
        "configs/b.yaml:",
        "  12:21 L004 [info] learning rate 2e-5 is at the full fine-tune level",
        "",
        "Found 3 findings (1 error, 1 warning, 1 info) in 2 files (2 checked).",
    ]
    assert grouped.render([], 4) == "All checks passed (4 files checked).\n"


@pytest.mark.parametrize("module", [text, concise, grouped])
def test_human_formats_neutralise_hostile_paths_and_messages(module: object) -> None:
    render = getattr(module, "render")  # noqa: B009
    out: str = render([hostile_finding()], 1)
    assert not UNSAFE.search(out)
    assert "\r" not in out
    assert visible(HOSTILE_NAME) in out
    assert visible(HOSTILE) in out
    lines = 4 if module is grouped else 2  # one finding (+ file line, blank) + summary
    assert len(out.splitlines()) == lines


# --- GitHub workflow commands ---------------------------------------------------------------

# GitHub's documented syntax: ::{command} {name}={value},...::{message}
ANNOTATION = re.compile(
    r"::(?P<command>error|warning|notice) "
    r"file=(?P<file>[^,:\r\n]*),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<endLine>\d+),endColumn=(?P<endColumn>\d+),"
    r"title=(?P<title>[^,:\r\n]*)::(?P<message>[^\r\n]*)"
)


def runner_parse(line: str) -> tuple[str, dict[str, str], str]:
    """Parse a workflow command the way the Actions runner does (ActionCommand.TryParseV2)."""
    trimmed = line.strip()
    assert trimmed.startswith("::")
    end = trimmed.index("::", 2)
    command, _, props = trimmed[2:end].partition(" ")
    properties: dict[str, str] = {}
    for pair in filter(None, props.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = (
            value.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
        )
    data = trimmed[end + 2 :].replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    return command, properties, data


def test_github_annotation_exact() -> None:
    out = github.render(three_findings(), root="/nowhere")
    assert out.splitlines() == [
        "::error file=configs/a.yaml,line=3,col=1,endLine=3,endColumn=7,title=cfgguard (Y002)"
        "::learning rate 2e-5 is at the full fine-tune level",
        "::warning file=configs/a.yaml,line=9,col=16,endLine=9,endColumn=22,"
        "title=cfgguard (R002)::learning rate 2e-5 is at the full fine-tune level",
        "::notice file=configs/b.yaml,line=12,col=21,endLine=12,endColumn=27,"
        "title=cfgguard (L004)::learning rate 2e-5 is at the full fine-tune level",
    ]
    for line in out.splitlines():
        assert ANNOTATION.fullmatch(line), line


def test_github_escaping_matches_the_toolkit() -> None:
    assert github.escape_data("100%\r\nx: a,b") == "100%25%0D%0Ax: a,b"
    assert github.escape_property("100%\r\nx: a,b") == "100%25%0D%0Ax%3A a%2Cb"
    assert github.escape_data("%0A") == "%250A"  # already-escaped text stays literal


def test_github_hostile_round_trip() -> None:
    out = github.render([hostile_finding()], root="/nowhere")
    assert out.count("\n") == 1
    assert "\r" not in out
    match = ANNOTATION.fullmatch(out.rstrip("\n"))
    assert match is not None
    assert match["command"] == "error"
    command, props, data = runner_parse(out)
    assert command == "error"
    # CR and LF round-trip (%0D, %0A); every other control character arrives escaped
    assert props["file"] == toolkit_visible(HOSTILE_NAME)
    assert props["title"] == "cfgguard (R002)"
    assert data == toolkit_visible(HOSTILE)
    assert not UNSAFE.search(out)


def test_github_paths_relative_to_the_workspace(tmp_path: Path) -> None:
    inside = finding(str(tmp_path / "sub" / "x.yaml"))
    outside = finding("/elsewhere/y.yaml")
    dotted = finding("./sub/z.yaml")
    out = github.render([inside, outside, dotted], root=str(tmp_path))
    files = [runner_parse(line)[1]["file"] for line in out.splitlines()]
    assert files == ["sub/x.yaml", "/elsewhere/y.yaml", "sub/z.yaml"]


# --- CLI wiring -----------------------------------------------------------------------------


def test_format_choices_and_default() -> None:
    assert FORMATS == ("text", "json", "github", "sarif", "junit", "concise", "grouped")
    assert resolve_format(None, {}) == "text"
    assert resolve_format(None, {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("json", {"GITHUB_ACTIONS": "true"}) == "json"


def test_cli_github_auto_selected_in_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "dup.yaml", DUPLICATE)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert all(ANNOTATION.fullmatch(line) for line in lines)
    assert any(
        line.startswith("::error file=") and "title=cfgguard (Y002)::duplicate key" in line
        for line in lines
    )
    assert main(["check", "--output-format", "text", str(path)]) == 1
    assert f"{path}:3:1: Y002 [error]" in capsys.readouterr().out


def test_cli_rejects_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--output-format", "xml", "x.yaml"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_cli_colour_from_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "dup.yaml", DUPLICATE)
    monkeypatch.setenv("FORCE_COLOR", "1")
    main(["check", str(path)])
    assert "\x1b[1;31mY002 [error]\x1b[0m" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    main(["check", str(path)])
    assert "\x1b" not in capsys.readouterr().out
    monkeypatch.delenv("NO_COLOR")
    main(["check", "--output-format", "json", str(path)])
    assert "\x1b" not in capsys.readouterr().out  # machine formats never colour


@pytest.mark.parametrize("fmt", ["text", "concise", "grouped"])
def test_cli_hostile_file_name_human(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path = write(tmp_path, HOSTILE_NAME, DUPLICATE)
    assert main(["check", "--output-format", fmt, str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert not UNSAFE.search(out)
    assert visible(str(path)) in out


def test_cli_hostile_file_name_json_and_github(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, HOSTILE_NAME, DUPLICATE)
    main(["check", "--output-format", "json", str(tmp_path)])
    assert json.loads(capsys.readouterr().out)[0]["path"] == str(path)
    main(["check", "--output-format", "github", str(tmp_path)])
    lines = capsys.readouterr().out.splitlines()
    assert lines
    assert all(ANNOTATION.fullmatch(line) for line in lines)
    assert {runner_parse(line)[1]["file"] for line in lines} == {toolkit_visible(str(path))}


def test_undecodable_file_name_never_crashes(tmp_path: Path) -> None:
    name = tmp_path / "caf\udce9.yaml"  # the bytes b"caf\xe9.yaml": not UTF-8
    try:
        name.write_text(DUPLICATE, encoding="utf-8")
    except (UnicodeEncodeError, OSError):
        pytest.skip("file system refuses non-UTF-8 names")
    for fmt in FORMATS:
        out = render_check(fmt, [finding(str(name))], [str(name)], RULES, environ={})
        out.encode("utf-8")  # printable on any UTF-8 stream
    human = render_check("text", [finding(str(name))], [str(name)], RULES, environ={})
    assert "caf\\xe9.yaml" in human


def test_severity_labels_map_to_github_commands() -> None:
    assert github.COMMAND == {
        Severity.ERROR: "error",
        Severity.WARNING: "warning",
        Severity.INFO: "notice",
    }
