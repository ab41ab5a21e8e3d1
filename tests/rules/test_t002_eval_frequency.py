"""T002: evaluation interval outside the range for the run's length."""

from __future__ import annotations

import pytest

from cfgguard.check import Options, check_source
from cfgguard.derived.context import Settings
from cfgguard.findings import Finding
from cfgguard.source import decode
from tests.conftest import run, triples


def run_with(text: str, dialect: str, **settings: int) -> list[Finding]:
    options = Options(dialect=dialect, settings=Settings(**settings))
    return check_source(decode(text.encode(), "t.yaml"), options)


TRL = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
dataset_name: trl-lib/Capybara
per_device_train_batch_size: 2
"""

LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: sft
do_train: true
dataset: alpaca_en_demo
template: qwen
val_size: 0.1
max_steps: 10000
eval_strategy: steps
eval_steps: {every}
"""

AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
micro_batch_size: 2
gradient_accumulation_steps: 4
val_set_size: {val}
max_steps: 5000
evals_per_epoch: {per}
"""

VERL = """\
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-7B-Instruct
algorithm:
  adv_estimator: grpo
trainer:
  total_training_steps: 500
  test_freq: {every}
"""

TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
  lora_attn_modules: [q_proj, v_proj]
dataset_val:
  _component_: torchtune.datasets.alpaca_cleaned_dataset
batch_size: 2
gradient_accumulation_steps: 8
epochs: 1
max_steps_per_epoch: 500
run_val_every_n_steps: {every}
"""


def trl(body: str) -> str:
    return TRL + body


