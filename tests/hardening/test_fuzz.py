"""Fuzz the whole path bytes -> findings -> fixes with mutations of realistic configs.

Seeds are every dialect fixture and every bundled example; mutations are what people
(and merges) do to configs: typos of real keys, duplicated and deleted lines, re-indented
lines, YAML 1.1 / OmegaConf scalar traps (``5e-4``, ``no``, quoted numbers), tags, aliases,
and random bytes. Properties: nothing but a one-line ``SourceError`` escapes, every report
format renders, ``--fix`` output parses and fixing it again changes nothing.

The CI budget is small and deterministic; a long random run by hand::

    CFGGUARD_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/hardening/test_fuzz.py
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cfgguard.check import Options, check_source
from cfgguard.derived.context import Settings
from cfgguard.findings import Finding
from cfgguard.fix.engine import fix_source
from cfgguard.records import replace
from cfgguard.report.formats import FORMATS, render
from cfgguard.report.terminal import Palette
from cfgguard.rules import RULES
from cfgguard.source import Source, SourceError, decode
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping, Node, Sequence

ROOT = Path(__file__).resolve().parents[2]
SEED_FILES = sorted([*ROOT.glob("tests/fixtures/dialects/*/*.yaml"), *ROOT.glob("examples/*.yaml")])
SEEDS = [p.read_text(encoding="utf-8") for p in SEED_FILES]
DIALECTS = ("axolotl", "llamafactory", "trl", "torchtune", "verl", "plain")

EXAMPLES = int(os.environ.get("CFGGUARD_FUZZ_EXAMPLES", "0") or "0")
LONG = EXAMPLES > 0
BUDGET = settings(
    max_examples=EXAMPLES if LONG else 200,
    deadline=None,
    derandomize=not LONG,  # CI: the same cases every run; by hand: new ones each run
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _keys(node: Node | None, out: set[str]) -> None:
    if isinstance(node, Mapping):
        for key, value in node.pairs:
            out.add(getattr(key, "value", ""))
            _keys(value, out)
    elif isinstance(node, Sequence):
        for item in node.items:
            _keys(item, out)


def _seed_keys() -> list[str]:
    keys: set[str] = set()
    for text in SEEDS:
        for doc in compose(text).documents:
            _keys(doc.root, keys)
    return sorted(k for k in keys if k)


KEYS = _seed_keys()

SCALARS = [
    "5e-4", "5.0e-4", "2e-5", "1e5", "1.0e+5", ".5", "-1", "0", "-0", "1_000", "010", "0o17",
    "0x1F", "0b11", "1:30:00", "2001-12-14", "no", "yes", "on", "off", "y", "n", "True",
    "FALSE", "~", "null", "Null", ".inf", "-.inf", ".nan", "'5e-4'", '"2e-5"', '"32"', "'64'",
    "''", '""', "[]", "{}", "[q_proj, v_proj]", "[lm_head]", "all-linear", "all_linear",
    "${oc.env:HOME}", "${rank}", "${oc.select:wd,0.01}", "???", "!!int ''", "!!float x",
    "!!bool maybe", "!!int 1_", "!!str 5", "!!binary aGk=", "!custom x",
    "!!python/object/apply:os.system ['true']", "&a 8", "*a", "9" * 400, "1e400", "-1e400",
    "0.0", "1e-300", "3.4028235e+38", "NaN", "\u00e9t\u00e9", "'a\\nb'", '"tab\\there"',
    "|\n  block", ">-\n  folded", "meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B",
    "unknown/model-1B", "dpo", "grpo", "sft", "lora", "qlora", "full", "cosine", "linear",
]  # fmt: skip
# values the loaders refuse (Y001): rarer in the gentle configs that exercise the fixes
REFUSED = {s for s in SCALARS if s.startswith(("!!int", "!!float", "!!bool", "!c", "!!p", "*"))}
GENTLE_SCALARS = [s for s in SCALARS if s not in REFUSED and "\n" not in s]
NEWLINES = [*["\n"] * 7, "\r\n", "\r\n", "\r"]  # a lone CR is refused at decoding


def typo_of(draw: st.DrawFn, key: str) -> str:
    if not key:
        return "x"
    i = draw(st.integers(0, len(key) - 1))
    kind = draw(st.sampled_from(["drop", "double", "swap", "replace", "case", "dash"]))
    if kind == "drop":
        return key[:i] + key[i + 1 :] or "x"
    if kind == "double":
        return key[:i] + key[i] + key[i:]
    if kind == "swap" and i + 1 < len(key):
        return key[:i] + key[i + 1] + key[i] + key[i + 2 :]
    if kind == "case":
        return key.upper()
    if kind == "dash":
        return key.replace("_", "-")
    return key[:i] + draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz_.0")) + key[i + 1 :]


def _line(draw: st.DrawFn, scalars: list[str], indent: int | None = None) -> str:
    key = draw(st.sampled_from(KEYS))
    if draw(st.booleans()):
        key = typo_of(draw, key)
    if indent is None:
        indent = draw(st.sampled_from([0, 0, 0, 2, 4, 1, 3]))
    return f"{' ' * indent}{key}: {draw(st.sampled_from(scalars))}"


def _key_indent(line: str) -> int | None:
    """The indentation of a ``key: ...`` line (not a list item, not a comment)."""
    stripped = line.lstrip(" ")
    if not stripped or stripped.startswith(("-", "#")) or ":" not in stripped:
        return None
    return len(line) - len(stripped)


def split_value(line: str) -> tuple[str, str] | None:
    head, sep, _ = line.partition(": ")
    if not sep or head.strip().startswith("#"):
        return None
    return head, line[len(head) + 2 :]


GENTLE_OPS = [*["value"] * 6, *["insert"] * 4, *["typo"] * 4, *["duplicate"] * 2, "splice"]
ROUGH_OPS = [*GENTLE_OPS, "splice", "delete", "swap", "indent", "tab", "truncate"]


@st.composite
def config_bytes(draw: st.DrawFn, gentle: bool = False) -> bytes:
    """A mutated seed config, as the bytes of a file.

    ``gentle``: edits that mostly keep the YAML valid (values, keys, duplicated lines), so
    that the fixes get exercised; otherwise also indentation, tabs, cuts and random bytes.
    """
    lines = draw(st.sampled_from(SEEDS)).splitlines()
    scalars = GENTLE_SCALARS if gentle else SCALARS
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(GENTLE_OPS if gentle else ROUGH_OPS))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if gentle and op in ("insert", "duplicate", "splice"):
            _insert_sibling(draw, lines, op, at, scalars)
        elif op == "insert" or not lines:
            lines.insert(at, _line(draw, scalars))
        elif op in ("value", "typo"):
            _edit_value(draw, lines, op, at, scalars)
        else:
            _rough_edit(draw, lines, op, at)
    return _file_bytes(draw, lines, gentle)


def _insert_sibling(
    draw: st.DrawFn, lines: list[str], op: str, at: int, scalars: list[str]
) -> None:
    """Insert a line as a sibling of the key line at ``at`` (or at the top): the YAML stays
    valid, keys get duplicated."""
    line = lines[at] if lines else ""
    indent = _key_indent(line)
    if indent is None:
        at, indent = 0, 0
    if op == "insert":
        lines.insert(at, _line(draw, scalars, indent))
    elif op == "duplicate":
        lines.insert(at, " " * indent + line.lstrip(" ") if line else _line(draw, scalars))
    else:
        other = [t for t in draw(st.sampled_from(SEEDS)).splitlines() if _key_indent(t) == 0]
        lines.insert(at, " " * indent + draw(st.sampled_from(other)))


def _edit_value(draw: st.DrawFn, lines: list[str], op: str, at: int, scalars: list[str]) -> None:
    """A new value (``value``) or a typo'd key (``typo``) on a ``key: value`` line."""
    split = split_value(lines[at])
    if split is None:
        return
    if op == "value":
        lines[at] = f"{split[0]}: {draw(st.sampled_from(scalars))}"
    else:
        indent = len(split[0]) - len(split[0].lstrip())
        lines[at] = " " * indent + typo_of(draw, split[0].strip()) + ": " + split[1]


