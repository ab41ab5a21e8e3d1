"""Y003: values the framework's loader reads differently than they are written."""

from __future__ import annotations

import pytest

from cfgguard.check import Options, check_source
from cfgguard.findings import Severity
from cfgguard.keyspaces import NoProject
from cfgguard.knowledge.keyspace import LocalField
from cfgguard.source import decode
from tests.conftest import run, triples
from tests.rules.optimizer_configs import AXOLOTL, LLAMAFACTORY, PLAIN, TORCHTUNE, TRL, VERL

AH_OLD = """\
model_name_or_path: mistralai/Mistral-7B-v0.1
dataset_mixer:
  HuggingFaceH4/ultrachat_200k: 1.0
use_peft: true
learning_rate: 2e-5
"""


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        # axolotl: float fields are converted; dicts and int fields are not
        pytest.param(
            AXOLOTL.format(extra="lr_scheduler_kwargs:\n  min_lr: 1e-6"),
            "axolotl",
            [("Y003", 8, 11)],
            id="axolotl",
        ),
        pytest.param(
            AXOLOTL.format(extra="lr_scheduler_kwargs:\n  min_lr: 1.0e-6"),
            "axolotl",
            [],
            id="axolotl_noop",
        ),
        pytest.param(
            AXOLOTL.format(extra="warmup_ratio: 3e-2"),
            "axolotl",
            [],
            id="axolotl-warmup-ratio-3e-2_noop",
        ),
        pytest.param(
            AXOLOTL.format(extra="max_steps: 1e3"),
            "axolotl",
            [("Y003", 7, 12)],
            id="axolotl-max-steps-1e3",
        ),
        pytest.param(
            AXOLOTL.format(extra="save_strategy: no"),
            "axolotl",
            [("Y003", 7, 16)],
            id="axolotl-save-strategy-no",
        ),
        pytest.param(
            AXOLOTL.format(extra='save_strategy: "no"'),
            "axolotl",
            [],
            id="axolotl-save-strategy-no_noop",
        ),
        pytest.param(
            AXOLOTL.format(extra='weight_decay: "0.01"'), "axolotl", [], id="pydantic-converts_noop"
        ),
        # TRL: TrlParser converts top-level floats, not ints from exponents, not dicts
        pytest.param(
            TRL.format(extra="max_steps: 1e3"), "trl", [("Y003", 5, 12)], id="trl-max-steps-1e3"
        ),
        pytest.param(
            TRL.format(extra="weight_decay: 1e-2"),
            "trl",
            [("Y003", 5, 15)],
            id="trl-weight-decay-1e-2",
        ),
        pytest.param(
            TRL.format(extra="lr_scheduler_kwargs:\n  min_lr: 1e-6"),
            "trl",
            [("Y003", 6, 11)],
            id="trl",
        ),
        pytest.param(
            TRL.format(extra="eval_strategy: no"),
            "trl",
            [("Y003", 5, 16)],
            id="trl-eval-strategy-no",
        ),
        pytest.param(
            TRL.format(extra="eval_strategy: steps\nweight_decay: 0.01"), "trl", [], id="trl_noop"
        ),
        pytest.param(AH_OLD, "trl", [("Y003", 5, 16)], id="ah-old-trl"),
        # LLaMA-Factory: OmegaConf floats; quoted numbers stay strings
        pytest.param(
            LLAMAFACTORY.format(extra="weight_decay: 1e-2"),
            "llamafactory",
            [("Y003", 6, 15)],
            id="llamafactory-weight-decay-1e-2",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra='weight_decay: "0.01"'),
            "llamafactory",
            [("Y003", 6, 15)],
            id="llamafactory-weight-decay-0.01",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="max_steps: 1e3"),
            "llamafactory",
            [("Y003", 6, 12)],
            id="llamafactory-max-steps-1e3",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="save_strategy: no"),
            "llamafactory",
            [("Y003", 6, 16)],
            id="llamafactory-save-strategy-no",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="save_strategy: steps\nweight_decay: 1.0e-2"),
            "llamafactory",
            [],
            id="llamafactory_noop",
        ),
        # torchtune and verl: OmegaConf floats; quoted numbers reach the code as text
        pytest.param(
            TORCHTUNE.format(extra='  weight_decay: "0.01"'),
            "torchtune",
            [("Y003", 8, 17)],
            id="torchtune-weight-decay-0.01",
        ),
        pytest.param(
            TORCHTUNE.format(extra="  weight_decay: 1e-2"),
            "torchtune",
            [],
            id="torchtune-weight-decay-1e-2_noop",
        ),
        pytest.param(
            TORCHTUNE.format(extra="max_steps_per_epoch: 1e3"),
            "torchtune",
            [("Y003", 8, 22)],
            id="torchtune-max-steps-per-epoch-1e3",
        ),
        pytest.param(
            VERL.format(extra='      weight_decay: "0.01"'),
            "verl",
            [("Y003", 7, 21)],
            id="verl-weight-decay-0.01",
        ),
        pytest.param(
            VERL.format(extra="      weight_decay: 1e-2"),
            "verl",
            [],
            id="verl-weight-decay-1e-2_noop",
        ),
        # plain: no framework reads it
        pytest.param(
            PLAIN.format(extra="weight_decay: 1e-2"), "plain", [], id="plain-weight-decay-1e-2_noop"
        ),
    ],
)
def test_y003(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "Y003") == expected


