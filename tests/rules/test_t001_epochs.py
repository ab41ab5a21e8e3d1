"""T001: epochs outside the range for the dataset's size."""

from __future__ import annotations

import pytest

from cfgguard.check import Options, check_source
from cfgguard.derived.context import Settings
from cfgguard.findings import Finding
from cfgguard.source import decode
from tests.conftest import triples


def run_with(text: str, dialect: str, dataset_size: int | None = None) -> list[Finding]:
    options = Options(dialect=dialect, settings=Settings(dataset_size=dataset_size))
    return check_source(decode(text.encode(), "t.yaml"), options)


LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: sft
do_train: true
finetuning_type: lora
dataset: {dataset}
template: qwen
max_samples: {cap}
per_device_train_batch_size: 2
gradient_accumulation_steps: 8
num_train_epochs: {epochs}
"""

TRL = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
dataset_name: trl-lib/Capybara
per_device_train_batch_size: 2
{epochs}"""

AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
{rl}adapter: lora
lora_r: 16
micro_batch_size: 2
gradient_accumulation_steps: 4
num_epochs: {epochs}
learning_rate: 2e-4
"""

TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
  lora_attn_modules: [q_proj, v_proj]
batch_size: 2
gradient_accumulation_steps: 8
epochs: 5
max_steps_per_epoch: {cap}
"""


def lf(epochs: str, cap: int = 1000, dataset: str = "alpaca_en_demo") -> str:
    return LLAMAFACTORY.format(epochs=epochs, cap=cap, dataset=dataset)


@pytest.mark.parametrize(
    ("text", "dialect", "size", "expected"),
    [
        # LLaMA-Factory: max_samples caps the set at 1000 examples: 1-3 epochs
        pytest.param(
            lf("8.0"), "llamafactory", None, [("T001", 10, 19)], id="lf-8.0-llamafactory-size=none"
        ),
        pytest.param(lf("3.0"), "llamafactory", None, [], id="lf-3.0-llamafactory-size=none_noop"),
        # two datasets: at most 2000 examples, still <10K; 0.5 epochs is too few for any size
        pytest.param(
            lf("0.5", dataset="identity,alpaca_en_demo"),
            "llamafactory",
            None,
            [("T001", 10, 19)],
            id="lf-0.5-identity-alpaca-en-demo-llamafactory-size=none",
        ),
        # a cap of 20000: the set may be under 10K, where 3 epochs are fine
        pytest.param(
            lf("3.0", cap=20000),
            "llamafactory",
            None,
            [],
            id="lf-3.0-20000-llamafactory-size=none_noop",
        ),
        # a declared size under the cap is exact: 3 epochs on 20000 examples is above 1-2
        pytest.param(
            lf("3.0", cap=20000),
            "llamafactory",
            20000,
            [("T001", 10, 19)],
            id="lf-3.0-20000-llamafactory-size=20000",
        ),
        # a declared size above the cap is truncated to it (a bound again)
        pytest.param(
            lf("3.0"), "llamafactory", 500000, [], id="lf-3.0-llamafactory-size=500000_noop"
        ),
        pytest.param(
            lf("3.0") + "max_steps: 500\n", "llamafactory", None, [], id="steps-not-epochs_noop"
        ),
        # TRL: size declared in cfgguard's settings
        pytest.param(
            TRL.format(epochs="num_train_epochs: 3\n"),
            "trl",
            30000,
            [("T001", 4, 19)],
            id="trl-num-train-epochs-3-size=30000",
        ),
        pytest.param(
            TRL.format(epochs="num_train_epochs: 1\n"),
            "trl",
            30000,
            [],
            id="trl-num-train-epochs-1-size=30000_noop",
        ),
        pytest.param(
            TRL.format(epochs=""), "trl", 200000, [("T001", 1, 1)], id="default-3.0-epochs"
        ),
        pytest.param(
            TRL.format(epochs="num_train_epochs: 3\n"), "trl", None, [], id="size-unknown_noop"
        ),
        # axolotl
        pytest.param(
            AXOLOTL.format(rl="", epochs=1),
            "axolotl",
            60000,
            [],
            id="axolotl-none-1-size=60000_noop",
        ),
        pytest.param(
            AXOLOTL.format(rl="", epochs=0.25),
            "axolotl",
            5000,
            [("T001", 6, 13)],
            id="axolotl-none-0.25-size=5000",
        ),
        pytest.param(
            AXOLOTL.format(rl="rl: grpo\n", epochs=10), "axolotl", 5000, [], id="online-rl_noop"
        ),
        # torchtune: max_steps_per_epoch caps each epoch
        pytest.param(
            TORCHTUNE.format(cap="null"),
            "torchtune",
            5000,
            [("T001", 6, 9)],
            id="torchtune-null-size=5000",
        ),
        pytest.param(
            TORCHTUNE.format(cap=100), "torchtune", 5000, [], id="torchtune-100-size=5000_noop"
        ),
    ],
)
def test_t001(
    text: str, dialect: str, size: int | None, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run_with(text, dialect, size), "T001") == expected


