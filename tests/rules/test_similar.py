"""``rules._similar.close_matches`` gives ``difflib.get_close_matches``' answer."""

from __future__ import annotations

import difflib
import random

import pytest

from cfgguard.knowledge.releases import package
from cfgguard.rules._similar import close_matches


@pytest.mark.parametrize(
    ("n", "cutoff"),
    [
        pytest.param(2, 0.8, id="k001"),
        pytest.param(3, 0.6, id="difflib-default"),
        pytest.param(1, 0.0, id="everything-passes"),
        pytest.param(5, 0.5, id="many"),
    ],
)
def test_random_words_over_small_alphabets(n: int, cutoff: float) -> None:
    # small alphabets make repeated characters and tied blocks, where an order matters
    rnd = random.Random(7)
    for _ in range(4000):
        alphabet = rnd.choice(["ab", "abc", "abcd_", "abcdefgh_."])
        word = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        candidates = [
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14)))
            for _ in range(rnd.randint(0, 12))
        ]
        expected = difflib.get_close_matches(word, candidates, n, cutoff)
        assert close_matches(word, candidates, n, cutoff) == expected, (word, candidates)


def test_real_keys_against_each_other() -> None:
    trl = package("transformers")
    assert trl is not None
    names = sorted(trl.fields("TrainingArguments"))
    for word in [*names[::3], "learning_rat", "per_device_batch", "warmup_ratios", "x"]:
        expected = difflib.get_close_matches(word, names, 2, 0.8)
        assert close_matches(word, names, 2, 0.8) == expected, word


def test_a_long_word_is_left_to_difflib() -> None:
    word = "ab" * 120  # from 200 characters difflib treats popular characters as junk
    candidates = ["ab" * 119 + "c", "b" * 240, "ba" * 120]
    expected = difflib.get_close_matches(word, candidates, 3, 0.1)
    assert close_matches(word, candidates, 3, 0.1) == expected
