from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples

AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: 16
{extra}
micro_batch_size: 4
sequence_len: 2048
num_epochs: 1
learning_rate: 2.0e-4
"""

LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: sft
finetuning_type: lora
{extra}
cutoff_len: 2048
learning_rate: 1.0e-4
"""

TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
  lora_attn_modules: [q_proj, v_proj]
  lora_rank: 8
{extra}
batch_size: 4
epochs: 1
"""


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        (AXOLOTL.format(extra="lora_alpah: 32"), "axolotl", [("K001", 4, 1)]),
        (AXOLOTL.format(extra="num_train_epochs: 3"), "axolotl", [("K001", 4, 1)]),
        (AXOLOTL.format(extra="trl:\n  beta: 0.1\n  betta: 2"), "axolotl", [("K001", 6, 3)]),
        (AXOLOTL.format(extra="lora_alpha: 32"), "axolotl", []),
        (LLAMAFACTORY.format(extra="lora_r: 8"), "llamafactory", [("K001", 4, 1)]),
        (LLAMAFACTORY.format(extra="lora_rank: 8"), "llamafactory", []),
        (TORCHTUNE.format(extra="gradient_accumulation_step: 4"), "torchtune", [("K001", 5, 1)]),
        (TORCHTUNE.format(extra="gradient_accumulation_steps: 4"), "torchtune", []),
    ],
)
def test_k001(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "K001") == expected


def test_k001_message_and_severity() -> None:
    (finding,) = [
        f for f in run(AXOLOTL.format(extra="lora_alpah: 32"), "axolotl") if f.code == "K001"
    ]
    assert finding.message == (
        "unknown key 'lora_alpah' (did you mean 'lora_alpha'?); axolotl drops unknown keys"
        " silently, so the default applies"
    )
    assert finding.severity is Severity.ERROR
    (tt,) = [
        f
        for f in run(TORCHTUNE.format(extra="gradient_accumulation_step: 4"), "torchtune")
        if f.code == "K001"
    ]
    assert tt.severity is Severity.WARNING
    assert "did you mean 'gradient_accumulation_steps'?" in tt.message


def test_plausible_never_changes_difflibs_answer() -> None:
    """The prefilter only drops keys difflib would reject: same suggestions, every key."""
    import difflib
    import random

    from cfgguard.knowledge.keys import DIALECTS, key_types
    from cfgguard.rules.k001_unknown_key import plausible

    rng = random.Random(7)
    for dialect in DIALECTS:
        keys = [k.rpartition(".")[2] for k in key_types(dialect) if "." not in k]
        for key in rng.sample(keys, min(60, len(keys))):
            i = rng.randrange(len(key))
            for word in (key[:i] + key[i + 1 :], key[:i] + "x" + key[i:], key.upper(), ""):
                expected = difflib.get_close_matches(word, keys, n=2, cutoff=0.8)
                got = difflib.get_close_matches(word, plausible(word, keys), n=2, cutoff=0.8)
                assert got == expected, (dialect, word)
    assert plausible("lora_r", ["lora_rr", "zzzzzz", "learning_rate"]) == ["lora_rr"]