def test_t001_message_for_a_cap() -> None:
    (finding,) = [f for f in run_with(lf("8.0", dataset="a,b"), "llamafactory") if f.code == "T001"]
    assert finding.message == (
        "num_train_epochs 8 is 2.7x the top of 1..3 epochs for a dataset of at most 2000 examples"
        " (max_samples 1000 x 2 datasets: a cap; the set may be smaller); extra passes"
        " overfit a set this size ('Overfitting: too many steps')"
        " (Training Duration / Steps vs Epochs: <10K)"
    )
    assert finding.severity.label == "info"
    assert finding.source == "Training Duration / Steps vs Epochs: <10K"


def test_t001_message_for_a_declared_size() -> None:
    text = TRL.format(epochs="num_train_epochs: 0.5\n")
    (finding,) = [f for f in run_with(text, "trl", 5000) if f.code == "T001"]
    assert finding.message == (
        "num_train_epochs 0.5 is below 1..3 epochs for a dataset of 5000 examples (declared in"
        " cfgguard's settings); part of a set this size is never seen"
        " (Training Duration / Steps vs Epochs: <10K)"
    )


@pytest.mark.parametrize(
    ("epochs", "size", "severity"),
    [
        # 750 epochs on 300 examples: 224,100 passes beyond the row, a cheap deliberate over-fit
        pytest.param("750", 300, "info", id="epochs=750-size=300-severity=info"),
        # 10 epochs on 200K examples: 10x the row's 1, 1.8M passes beyond it
        pytest.param("10", 200_000, "warning", id="epochs=10-size=200000-severity=warning"),
        # twice the row or more, but under 500,000 extra passes: info
        pytest.param("6", 5000, "info", id="epochs=6-size=5000-severity=info"),
        # more than 500,000 extra passes but under twice the row's top (60K set, row 1)
        pytest.param("1.5", 2_000_000, "info", id="epochs=1.5-size=2000000-severity=info"),
    ],
)
def test_t001_extreme_epochs_warn(epochs: str, size: int, severity: str) -> None:
    text = TRL.format(epochs=f"num_train_epochs: {epochs}\n")
    (finding,) = [f for f in run_with(text, "trl", size) if f.code == "T001"]
    assert (finding.code, finding.line, finding.column) == ("T001", 4, 19)
    assert finding.severity.label == severity


def test_t001_extreme_epochs_message() -> None:
    text = TRL.format(epochs="num_train_epochs: 10\n")
    (finding,) = [f for f in run_with(text, "trl", 200_000) if f.code == "T001"]
    assert finding.message.startswith(
        "num_train_epochs 10 is 10x the top of 0.5..1 epochs for a dataset of 200000 examples"
        " (declared in cfgguard's settings) (1800000 example passes beyond the row)"
    )


def test_t001_extreme_epochs_with_only_a_cap_stay_info() -> None:
    text = lf("40.0").replace("max_samples: 1000", "max_samples: 100000")
    (finding,) = [f for f in run_with(text, "llamafactory") if f.code == "T001"]
    assert finding.severity.label == "info"
