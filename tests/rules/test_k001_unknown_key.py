"""K001: keys no release of the loader defines (the repository's own classes count)."""

from __future__ import annotations

import pytest

from cfgguard.check import Options, check_source
from cfgguard.findings import Finding, Severity
from cfgguard.keyspaces import NoProject
from cfgguard.knowledge.keyspace import LocalField
from cfgguard.source import decode
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
do_train: true
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

TRL = "model_name_or_path: Qwen/Qwen2.5-7B\n{extra}\nlearning_rate: 1.0e-5\n"
PLAIN = "base_model: meta-llama/Llama-3.1-8B\nlora_rank: 32\n{extra}\n"


def k001(text: str, dialect: str, pins: dict[str, str] | None = None) -> list[Finding]:
    return [f for f in run(text, dialect, pins=pins) if f.code == "K001"]


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(AXOLOTL.format(extra="lora_alpah: 32"), "axolotl",
                     [(4, 1, Severity.ERROR)], id="axolotl-typo"),
        pytest.param(AXOLOTL.format(extra="num_train_epochs: 3"), "axolotl",
                     [(4, 1, Severity.ERROR)], id="axolotl-other-framework-spelling"),
        pytest.param(AXOLOTL.format(extra="trl:\n  beta: 0.1\n  betta: 2"), "axolotl",
                     [(6, 3, Severity.ERROR)], id="axolotl-nested"),
        pytest.param(AXOLOTL.format(extra="debug:"), "axolotl",
                     [(4, 1, Severity.INFO)], id="axolotl-no-value-changes-nothing"),
        pytest.param(AXOLOTL.format(extra="gptq_groupsize: 128"), "axolotl",
                     [(4, 1, Severity.ERROR)], id="axolotl-never-a-field"),
        pytest.param(AXOLOTL.format(extra="lora_alpha: 32"), "axolotl", [], id="axolotl_noop"),
        pytest.param(LLAMAFACTORY.format(extra="lora_r: 8"), "llamafactory",
                     [(5, 1, Severity.ERROR)], id="llamafactory-refused"),
        pytest.param(LLAMAFACTORY.format(extra="lora_rank: 8"), "llamafactory", [],
                     id="llamafactory_noop"),
        pytest.param(LLAMAFACTORY.format(extra="lora_r:"), "llamafactory",
                     [(5, 1, Severity.ERROR)], id="refused-even-without-value"),
        pytest.param(TORCHTUNE.format(extra="gradient_accumulation_step: 4"), "torchtune",
                     [(5, 1, Severity.WARNING)], id="torchtune-likely-typo"),
        pytest.param(TORCHTUNE.format(extra="my_learning_rate: 1.0e-4"), "torchtune",
                     [(5, 1, Severity.WARNING)], id="torchtune-training-knob"),
        pytest.param(TORCHTUNE.format(extra="experiment_tag: baseline"), "torchtune",
                     [(5, 1, Severity.INFO)], id="torchtune-recipe-may-read-it"),
        pytest.param(TORCHTUNE.format(extra="gradient_accumulation_steps: 4"), "torchtune", [],
                     id="torchtune_noop"),
        pytest.param(TORCHTUNE.format(extra="tokenizer:\n  _component_: x.y\n  merges: m.txt"),
                     "torchtune", [], id="component-arguments_noop"),
        pytest.param(TRL.format(extra="lora_alpah: 32"), "trl", [(2, 1, Severity.ERROR)],
                     id="trl-refused"),
        pytest.param(PLAIN.format(extra="learnin_rate: 2.0e-4"), "plain",
                     [(3, 1, Severity.WARNING)], id="plain-typo"),
    ],
)  # fmt: skip
def test_k001(text: str, dialect: str, expected: list[tuple[int, int, Severity]]) -> None:
    assert [(f.line, f.column, f.severity) for f in k001(text, dialect)] == expected


def test_k001_messages() -> None:
    (finding,) = k001(AXOLOTL.format(extra="lora_alpah: 32"), "axolotl")
    assert finding.message == (
        "unknown key 'lora_alpah' (did you mean 'lora_alpha'?); axolotl ignores it silently,"
        " so the default applies"
    )
    assert finding.fix is not None
    assert finding.fix.applicability == "safe"
    (tt,) = k001(TORCHTUNE.format(extra="gradient_accumulation_step: 4"), "torchtune")
    assert "did you mean 'gradient_accumulation_steps'?" in tt.message
    assert tt.fix is not None
    assert tt.fix.applicability == "unsafe"  # a recipe of the user's may read it


