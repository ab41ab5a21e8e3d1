"""Target-module regexes: the answers of ``re.fullmatch`` with bounded work, and a finding
for patterns that make ``re`` (and so PEFT) backtrack for minutes (issue 14, item 12)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfgguard.check import Options, check_source
from cfgguard.dialects.module_regex import matches, runaway
from cfgguard.source import Source

ISSUE = "(.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*)*Z"
NAMES = ("lm_head", "model.layers.0.self_attn.q_proj", "model.embed_tokens", "embed_out")


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param(p, id=p)
        for p in (
            "lm_head",
            r".*\.(q_proj|v_proj)",
            r"(.*\.)?(q|k|v)_proj",
            r"model\.layers\.\d+\.(self_attn|mlp)\..*_proj",
            r"^.*(lm_head|embed_out)$",
            r"[a-z_]+",
            r"[^.]+",
            r"\w+(\.\w+)*",
            r"(?:model\.)?embed_\w{3,6}",
            r"(?P<head>lm|embed)_(head|out)",
            r"lm_hea[d-f]",
            r"\blm_head\b",
            r"lm_head|.*q_proj",
            r"a{,3}|lm_head",
            r".*\.layers\.[0-9]{1,2}\..*",
        )
    ],
)
def test_answers_as_re(pattern: str) -> None:
    for name in NAMES:
        assert matches(pattern, name) is (re.fullmatch(pattern, name) is not None), name


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param(r"(?=lm)lm_head", id="lookahead"),
        pytest.param(r"(lm)_head\1", id="backreference"),
        pytest.param(r"(?i)LM_HEAD", id="flags"),
        pytest.param(r"lm_head[", id="invalid"),
        pytest.param(r"(lm_head", id="unbalanced"),
        pytest.param(r"\x6cm_head", id="hex-escape"),
    ],
)
def test_outside_the_subset_is_unknown(pattern: str) -> None:
    assert matches(pattern, "lm_head") is None
    assert runaway(pattern) is None


@pytest.mark.parametrize(
    "pattern",
    [
        ISSUE,
        r"(.*)*Z",
        r"(\w+\.?)+Z",
        r"(.|\w)*Z",
        r"(..|.)*Z",
        r".*.*.*.*.*.*.*Z",
        r"(\w+\.?)*_proj",
    ],
)
def test_catastrophic_patterns_are_caught_quickly(pattern: str) -> None:
    started = time.perf_counter()
    why = runaway(pattern)
    assert why is not None
    assert re.fullmatch(
        r"matching it against one module name \('[\w.]+'\) takes more than 200,000"
        r" backtracking steps",
        why,
    )
    assert matches(pattern, "lm_head") in (None, False)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    "pattern",
    [r".*\.(q_proj|v_proj)", r"(.*\.)*Z", r"((\w+\.)*\w+)Z", r"(\w+\.)*\w+_proj", r"(a|.)*Z"],
)
def test_ordinary_patterns_are_not_flagged(pattern: str) -> None:
    assert runaway(pattern) is None


_ATOMS = st.sampled_from(
    ["a", "b", ".", r"\.", "[ab]", "[^a]", r"\w", r"\d", "_", "(a|b)", "^", "$"]
)


@st.composite
def _patterns(draw: st.DrawFn, depth: int = 0) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        atom = (
            draw(_ATOMS) if depth > 1 or draw(st.booleans()) else f"({draw(_patterns(depth + 1))})"
        )
        parts.append(atom + draw(st.sampled_from(["", "", "*", "+", "?", "{1,2}", "*?"])))
    alternative = "|" + draw(_patterns(depth + 1)) if depth < 2 and draw(st.booleans()) else ""
    return "".join(parts) + alternative


@settings(max_examples=400, deadline=None)
@given(_patterns(), st.text(alphabet="ab._1", max_size=6))
def test_same_answers_as_re_on_random_patterns(pattern: str, name: str) -> None:
    got = matches(pattern, name)
    if got is not None:
        assert got is (re.fullmatch(pattern, name) is not None)


def test_l006_reports_the_pattern_and_does_not_hang() -> None:
    text = f'base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_target_modules: "{ISSUE}"\n'
    started = time.perf_counter()
    findings = check_source(Source("c.yaml", text), Options(dialect="axolotl"))
    assert time.perf_counter() - started < 5
    assert [(f.code, f.line, f.column) for f in findings] == [("L006", 3, 22)]
    assert findings[0].message.startswith(
        f"target-module pattern '{ISSUE}' backtracks catastrophically: matching it"
    )