def _rough_edit(draw: st.DrawFn, lines: list[str], op: str, at: int) -> None:
    """The edits that may break the YAML: lines moved, re-indented, cut or spliced in."""
    line = lines[at]
    if op == "duplicate":
        lines.insert(draw(st.integers(0, len(lines))), line)
    elif op == "delete":
        del lines[at]
    elif op == "swap":
        other = draw(st.integers(0, len(lines) - 1))
        lines[at], lines[other] = lines[other], lines[at]
    elif op == "indent":
        stripped = line.lstrip(" ")
        lines[at] = " " * draw(st.integers(0, 8)) + stripped
    elif op == "tab":
        lines[at] = "\t" + line
    elif op == "truncate":
        lines[at] = line[: draw(st.integers(0, len(line)))]
    elif op == "splice":  # a line of another framework's config
        other = draw(st.sampled_from(SEEDS)).splitlines() or [""]
        lines.insert(at, draw(st.sampled_from(other)))


def _file_bytes(draw: st.DrawFn, lines: list[str], gentle: bool) -> bytes:
    """The lines joined by some newline, maybe a BOM, and (rough) some random bytes."""
    text = draw(st.sampled_from(NEWLINES)).join(lines)
    if draw(st.booleans()):
        text += "\n"
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    for _ in range(draw(st.integers(0, 2)) if not gentle and draw(st.integers(0, 4)) == 0 else 0):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


