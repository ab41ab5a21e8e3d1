"""Fixes edit only what they were built for: positions from the text held, tags and
anchors kept, nothing edited through an alias (issue 14, items 1 and 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.check import Options
from cfgguard.cli import main
from cfgguard.edits.build import append_to_list
from cfgguard.findings import Edit, Finding, Fix
from cfgguard.fix import engine
from cfgguard.fix.guard import reads_as
from cfgguard.records import replace
from cfgguard.source import Source
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping, Scalar, Sequence
from tests.fix.helpers import fix_text, fixed

LORA = "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: 32\nlora_alpha: 64\n"
DOUBLE_BOM = (
    b"\xef\xbb\xbf\xef\xbb\xbfbase_model: meta-llama/Llama-3.1-8B\nadapter: lora\n"
    b"lora_r: 32\nlora_alpha: 64\n# learning rate\nlearnin_rate: 2.0e-4\n"
)


def test_double_bom_is_reported_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(DOUBLE_BOM)
    assert main(["check", "--fix", str(path)]) == 1
    assert path.read_bytes() == DOUBLE_BOM
    out = capsys.readouterr().out
    assert f"{path}:1:1: Y001 [error] the file starts with a second byte-order mark" in out


@pytest.mark.parametrize("pure_python", [False, True], ids=["libyaml", "python"])
def test_positions_count_a_leading_bom(pure_python: bool) -> None:
    result = compose("\ufeffa: 1\nbb: 2\n", pure_python=pure_python)
    root = result.documents[0].root
    assert isinstance(root, Mapping)
    starts = [(k.start.index, k.start.line, k.start.column) for k, _ in root.pairs]
    assert starts == [(1, 0, 1), (6, 1, 0)]
    assert [p.kind for p in result.problems] == ["syntax"]


def _shifted(monkeypatch: pytest.MonkeyPatch, by: int) -> None:
    """Every fix's edits one column off, as when a parser skips a character uncounted."""
    real = engine.check_source

    def off(source: Source, options: Options) -> list[Finding]:
        out: list[Finding] = []
        for f in real(source, options):
            if f.fix is not None:
                edits = tuple(
                    replace(e, column=e.column - by, end_column=e.end_column - by)
                    for e in f.fix.edits
                )
                out.append(replace(f, fix=replace(f.fix, edits=edits)))
            else:
                out.append(f)
        return out

    monkeypatch.setattr(engine, "check_source", off)


def test_fix_whose_span_misses_its_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = LORA + "# learning rate\nlearnin_rate: 2.0e-4\n"
    _shifted(monkeypatch, -1)
    outcome = fix_text(text, "axolotl", code="K001")
    assert outcome.text == text
    assert outcome.error == (
        "the text at line 6, column 2 is not the value the fix was built for (rename"
        " 'learnin_rate' to 'learning_rate'): positions do not match the file; the file was"
        " left unchanged"
    )


@pytest.mark.parametrize(
    ("span", "style", "value", "expected"),
    [
        pytest.param("abc", "", "abc", True, id="plain"),
        pytest.param("\nab", "", "abc", False, id="plain-shifted"),
        pytest.param("a\n  b", "", "a b", True, id="plain-multiline"),
        pytest.param('"a\\tb"', '"', "a\tb", True, id="double-escaped"),
        pytest.param(' "ab', '"', "ab", False, id="double-shifted"),
        pytest.param("'it''s'", "'", "it's", True, id="single"),
        pytest.param("|\n  x\n", "|", "x\n", True, id="literal"),
        pytest.param("|\n  x\n", ">", "x\n", False, id="wrong-style"),
    ],
)
def test_reads_as(span: str, style: str, value: str, expected: bool) -> None:
    assert reads_as(span, style, value) is expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        pytest.param("!!float 2e-5", "!!float 2e-4", id="tag"),
        pytest.param("&lr 2.0e-5", "&lr 2.0e-4", id="anchor"),
        pytest.param("&lr !!float 2.0e-5", "&lr !!float 2.0e-4", id="anchor-and-tag"),
        pytest.param("!!float &lr 2.0e-5", "!!float &lr 2.0e-4", id="tag-and-anchor"),
        pytest.param(
            "!<tag:yaml.org,2002:float> 2e-5", "!<tag:yaml.org,2002:float> 2e-4", id="verbatim-tag"
        ),
        pytest.param("&lr  # lr\n  2e-5", "&lr  # lr\n  2e-4", id="comment-after-anchor"),
    ],
)
def test_fix_keeps_tag_and_anchor(written: str, expected: str) -> None:
    text = LORA + f"learning_rate: {written}\n"
    assert fixed(text, "axolotl", code="R002") == LORA + f"learning_rate: {expected}\n"


