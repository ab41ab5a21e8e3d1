"""The mapping at the cursor, from indentation (the text being typed seldom parses)."""

from __future__ import annotations

import pytest

from cfgguard.server.cursor import key_on_line, line_context, node_at
from cfgguard.server.positions import Lines
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping

NESTED = (
    "actor_rollout_ref:\n"  # 0
    "  actor:\n"  # 1
    "    optim:\n"  # 2
    "      lr: 1e-6\n"  # 3
    "      \n"  # 4
    "datasets:\n"  # 5
    "  - path: x\n"  # 6
    "    type: y\n"  # 7
    "    \n"  # 8
    "  - \n"  # 9
    "flat:\n"  # 10
    "- a: 1\n"  # 11
    "  \n"  # 12
    "top: 1\n"  # 13
    "# a comment\n"  # 14
)


@pytest.mark.parametrize(
    ("line", "column", "prefix", "present"),
    [
        pytest.param(4, 6, "actor_rollout_ref.actor.optim", {"lr"}, id="nested-mapping"),
        pytest.param(8, 4, "datasets[]", {"path", "type"}, id="list-item-keys"),
        pytest.param(9, 4, "datasets[]", set[str](), id="new-list-item"),
        pytest.param(12, 2, "flat[]", {"a"}, id="list-at-the-key-indent"),
        pytest.param(3, 6, "actor_rollout_ref.actor.optim", set[str](), id="start-of-a-key"),
        pytest.param(13, 0, "", {"actor_rollout_ref", "datasets", "flat"}, id="top-level"),
    ],
)
def test_key_context(line: int, column: int, prefix: str, present: set[str]) -> None:
    found = line_context(Lines(NESTED), line, column)
    assert found is not None
    assert (found.prefix, set(found.present), found.value_of) == (prefix, present, None)


def test_value_context() -> None:
    found = line_context(Lines(NESTED), 3, 10)
    assert found is not None
    assert (found.value_of, found.word, found.word_start) == (
        "actor_rollout_ref.actor.optim.lr",
        "",
        10,
    )


def test_partial_word() -> None:
    found = line_context(Lines("a:\n  lo\n"), 1, 4)
    assert found is not None
    assert (found.prefix, found.word, found.word_start) == ("a", "lo", 2)


@pytest.mark.parametrize(
    "before",
    [
        pytest.param("# a comm", id="comment"),
        pytest.param('name: "quo', id="quoted-value"),
        pytest.param("modules: [q_proj, v", id="flow-list"),
        pytest.param("a: 1 # note", id="after-a-comment"),
    ],
)
def test_no_context(before: str) -> None:
    assert line_context(Lines(before + "\n"), 0, len(before)) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(3, ("actor_rollout_ref.actor.optim.lr", 6, 8), id="nested"),
        pytest.param(6, ("datasets[].path", 4, 8), id="first-key-of-an-item"),
        pytest.param(7, ("datasets[].type", 4, 8), id="item-key"),
        pytest.param(12, None, id="blank"),
    ],
)
def test_key_on_line(line: int, expected: tuple[str, int, int] | None) -> None:
    assert key_on_line(Lines(NESTED), line) == expected


@pytest.mark.parametrize(
    ("offset_of", "nested", "expected"),
    [
        pytest.param("lr", True, ("actor_rollout_ref.actor.optim.lr", True), id="nested-key"),
        pytest.param("1e-6", True, ("actor_rollout_ref.actor.optim.lr", False), id="value"),
        pytest.param("type", True, ("datasets[].type", True), id="list-item-key"),
        pytest.param("lr", False, ("actor_rollout_ref", False), id="flat-dialect"),
    ],
)
def test_node_at(offset_of: str, nested: bool, expected: tuple[str, bool]) -> None:
    text = NESTED.replace("  - \n", "")
    root = compose(text).documents[0].root
    assert isinstance(root, Mapping)
    hit = node_at(root, text.index(offset_of) + 1, nested)
    assert hit is not None
    assert (hit.path, hit.on_key) == expected