@pytest.mark.parametrize(
    ("text", "dialect", "severity"),
    [
        pytest.param(
            AXOLOTL.format(extra="lr_scheduler_kwargs:\n  min_lr: 1e-6"),
            "axolotl",
            Severity.ERROR,
            id="axolotl-error",
        ),
        pytest.param(
            TRL.format(extra="weight_decay: 1e-2"),
            "trl",
            Severity.INFO,
            id="trl-weight-decay-1e-2-info",
        ),
        pytest.param(AH_OLD, "trl", Severity.ERROR, id="ah-old-trl-error"),
        pytest.param(
            LLAMAFACTORY.format(extra="weight_decay: 1e-2"),
            "llamafactory",
            Severity.INFO,
            id="llamafactory-weight-decay-1e-2-info",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="max_steps: 1e3"),
            "llamafactory",
            Severity.WARNING,
            id="llamafactory-max-steps-1e3-warning",
        ),
        pytest.param(
            VERL.format(extra='      weight_decay: "0.01"'),
            "verl",
            Severity.WARNING,
            id="verl-weight-decay-0.01-warning",
        ),
        pytest.param(
            TRL.format(extra="report_to: no"),
            "trl",
            Severity.WARNING,
            id="trl-report-to-no-warning",
        ),
    ],
)
def test_y003_severity(text: str, dialect: str, severity: Severity) -> None:
    (finding,) = [f for f in run(text, dialect) if f.code == "Y003"]
    assert finding.severity is severity


def test_y003_messages() -> None:
    text = AXOLOTL.format(extra="lr_scheduler_kwargs:\n  min_lr: 1e-6")
    (finding,) = [f for f in run(text, "axolotl") if f.code == "Y003"]
    assert finding.message == (
        "lr_scheduler_kwargs.min_lr: 1e-6 stays the string '1e-6': PyYAML reads a number"
        " without a dot and a signed exponent as text, and axolotl does not convert values"
        " inside the free-form dict lr_scheduler_kwargs; write 1.0e-6"
    )
    (boolean,) = [f for f in run(AXOLOTL.format(extra="save_strategy: no")) if f.code == "Y003"]
    assert boolean.message == (
        "save_strategy: no is the boolean False under YAML 1.1, not the text 'no': axolotl"
        ' refuses a boolean for a text field (ValidationError); quote it: "no"'
    )
    assert finding.source == (
        "PyYAML 6.0.2 yaml/resolver.py:177 (a float needs a dot and a signed exponent);"
        " axolotl 0.21.0 axolotl/cli/config.py:248 (yaml.safe_load),"
        " axolotl/utils/config/__init__.py:604 (pydantic AxolotlInputConfig)"
    )
    # the finding spans exactly the scalar (a later autofix replaces these characters)
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (8, 11, 8, 15)


AX_LIST_MODEL = AXOLOTL.format(extra="").replace(
    "base_model: meta-llama/Llama-3.1-8B-Instruct", "base_model: [a/b, c/d]"
)


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(AX_LIST_MODEL, "axolotl", [("Y003", 1, 13)], id="axolotl-model-list"),
        pytest.param(
            AXOLOTL.format(extra="").replace("learning_rate: 2.0e-4", "learning_rate: [1]"),
            "axolotl",
            [("Y003", 6, 16)],
            id="axolotl-lr-list",
        ),
        pytest.param(
            AXOLOTL.format(extra="").replace("micro_batch_size: 4", "micro_batch_size:\n  a: 1"),
            "axolotl",
            [("Y003", 5, 3)],
            id="axolotl-int-mapping",
        ),
        pytest.param(
            TRL.format(extra="").replace("learning_rate: 2.0e-4", "learning_rate:\n  - 1"),
            "trl",
            [("Y003", 5, 3)],
            id="trl-block-list",
        ),
        pytest.param(
            VERL.format(extra="      lr_warmup_steps_ratio: [0.1]"),
            "verl",
            [("Y003", 7, 30)],
            id="verl-nested",
        ),
        pytest.param(  # a list for a text field is often fine (PEFT's target_modules)
            TRL.format(extra="lora_target_modules: [q_proj, v_proj]"), "trl", [], id="text-noop"
        ),
        pytest.param(
            PLAIN.format(extra="").replace("learning_rate: 2.0e-4", "learning_rate: [1]"),
            "plain",
            [],
            id="plain-noop",
        ),
    ],
)
def test_y003_list_or_mapping_for_one_value(
    text: str, dialect: str, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run(text, dialect), "Y003") == expected