@pytest.mark.parametrize(
    ("tail", "line", "column"),
    [
        pytest.param("lr: &lr 2e-5\nlearning_rate: *lr\n", 5, 5, id="alias-use"),
        pytest.param("learning_rate: &lr 2e-5\nwarmup_lr: *lr\n", 5, 16, id="anchor-site"),
        pytest.param("base: &b\n  learning_rate: 2e-5\n<<: *b\n", 6, 18, id="inside-aliased-map"),
    ],
)
def test_fix_through_an_alias_is_refused(
    tail: str, line: int, column: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(LORA + tail)
    main(["check", "--unsafe-fixes", "--select", "R002,F001", "--dialect", "axolotl", str(path)])
    assert path.read_text() == LORA + tail
    out = capsys.readouterr().out
    assert (
        f"{path}:{line}:{column}: F001 [warning] fix for R002 not applied: it would edit"
        " through an alias" in out
    )


def test_shared_flag_marks_everything_an_alias_reaches() -> None:
    root = compose("a: &a {x: [1], y: 2}\nb: *a\nc: 3\n").documents[0].root
    assert isinstance(root, Mapping)
    a, c = root.pairs[0][1], root.pairs[2][1]
    assert isinstance(a, Mapping)
    assert isinstance(c, Scalar)
    inner = [n.shared for pair in a.pairs for n in pair]
    assert (a.shared, inner, c.shared) == (True, [True, True, True, True], False)


def test_unchanged_edit_record_defaults() -> None:
    # hand-made edits (reporters, the action) carry no expectation and are not shared
    edit = Edit(1, 1, 1, 2, "x")
    assert (edit.holds, edit.shared) == (None, False)
    assert Fix("safe", "m", (edit,)).edits[0] is edit


def test_insertion_after_an_alias_is_refused(tmp_path: Path) -> None:
    # found by the fuzz suite: the entry ends in `*d3`, whose node (and position) is the
    # anchor's: the key was inserted inside `checkpointer`
    text = (
        "model:\n  _component_: torchtune.models.phi3.lora_phi3_mini\n"
        "  lora_attn_modules: ['q_proj', 'k_proj', 'v_proj', 'output_proj']\n"
        "checkpointer:\n  _component_: &d3 torchtune.training.FullModelHFCheckpointer\n"
        "  model_type: PHI3_MINI\noptimizer:\n  _component_: torch.optim.AdamW\n  lr: *d3\n"
        "epochs: 1\n"
    )
    outcome = fix_text(text, "torchtune", code="O004")
    assert outcome.text == text
    assert [(f.code, why[:37]) for f, why in outcome.refused] == [
        ("O004", "it would edit through an alias (a val")
    ]


@pytest.mark.parametrize(
    ("text", "expected_shared"),
    [
        pytest.param("t: [a, b]\n", False, id="plain_noop"),
        pytest.param("x: &x c\nt: [a, *x]\n", True, id="flow-alias-last"),
        pytest.param("x: &x c\nt:\n  - a\n  - *x\n", True, id="block-alias-last"),
    ],
)
def test_append_after_an_alias_is_marked(text: str, expected_shared: bool) -> None:
    root = compose(text).documents[0].root
    assert isinstance(root, Mapping)
    seq = root.pairs[-1][1]
    assert isinstance(seq, Sequence)
    edit = append_to_list(text, seq, "z")
    assert edit is not None
    assert edit.shared is expected_shared
