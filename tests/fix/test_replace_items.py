"""A list is rewritten item by item: comments between and after items stay (issue 14,
item 3: L006's unsafe fix)."""

from __future__ import annotations

import pytest

from cfgguard.edits.build import replace_items
from cfgguard.findings import Fix
from cfgguard.fix.apply import apply
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping, Sequence
from tests.fix.helpers import fixed


def _rewrite(text: str, values: list[str]) -> str:
    root = compose(text).documents[0].root
    assert isinstance(root, Mapping)
    seq = root.pairs[0][1]
    assert isinstance(seq, Sequence)
    edits = replace_items(text, seq, values)
    assert edits is not None
    return apply(text, [Fix("unsafe", "t", edits)])


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        pytest.param(
            "t:\n  - a  # one\n  # between\n  - b\n# after\nx: 1\n",
            ["p", "q", "r"],
            "t:\n  - p  # one\n  # between\n  - q\n  - r\n# after\nx: 1\n",
            id="block-longer",
        ),
        pytest.param(
            "t:\n  - a  # one\n  # between\n  - b\n  - c  # third\n# after\nx: 1\n",
            ["p", "q"],
            "t:\n  - p  # one\n  # between\n  - q\n# after\nx: 1\n",
            id="block-shorter",
        ),
        pytest.param(
            "t: [a, # one\n  b]  # end\n",
            ["p", "q", "r"],
            "t: [p, # one\n  q, r]  # end\n",
            id="flow-longer",
        ),
        pytest.param(
            "t: [a, # one\n  b, c]  # end\n",
            ["p", "q"],
            "t: [p, # one\n  q]  # end\n",
            id="flow-shorter",
        ),
        pytest.param(
            "t: ['a', \"b\", &x !!str c]\n",
            ["p", "q", "r"],
            "t: ['p', \"q\", &x !!str r]\n",
            id="each-item-keeps-its-style",
        ),
        pytest.param("t: [a, b]\n", ["a", "b"], "t: [a, b]\n", id="same_noop"),
    ],
)
def test_replace_items(text: str, values: list[str], expected: str) -> None:
    assert _rewrite(text, values) == expected


def test_l006_fix_keeps_comments_between_items() -> None:
    head = (
        "base_model: Qwen/Qwen2.5-7B-Instruct\nadapter: lora\nlora_r: 32\nlora_alpha: 64\n"
        "learning_rate: 2.0e-4\n"
    )
    text = head + (
        "lora_target_modules:\n  - c_attn   # attention\n  # the MLP\n  - c_proj\n  - w1\n"
        "  - w2  # last\n# after the list\nval_set_size: 0.05\n"
    )
    assert fixed(text, "axolotl", code="L006") == head + (
        "lora_target_modules:\n  - q_proj   # attention\n  # the MLP\n  - k_proj\n  - v_proj\n"
        "  - o_proj  # last\n  - gate_proj\n  - up_proj\n  - down_proj\n# after the list\n"
        "val_set_size: 0.05\n"
    )
