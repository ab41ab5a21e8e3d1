"""The README's ``init``/``triage``/``convert`` examples show the commands' real output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from cfgguard.cli import main

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"```\n(\$ cfgguard (?:init|triage|convert) .*?)```", re.S)


def _examples() -> list[tuple[str, str]]:
    """(command, expected stdout) for every ``$ cfgguard ...`` line of those blocks."""
    out: list[tuple[str, str]] = []
    for block in FENCE.findall((ROOT / "README.md").read_text("utf-8")):
        for segment in re.split(r"^(?=\$ )", block, flags=re.M):
            if segment.strip():
                command, _, expected = segment.partition("\n")
                out.append((command.removeprefix("$ "), expected))
    return out


def test_there_are_examples() -> None:
    commands = [c.split()[1] for c, _ in _examples()]
    assert {"init", "triage", "convert"} <= set(commands)


@pytest.mark.parametrize(("command", "expected"), _examples())
def test_example_output(
    command: str, expected: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    argv = shlex.split(command.replace(" 2>/dev/null", ""))[1:]
    assert main(argv) == 0
    assert capsys.readouterr().out == expected