def test_trlparser_behaviour_follows_the_pinned_release() -> None:
    text = TRL.format(extra="lora_alpah: 32")
    (old,) = k001(text, "trl", pins={"trl": "==0.15.0"})
    assert old.message.endswith("TrlParser ignores it silently, so the default applies")
    (new,) = k001(text, "trl", pins={"trl": "==0.19.0"})
    assert new.message.endswith("TrlParser refuses it")


def _with_repo(text: str, **view: object) -> list[Finding]:
    project = NoProject(**view)  # pyright: ignore[reportArgumentType]
    options = Options(dialect="trl", project=lambda _: project)
    return [f for f in check_source(decode(text.encode(), "t.yaml"), options) if f.code == "K001"]


def test_the_repositorys_own_fields_are_known() -> None:
    text = TRL.format(extra="system_prompt: be brief")
    assert len(_with_repo(text)) == 1
    local = (LocalField("system_prompt", "ScriptArguments", "train.py", 12),)
    assert _with_repo(text, local_fields=local) == []


def test_a_parser_reading_classes_cfgguard_cannot_see_softens_k001() -> None:
    text = TRL.format(extra="tokenizer_revision: main")
    (found,) = _with_repo(
        text,
        parsed_by_repo=True,
        framework_classes=("SFTConfig", "ModelConfig"),
        unresolved=("TokenizerConfig",),
    )
    assert found.severity is Severity.INFO
    assert "unless code cfgguard cannot see reads it" in found.message


def test_plausible_never_changes_difflibs_answer() -> None:
    """The prefilter only drops keys difflib would reject: same suggestions, every key."""
    import difflib
    import random

    from cfgguard.dialects import DIALECTS
    from cfgguard.keyspaces import document_keys
    from cfgguard.rules.k001_unknown_key import plausible
    from cfgguard.yaml.compose import compose

    rng = random.Random(7)
    seeds = {"axolotl": AXOLOTL, "llamafactory": LLAMAFACTORY, "torchtune": TORCHTUNE,
             "trl": TRL, "plain": PLAIN}  # fmt: skip
    for dialect in DIALECTS:
        if dialect.name not in seeds or dialect.keys is None:
            continue
        root = compose(seeds[dialect.name].format(extra="")).documents[0].root
        from cfgguard.yaml.nodes import Mapping

        assert isinstance(root, Mapping)
        keys = document_keys(dialect.keys, root, dialect.to_canonical(root), NoProject())
        assert keys is not None
        names = keys.space.siblings("")
        for key in rng.sample(names, min(60, len(names))):
            i = rng.randrange(len(key))
            for word in (key[:i] + key[i + 1 :], key[:i] + "x" + key[i:], key.upper(), ""):
                expected = difflib.get_close_matches(word, names, n=2, cutoff=0.8)
                got = difflib.get_close_matches(word, plausible(word, names), n=2, cutoff=0.8)
                assert got == expected, (dialect.name, word)
    assert plausible("lora_r", ["lora_rr", "zzzzzz", "learning_rate"]) == ["lora_rr"]


def test_positions_are_the_keys() -> None:
    text = AXOLOTL.format(extra="trl:\n  betta: 2")
    assert triples(run(text, "axolotl"), "K001") == [("K001", 5, 3)]
    assert triples(run(AXOLOTL.format(extra="lora_alpha: 32"), "axolotl"), "K001") == []


def test_a_parser_reading_a_dependencys_class_directly() -> None:
    """LLaMA-Factory 0.9.1's train parser reads transformers' Seq2SeqTrainingArguments
    itself (0.9.5 reads its own subclass): its keys come from transformers either way."""
    text = LLAMAFACTORY.format(extra="output_dir: out\nsave_steps: 500")
    assert k001(text, "llamafactory", pins={"llamafactory": "==0.9.1"}) == []
    assert k001(text, "llamafactory", pins={"llamafactory": "==0.9.5"}) == []


def test_a_key_the_files_interpolations_read_is_known() -> None:
    text = TORCHTUNE.format(
        extra="checkpoint_dir: /ckpt\ncheckpointer:\n  _component_: x.Y\n  dir: ${checkpoint_dir}"
    )
    assert k001(text, "torchtune") == []
    stray = TORCHTUNE.format(extra="checkpoint_dir: /ckpt")
    assert [(f.line, f.column) for f in k001(stray, "torchtune")] == [(5, 1)]
