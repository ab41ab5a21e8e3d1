from __future__ import annotations

import pytest

from cfgguard.yaml.compose import MAX_DEPTH, compose
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence
from tests.conftest import corpus_files


def _problems(text: str) -> list[tuple[str, int, int]]:
    return [(p.kind, p.start.line + 1, p.start.column + 1) for p in compose(text).problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\n", []),
        ("a: 1\nb: 2\na: 3\n", [("duplicate-key", 3, 1)]),
        ("m:\n  x: 1\n  y: 2\n  x: 3\n", [("duplicate-key", 4, 3)]),
        ("a: [1, 2\nb: 3\n", [("syntax", 2, 2)]),
        ("a: b: c\n", [("syntax", 1, 5)]),
        ("a: *nope\n", [("syntax", 1, 4)]),
        ("a: \x00\n", [("syntax", 1, 4)]),
        ("base: &b {x: 1}\nother:\n  <<: *b\n  <<: *b\n", []),
        ("", []),
        ("# only a comment\n", []),
    ],
)
def test_problems(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert _problems(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1: a\n0x1: b\n", [("duplicate-key", 2, 1)], id="int-spellings"),
        pytest.param("yes: a\non: b\n", [("duplicate-key", 2, 1)], id="bool-spellings"),
        pytest.param("true: a\n1: b\n", [("duplicate-key", 2, 1)], id="true-is-1-in-a-dict"),
        pytest.param("~: a\nnull: b\n", [("duplicate-key", 2, 1)], id="null-spellings"),
        pytest.param("1.0: a\n1: b\n", [("duplicate-key", 2, 1)], id="float-and-int"),
        pytest.param("!!int 1: a\n01: b\n", [("duplicate-key", 2, 1)], id="tagged"),
        pytest.param("1: a\n'1': b\n", [], id="int-and-quoted_noop"),
        pytest.param('"yes": a\nyes: b\n', [], id="quoted-and-bool_noop"),
        pytest.param("2024-01-01: a\n2024-1-1: b\n", [], id="timestamps-as-text_noop"),
        pytest.param("n: 1\nno: 2\n", [], id="n-is-no-bool_noop"),
        pytest.param("'a': 1\na: 2\n", [("duplicate-key", 2, 1)], id="quoted-and-plain-string"),
    ],
)
def test_duplicates_are_keys_the_loaders_merge(
    text: str, expected: list[tuple[str, int, int]]
) -> None:
    # what yaml.safe_load and OmegaConf 2.3 do with these (both read YAML 1.1)
    assert _problems(text) == expected


def test_duplicate_message_says_how_the_loaders_read_it() -> None:
    (problem,) = compose("1: a\n0x1: b\n").problems
    assert problem.message == (
        "duplicate key '0x1' (first defined at line 1; YAML 1.1 reads '1' as 1 and '0x1' as"
        " 1, one key in a Python dict); PyYAML and OmegaConf silently keep the last value"
    )


def test_duplicate_key_names_first_line() -> None:
    (problem,) = compose("lr: 1\nx: 2\nlr: 3\n").problems
    assert "first defined at line 1" in problem.message


def test_alias_bomb_is_bounded() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    result = compose("\n".join(lines) + "\n")
    assert [p.kind for p in result.problems] == ["alias-expansion"]
    assert result.documents == []


@pytest.mark.parametrize("pure_python", [False, True])
def test_deep_nesting_is_bounded(pure_python: bool) -> None:
    result = compose("[" * 10_000 + "]" * 10_000, pure_python=pure_python)
    assert [p.kind for p in result.problems] == ["nesting"]
    # ours trips at MAX_DEPTH; libyaml's scanner may trip first at its own 1000
    assert result.problems[0].start.column in (MAX_DEPTH, 1000)
    assert result.documents == []


def test_marks_count_characters_and_crlf() -> None:
    root = compose("é: 1\r\nlr: 5e-4\r\n").documents[0].root
    assert isinstance(root, Mapping)
    key, value = root.pairs[1]
    assert isinstance(key, Scalar)
    assert isinstance(value, Scalar)
    assert (value.start.line, value.start.column, value.start.index) == (1, 4, 10)
    assert value.value == "5e-4"
    assert value.style == ""


def test_multiple_documents() -> None:
    docs = compose("---\na: 1\n---\nb: 2\n").documents
    assert [d.number for d in docs] == [0, 1]
    assert [isinstance(d.root, Mapping) and d.root.keys() for d in docs] == [["a"], ["b"]]


def test_merge_keys_expand_after_own_keys() -> None:
    root = compose("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  x: 9\n").documents[0].root
    assert isinstance(root, Mapping)
    m = root.value("m")
    assert isinstance(m, Mapping)
    assert m.keys() == ["x", "y"]
    x = m.value("x")
    assert isinstance(x, Scalar)
    assert x.value == "9"


def _shape(node: Node | None) -> object:
    if node is None:
        return None
    if isinstance(node, Scalar):
        return ("s", node.value, node.style, node.tag, node.start, node.end)
    if isinstance(node, Sequence):
        return ("q", node.flow, node.start, node.end, [_shape(i) for i in node.items])
    return ("m", node.flow, node.start, node.end, [(_shape(k), _shape(v)) for k, v in node.pairs])


CASES = [
    "a: 1\nb: [x, 'y', \"z\"]\nc: |\n  text\n",
    "a: &x {k: v}\nb: *x\n---\nc: ~\n",
    "k: v\nk: w\n",
    "a: [1, 2\n",
]


@pytest.mark.parametrize("text", CASES)
def test_libyaml_and_python_parsers_agree(text: str) -> None:
    fast, slow = compose(text), compose(text, pure_python=True)
    assert [_shape(d.root) for d in fast.documents] == [_shape(d.root) for d in slow.documents]
    assert [(p.kind, p.start.line) for p in fast.problems] == [
        (p.kind, p.start.line) for p in slow.problems
    ]


def test_libyaml_and_python_parsers_agree_on_corpus() -> None:
    files = corpus_files()
    if not files:
        pytest.skip("corpus not present (../shared/corpus)")
    for path in files:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
        fast, slow = compose(text), compose(text, pure_python=True)
        assert [_shape(d.root) for d in fast.documents] == [
            _shape(d.root) for d in slow.documents
        ], path.name