@pytest.mark.parametrize(
    ("text", "dialect", "settings", "expected"),
    [
        # TRL: a 600-step run wants 50-100; 1000 is never reached
        pytest.param(
            trl("max_steps: 600\neval_strategy: steps\neval_steps: 1000\n"),
            "trl",
            {},
            [("T002", 6, 13)],
            id="trl",
        ),
        pytest.param(
            trl("max_steps: 600\neval_strategy: steps\neval_steps: 100\n"),
            "trl",
            {},
            [],
            id="trl_noop",
        ),
        # a ratio of the run: 0.01 x 3000 = 30 steps, below 100-500
        pytest.param(
            trl("max_steps: 3000\neval_strategy: steps\neval_steps: 0.01\n"),
            "trl",
            {},
            [("T002", 6, 13)],
            id="trl-2",
        ),
        pytest.param(
            trl("max_steps: 3000\neval_strategy: 'no'\neval_steps: 1\n"),
            "trl",
            {},
            [],
            id="trl-2_noop",
        ),
        pytest.param(
            trl("max_steps: 3000\neval_strategy: no\neval_steps: 1\n"),
            "trl",
            {},
            [],
            id="trl-3_noop",
        ),
        # no eval_steps: logging_steps, TRL's default 10
        pytest.param(
            trl("max_steps: 2000\neval_strategy: steps\n"), "trl", {}, [("T002", 5, 16)], id="trl-3"
        ),
        pytest.param(
            trl("max_steps: 2000\neval_strategy: steps\nlogging_steps: 200\n"),
            "trl",
            {},
            [],
            id="trl-4_noop",
        ),
        # length unknown (no max_steps, no dataset size)
        pytest.param(trl("eval_strategy: steps\neval_steps: 5\n"), "trl", {}, [], id="trl-5_noop"),
        # dataset declared, devices not: at most 3 x 8000 = 24000 steps (upper bound)
        pytest.param(
            trl("eval_strategy: steps\neval_steps: 5000\n"),
            "trl",
            {"dataset_size": 16000},
            [("T002", 5, 13)],
            id="trl-4",
        ),
        pytest.param(
            trl("eval_strategy: steps\neval_steps: 200\n"),
            "trl",
            {"dataset_size": 16000},
            [],
            id="trl-6_noop",
        ),
        pytest.param(
            trl("eval_strategy: steps\neval_steps: 20\n"),
            "trl",
            {"dataset_size": 16000},
            [("T002", 5, 13)],
            id="trl-5",
        ),
        # devices stated: exactly 3 x 1000 = 3000 steps, 200 is inside 100-500
        pytest.param(
            trl("eval_strategy: steps\neval_steps: 200\n"),
            "trl",
            {"dataset_size": 16000, "devices": 8},
            [],
            id="trl-7_noop",
        ),
        # eval once per epoch of 1000 steps: above 100-500
        pytest.param(
            trl("eval_strategy: epoch\n"),
            "trl",
            {"dataset_size": 16000, "devices": 8},
            [("T002", 4, 16)],
            id="trl-eval-strategy-epoch",
        ),
        # LLaMA-Factory: 10000 steps wants 500-1000
        pytest.param(
            LLAMAFACTORY.format(every=100),
            "llamafactory",
            {},
            [("T002", 9, 13)],
            id="llamafactory-100",
        ),
        pytest.param(
            LLAMAFACTORY.format(every=500), "llamafactory", {}, [], id="llamafactory-500_noop"
        ),
        # axolotl: evals_per_epoch 2 over 1 epoch is every 2500 of 5000 steps
        pytest.param(
            AXOLOTL.format(val=0.05, per=2), "axolotl", {}, [("T002", 6, 18)], id="axolotl-0.05-2"
        ),
        pytest.param(AXOLOTL.format(val=0.05, per=5), "axolotl", {}, [], id="every-1000_noop"),
        pytest.param(
            AXOLOTL.format(val=0, per=2), "axolotl", {}, [], id="no-eval-set-eval-is-off_noop"
        ),
        # verl: test_freq in trainer steps; -1 is off
        pytest.param(VERL.format(every=5), "verl", {}, [("T002", 8, 14)], id="verl-5"),
        pytest.param(VERL.format(every=50), "verl", {}, [], id="verl-50_noop"),
        pytest.param(VERL.format(every=-1), "verl", {}, [], id="verl-1_noop"),
        # torchtune: at most 500 steps; every 10 is below 50 for any shorter run too
        pytest.param(
            TORCHTUNE.format(every=10), "torchtune", {}, [("T002", 10, 24)], id="torchtune-10"
        ),
        pytest.param(TORCHTUNE.format(every=50), "torchtune", {}, [], id="torchtune-50_noop"),
        pytest.param(TORCHTUNE.format(every="null"), "torchtune", {}, [], id="torchtune-null_noop"),
    ],
)
def test_t002(
    text: str, dialect: str, settings: dict[str, int], expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run_with(text, dialect, **settings), "T002") == expected


def test_t002_message_never_reached() -> None:
    text = trl("max_steps: 600\neval_strategy: steps\neval_steps: 1000\n")
    (finding,) = [f for f in run_with(text, "trl") if f.code == "T002"]
    assert finding.message == (
        "evaluation every 1000 steps (eval_steps 1000) is above 50..100 for a run of 600 steps"
        " (max_steps 600); no evaluation runs during training"
        " (Training Duration / Eval Frequency: <1000)"
    )
    assert finding.severity.label == "info"
    assert finding.source == "Training Duration / Eval Frequency: <1000"


LLAMAFACTORY_CAPPED = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: sft
do_train: true
dataset: alpaca_en_demo
template: qwen
val_size: 0.1
max_samples: {cap}
per_device_train_batch_size: 1
num_train_epochs: 3
eval_strategy: steps
eval_steps: 5000
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # max_samples is a cap "for debugging purposes": no run length is derived from it
        pytest.param(LLAMAFACTORY_CAPPED.format(cap=1000), [], id="max-samples-cap_noop"),
        # max_steps states the length: 5000 between evaluations of a 500-step run
        pytest.param(
            LLAMAFACTORY_CAPPED.format(cap=1000) + "max_steps: 500\n",
            [("T002", 11, 13)],
            id="max-steps",
        ),
    ],
)
def test_t002_never_derives_a_length_from_a_cap(
    text: str, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run(text, "llamafactory"), "T002") == expected