@st.composite
def options(draw: st.DrawFn) -> Options:
    dialect = draw(st.one_of(st.none(), st.none(), st.sampled_from(DIALECTS)))
    small = st.one_of(st.none(), st.integers(1, 1024))
    return Options(
        dialect=dialect,
        settings=Settings(
            gpu_memory_gb=draw(small),
            devices=draw(small),
            dataset_size=draw(st.one_of(st.none(), st.integers(0, 10**9))),
        ),
    )


def _decode(data: bytes) -> Source | None:
    try:
        return decode(data, "fuzz.yaml")
    except SourceError as exc:
        message = str(exc)
        assert message.startswith("fuzz.yaml"), message
        assert "\n" not in message, message
        event("refused when decoding (not UTF-8, UTF-16, lone CR)")
        return None


def _assert_positions(source: Source, findings: list[Finding]) -> None:
    lines = source.text.count("\n") + 1
    for f in findings:
        assert 1 <= f.line <= lines, f
        assert f.column >= 1, f
        assert (f.end_line, f.end_column) >= (f.line, f.column), f


def _has_syntax_error(text: str) -> bool:
    return any(p.kind == "syntax" for p in compose(text).problems)


@BUDGET
@given(data=config_bytes(), opts=options())
def test_check_never_raises_and_every_format_renders(data: bytes, opts: Options) -> None:
    source = _decode(data)
    if source is None:
        return
    findings = check_source(source, opts)
    _assert_positions(source, findings)
    for output_format in FORMATS:
        rendered = render(output_format, findings, [source.path], RULES, Palette(enabled=False))
        assert isinstance(rendered, str)


@BUDGET
@given(data=st.one_of(config_bytes(gentle=True), config_bytes()), opts=options())
def test_fix_output_parses_and_fixing_is_idempotent(data: bytes, opts: Options) -> None:
    source = _decode(data)
    if source is None:
        return
    outcome = fix_source(source, opts, unsafe=True)
    if outcome.error is not None or _has_syntax_error(source.text):
        event(f"fix refused: {outcome.error}" if outcome.error else "syntax error")
        assert outcome.text == source.text
        return
    event("fixed" if outcome.applied else "nothing to fix")
    assert not _has_syntax_error(outcome.text), outcome.text
    fixed = replace(source, text=outcome.text)
    _assert_positions(fixed, outcome.remaining)
    again = fix_source(fixed, opts, unsafe=True)
    assert again.error is None, again.error
    assert again.text == outcome.text, (outcome.text, again.text)
    assert again.applied == []
