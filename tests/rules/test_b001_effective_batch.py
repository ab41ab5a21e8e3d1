"""B001: effective batch outside the method's recommended range."""

from __future__ import annotations

import pytest

from cfgguard.check import Options, check_source
from cfgguard.derived.context import Settings
from cfgguard.findings import Finding
from cfgguard.source import decode
from tests.conftest import triples


def run_with(text: str, dialect: str, devices: int | None = None) -> list[Finding]:
    options = Options(dialect=dialect, settings=Settings(devices=devices))
    return check_source(decode(text.encode(), "t.yaml"), options)


AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: 16
micro_batch_size: {micro}
gradient_accumulation_steps: {accum}
num_epochs: 1
"""

TRL_DPO = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
beta: 0.1
per_device_train_batch_size: {micro}
gradient_accumulation_steps: {accum}
"""

TRL_GRPO = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
num_generations: {n}
per_device_train_batch_size: {micro}
gradient_accumulation_steps: {accum}
"""

VERL_GRPO = """\
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-7B-Instruct
  actor:
    ppo_mini_batch_size: {mini}
  rollout:
    n: 8
algorithm:
  adv_estimator: grpo
data:
  train_batch_size: 64
"""

PLAIN = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 16
{extra}batch_size: {batch}
"""

LLAMAFACTORY_PT = """\
model_name_or_path: Qwen/Qwen2.5-7B
stage: pt
do_train: true
dataset: c4_demo
template: default
per_device_train_batch_size: 64
gradient_accumulation_steps: 8
"""


@pytest.mark.parametrize(
    ("text", "dialect", "devices", "expected"),
    [
        # axolotl SFT: 16 x 16 = 256 on one device already, more devices only grow it;
        # above the row is reported beyond twice its top (64): 128 is not
        pytest.param(
            AXOLOTL.format(micro=16, accum=16),
            "axolotl",
            None,
            [("B001", 4, 19)],
            id="axolotl-16-16-devices=none",
        ),
        pytest.param(
            AXOLOTL.format(micro=16, accum=8),
            "axolotl",
            None,
            [],
            id="axolotl-16-8-devices=none_noop",
        ),
        pytest.param(
            AXOLOTL.format(micro=2, accum=8),
            "axolotl",
            None,
            [],
            id="axolotl-2-8-devices=none_noop",
        ),
        # 1 x 2 = 2: too small on one GPU, but the device count is not stated
        pytest.param(
            AXOLOTL.format(micro=1, accum=2),
            "axolotl",
            None,
            [],
            id="axolotl-1-2-devices=none_noop",
        ),
        pytest.param(
            AXOLOTL.format(micro=1, accum=2),
            "axolotl",
            4,
            [("B001", 4, 19)],
            id="axolotl-1-2-devices=4",
        ),
        pytest.param(
            AXOLOTL.format(micro=1, accum=2), "axolotl", 16, [], id="axolotl-1-2-devices=16_noop"
        ),
        # TRL DPO: pairs, 8..32
        pytest.param(
            TRL_DPO.format(micro=8, accum=16),
            "trl",
            None,
            [("B001", 3, 30)],
            id="trl-dpo-8-16-devices=none",
        ),
        pytest.param(
            TRL_DPO.format(micro=8, accum=8), "trl", None, [], id="64-pairs-not-too-large_noop"
        ),
        pytest.param(
            TRL_DPO.format(micro=4, accum=4), "trl", None, [], id="trl-dpo-4-4-devices=none_noop"
        ),
        pytest.param(
            TRL_DPO.format(micro=1, accum=1),
            "trl",
            2,
            [("B001", 3, 30)],
            id="trl-dpo-1-1-devices=2",
        ),
        # TRL GRPO: 16 x 16 = 256 completions / 4 = 64 prompts, 4x the top of 4..16
        pytest.param(
            TRL_GRPO.format(n=4, micro=16, accum=16),
            "trl",
            None,
            [("B001", 3, 30)],
            id="trl-grpo-4-16-16-devices=none",
        ),
        pytest.param(
            TRL_GRPO.format(n=4, micro=16, accum=8), "trl", None, [], id="32-prompts-2x_noop"
        ),
        pytest.param(TRL_GRPO.format(n=8, micro=8, accum=4), "trl", None, [], id="4-prompts_noop"),
        pytest.param(
            TRL_GRPO.format(n=8, micro=8, accum=1), "trl", 2, [("B001", 3, 30)], id="2-prompts"
        ),
        # verl GRPO: the mini-batch (prompts per update) is compared
        pytest.param(
            VERL_GRPO.format(mini=8), "verl", None, [], id="verl-grpo-8-devices=none_noop"
        ),
        pytest.param(
            VERL_GRPO.format(mini=64),
            "verl",
            None,
            [("B001", 5, 26)],
            id="verl-grpo-64-devices=none",
        ),
        # plain: batch_size is the whole step
        pytest.param(
            PLAIN.format(extra="", batch=256),
            "plain",
            None,
            [("B001", 3, 13)],
            id="plain-none-256-devices=none",
        ),
        pytest.param(
            PLAIN.format(extra="", batch=128),
            "plain",
            None,
            [],
            id="plain-none-128-devices=none_noop",
        ),
        pytest.param(
            PLAIN.format(extra="", batch=16),
            "plain",
            None,
            [],
            id="plain-none-16-devices=none_noop",
        ),
        pytest.param(
            PLAIN.format(extra="", batch=8),
            "plain",
            None,
            [("B001", 3, 13)],
            id="plain-none-8-devices=none",
        ),
        pytest.param(
            PLAIN.format(extra="group_size: 8\n", batch=4),
            "plain",
            None,
            [],
            id="plain-group-size-8-4-devices=none_noop",
        ),
        pytest.param(LLAMAFACTORY_PT, "llamafactory", None, [], id="pretraining-no-row_noop"),
    ],
)
def test_b001(
    text: str, dialect: str, devices: int | None, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run_with(text, dialect, devices), "B001") == expected


def test_b001_message_says_devices_were_assumed() -> None:
    (finding,) = [
        f for f in run_with(AXOLOTL.format(micro=16, accum=16), "axolotl") if f.code == "B001"
    ]
    assert finding.message == (
        "effective batch 256 sequences (micro 16 x accumulation 16 x devices 1 (assumed: not"
        " stated)) is 4x the top of the SFT range 16..64: few optimizer updates per epoch; devices"
        " not stated: assumed 1; pass --devices (more only raise it)"
        " (Batch Sizes / Recommendations: SFT)"
    )
    assert finding.severity.label == "info"
    assert finding.source == "Batch Sizes / Recommendations: SFT"


def test_b001_message_counts_grpo_prompts() -> None:
    text = TRL_GRPO.format(n=4, micro=16, accum=16)
    (finding,) = [f for f in run_with(text, "trl") if f.code == "B001"]
    assert finding.message.startswith(
        "effective batch 64 prompts (micro 16 x accumulation 16 x devices 1 (assumed: not"
        " stated) = 256 completions / num_generations 4) is 4x the top of the GRPO range 4..16"
    )
