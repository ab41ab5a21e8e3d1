"""Property test on the real corpus (``../shared/corpus``, skipped when absent): every
fix and ``--add-ignore`` on mutated corpus files re-parses, changes only what it edits,
and a second run changes nothing (issue 14).

Mutations: the fuzz suite's gentle edits (typos, values, duplicated lines) and the
position attacks (double BOM, anchors, tags, aliases, multi-line scalars).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfgguard.check import Options
from tests.conftest import corpus_files
from tests.hardening import integrity
from tests.hardening.test_fuzz import EXAMPLES, GENTLE_SCALARS, LONG, split_value, typo_of

FILES = corpus_files()
TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in FILES]
BUDGET = settings(
    max_examples=EXAMPLES if LONG else 150,
    deadline=None,
    derandomize=not LONG,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    text = draw(st.sampled_from(TEXTS)).removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        split = split_value(lines[at]) if lines else None
        if split is None:
            continue
        if draw(st.booleans()):
            lines[at] = f"{split[0]}: {draw(st.sampled_from(GENTLE_SCALARS))}"
        else:
            indent = len(split[0]) - len(split[0].lstrip())
            lines[at] = " " * indent + typo_of(draw, split[0].strip()) + ": " + split[1]
    _, data, applied = draw(integrity.decorated("\n".join(lines)))
    return data, applied


@pytest.mark.skipif(not FILES, reason="../shared/corpus is absent")
@BUDGET
@given(case=_mutated(), dialect=st.sampled_from([None, None, "axolotl", "trl", "verl"]))
def test_fixes_and_add_ignore_on_mutated_corpus(
    case: tuple[bytes, list[str]], dialect: str | None
) -> None:
    data, applied = case
    integrity.check_all(data, applied, Options(dialect=dialect))
