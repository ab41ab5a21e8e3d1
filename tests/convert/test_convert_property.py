"""Every corpus config converted to every other dialect (../shared/corpus; skipped when absent).

For each (file, target) the conversion is either refused, for a reason the target cannot
express (exit 2, one line), or it

* parses as the target dialect, with the source's method and adapter (unless listed as
  approximated: QLoRA in verl is LoRA),
* gets no ``check`` error or warning (by code) that the source did not get, and
* converts back with the same canonical values for every field mapped both ways.

A refusal is checked through the command: exit 2, one line on stderr, no file written.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from cfgguard.convert.command import (
    ConvertError,
    Result,
    convert_command,
    convert_text,
    read_back,
)
from cfgguard.convert.view import Read, read_view
from cfgguard.findings import Finding, Severity
from cfgguard.source import decode, read
from tests.conftest import corpus_dir, corpus_files, run

KIND = ("method", "adapter")  # what run it is: never changed without saying so
DIALECTS = ("axolotl", "llamafactory", "trl", "torchtune", "verl", "plain")
# What a target cannot express: the method, the adapter or the model (torchtune builders)
REFUSALS = re.compile(
    r"has no \S+ trainer|has no (LoRA GRPO|DPO|GRPO) |cfgguard writes .* configs for"
    r"|the plain format describes|adapter '[^']+' has no .* equivalent"
    r"|torchtune ships no \S+ builder|no value of a training run"
    r"|the source names no model|has no (4-bit|quantization) "
)


def _detected(path: Path) -> str | None:
    src = _source(str(path))
    return src.dialect if src is not None else None


@cache
def _source(path: str) -> Read | None:
    return read_view(decode(read(path).text.encode(), path))


@cache
def _codes(text: str, dialect: str) -> frozenset[str]:
    """Codes of the errors and warnings ``check`` reports (no project: newest releases)."""
    bad = (Severity.ERROR, Severity.WARNING)
    found: list[Finding] = run(text, dialect)
    return frozenset(f.code for f in found if f.severity in bad)


def _cases() -> list[tuple[Path, str]]:
    return [(p, t) for p in corpus_files() for t in DIALECTS if _detected(p) not in (None, t)]


def _id(case: tuple[Path, str]) -> str:
    path, target = case
    return f"{path.parent.name}/{path.stem}->{target}"


def _round_trip(there: Result, source: str) -> list[str]:
    """Fields mapped both ways whose value differs after converting back."""
    try:
        back = convert_text(there.text, "converted.yaml", source, there.out.dialect)
    except ConvertError:
        return []  # e.g. no torchtune builder for the model: nothing to compare
    again = read_back(back.text, source)
    assert again is not None
    both = [n for n in there.out.mapped if n in back.out.mapped]
    before, after = there.source.view, again.view
    return [
        f"{n}: {before[n].value!r} -> {after[n].value if n in after else None!r}"
        for n in both
        if n in before and (n not in after or after[n].value != before[n].value)
    ]


def problems(path: Path, target: str) -> tuple[str, list[str]]:
    """("converted" | "refused", what breaks the property)."""
    text = read(str(path)).text
    try:
        there = convert_text(text, str(path), target)
    except ConvertError as exc:
        why = str(exc)
        return "refused", [] if REFUSALS.search(why) else [f"refused for no known reason: {why}"]
    out: list[str] = []
    result = read_back(there.text, target)
    if result is None:
        return "converted", ["the result does not parse as the target"]
    approximated = {n for n, _ in there.out.approx}
    for name in KIND:
        was, now = there.source.view.get(name), result.view.get(name)
        if was is not None and name not in approximated and (now is None or now.value != was.value):
            out.append(f"{name}: {was.value!r} became {now.value if now else None!r}")
    new = _codes(there.text, target) - _codes(text, there.source.dialect)
    if new:
        out.append(f"new findings: {', '.join(sorted(new))}")
    out += [f"round trip: {d}" for d in _round_trip(there, there.source.dialect)]
    return "converted", out


@pytest.mark.parametrize("case", _cases(), ids=[_id(c) for c in _cases()])
def test_convert_keeps_the_run(
    case: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus_dir()
    path, target = case
    status, found = problems(path, target)
    assert found == []
    if status == "refused":
        out = tmp_path / "out.yaml"
        assert convert_command(str(path), target, str(out), False) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert REFUSALS.search(err)
        assert not out.exists()