def test_y003_list_message_and_severity() -> None:
    (finding,) = [f for f in run(AX_LIST_MODEL, "axolotl") if f.code == "Y003"]
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "base_model is a list, but it takes one value (text): axolotl's pydantic model refuses"
        " the config (ValidationError); write the one value meant"
    )
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (1, 13, 1, 23)


def _messages(text: str, dialect: str, pins: dict[str, str] | None = None) -> list[str]:
    return [f.message for f in run(text, dialect, pins=pins) if f.code == "Y003"]


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(  # transformers' own Enum field: its __post_init__ raises
            TRL.format(extra="save_strategy: no"),
            "trl",
            "save_strategy: no is the boolean False under YAML 1.1, not the text 'no':"
            " transformers raises on it ('False is not a valid SaveStrategy'); quote it: \"no\"",
            id="trl-transformers-enum",
        ),
        pytest.param(  # a Literal of LLaMA-Factory's: the values, no Enum to name
            LLAMAFACTORY.format(extra="").replace("finetuning_type: lora", "finetuning_type: no"),
            "llamafactory",
            "finetuning_type: no is the boolean False under YAML 1.1, not the text 'no': it is"
            ' none of the values the field takes (lora, oft, freeze, full); quote it: "no"',
            id="llamafactory-literal",
        ),
        pytest.param(  # torchtune types no component argument: the dialect reads it as a number
            TORCHTUNE.format(extra='  weight_decay: "0.01"'),
            "torchtune",
            "optimizer.weight_decay: \"0.01\" is quoted, so it stays the string '0.01': torchtune"
            " passes it unconverted to the recipe or component; remove the quotes",
            id="torchtune-component-argument",
        ),
    ],
)
def test_y003_words_follow_the_field(text: str, dialect: str, expected: str) -> None:
    assert _messages(text, dialect) == [expected]


@pytest.mark.parametrize(
    ("pins", "expected"),
    [
        pytest.param(None, [], id="newest-noop"),  # gone in trl 0.20.0: K002's to report
        pytest.param({"trl": "==0.19.1"}, [("Y003", 5, 17)], id="pinned-release-has-it"),
    ],
)
def test_y003_types_come_from_the_allowed_releases(
    pins: dict[str, str] | None, expected: list[tuple[str, int, int]]
) -> None:
    text = TRL.format(extra="max_seq_length: 2e3")
    assert triples(run(text, "trl", pins=pins), "Y003") == expected


def test_y003_reads_the_repositorys_own_field_types() -> None:
    text = TRL.format(extra="reward_kwargs:\n  scale: 1e-2")
    local = (LocalField("reward_kwargs", "ScriptArguments", "train.py", 3, "dict[str, float]"),)
    project = NoProject(local_fields=local)
    options = Options(dialect="trl", project=lambda _: project)
    findings = check_source(decode(text.encode(), "t.yaml"), options)
    assert triples(findings, "Y003") == [("Y003", 6, 10)]
    assert triples(run(text, "trl"), "Y003") == []  # not a key of TRL: K001's


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(  # pydantic refuses a list for a boolean
            AXOLOTL.format(extra="bf16: [true]"), "axolotl", [("Y003", 7, 7)], id="axolotl-bool"
        ),
        pytest.param(  # TrlParser keeps a list default as it is: it tests true
            TRL.format(extra="bf16: [true]"), "trl", [], id="trl-bool-noop"
        ),
        pytest.param(  # a recipe's cfg.get("stop_token_ids", False) is no boolean type
            TORCHTUNE.format(extra="stop_token_ids: [2]"), "torchtune", [], id="torchtune-noop"
        ),
    ],
)
def test_y003_list_for_a_boolean(
    text: str, dialect: str, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run(text, dialect), "Y003") == expected
