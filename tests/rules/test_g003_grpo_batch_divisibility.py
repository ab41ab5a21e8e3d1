"""G003: GRPO batch shapes the framework rejects at startup."""

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


def g003(text: str, dialect: str, devices: int | None = None) -> list[Finding]:
    return [f for f in run_with(text, dialect, devices) if f.code == "G003"]


AXOLOTL = """\
base_model: Qwen/Qwen2.5-7B-Instruct
rl: {rl}
micro_batch_size: {micro}
gradient_accumulation_steps: {accum}
learning_rate: 1e-5
trl:
  num_generations: {n}
"""

TRL = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
num_generations: {n}
per_device_train_batch_size: {micro}
{extra}"""

VERL = """\
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-7B-Instruct
  actor:
    ppo_mini_batch_size: {mini}
    ppo_micro_batch_size_per_gpu: {micro}
  rollout:
    n: {n}
algorithm:
  adv_estimator: {est}
data:
  train_batch_size: {train}
{trainer}"""


def ax(micro: int, accum: int, n: int, rl: str = "grpo") -> str:
    return AXOLOTL.format(rl=rl, micro=micro, accum=accum, n=n)


def trl(n: int, micro: int, extra: str = "") -> str:
    return TRL.format(n=n, micro=micro, extra=extra)


def verl(
    train: int = 64, mini: int = 32, micro: int = 4, n: int = 4, est: str = "grpo", gpus: int = 8
) -> str:
    trainer = f"trainer:\n  n_gpus_per_node: {gpus}\n" if gpus else ""
    return VERL.format(train=train, mini=mini, micro=micro, n=n, est=est, trainer=trainer)


@pytest.mark.parametrize(
    ("text", "dialect", "devices", "expected"),
    [
        # axolotl checks micro x accumulation at parse time, whatever the GPU count
        pytest.param(
            ax(2, 3, 4), "axolotl", None, [("G003", 7, 20)], id="ax-2-3-4-axolotl-devices=none"
        ),
        pytest.param(ax(2, 2, 4), "axolotl", None, [], id="ax-2-2-4-axolotl-devices=none_noop"),
        pytest.param(ax(1, 4, 4), "axolotl", 4, [("G003", 7, 20)], id="4-gpus-need-16-completions"),
        pytest.param(ax(1, 16, 4), "axolotl", 4, [], id="ax-1-16-4-axolotl-devices=4_noop"),
        pytest.param(ax(2, 3, 4, rl="dpo"), "axolotl", None, [], id="not-grpo_noop"),
        pytest.param(ax(2, 3, 1), "axolotl", None, [], id="num-generations-2-g001-s_noop"),
        # gdpo: no parse-time check; TRL's default shape on 1 GPU (a hint, not certain)
        pytest.param(
            ax(2, 3, 4, rl="gdpo"),
            "axolotl",
            None,
            [("G003", 7, 20)],
            id="ax-2-3-4-gdpo-axolotl-devices=none",
        ),
        pytest.param(
            ax(2, 3, 4, rl="gdpo"), "axolotl", 2, [], id="ax-2-3-4-gdpo-axolotl-devices=2_noop"
        ),
        # TRL: per_device x world x accumulation must hold whole groups
        pytest.param(trl(8, 4), "trl", None, [("G003", 2, 18)], id="hint-fine-on-2-gpus"),
        pytest.param(trl(8, 4), "trl", 2, [], id="trl-8-4-devices=2_noop"),
        pytest.param(trl(8, 4), "trl", 3, [("G003", 2, 18)], id="trl-8-4-devices=3"),
        pytest.param(
            trl(8, 4, "gradient_accumulation_steps: 2\n"),
            "trl",
            None,
            [],
            id="trl-8-4-devices=none_noop",
        ),
        pytest.param(trl(8, 16), "trl", None, [], id="trl-8-16-devices=none_noop"),
        pytest.param(
            trl(8, 4, "generation_batch_size: 12\n"),
            "trl",
            None,
            [("G003", 4, 24)],
            id="trl-8-4-generation-batch-size-12-devices=none",
        ),
        pytest.param(
            trl(8, 16, "generation_batch_size: 24\n"),
            "trl",
            None,
            [("G003", 4, 24)],
            id="trl-8-16-generation-batch-size-24-devices=none",
        ),
        pytest.param(
            trl(8, 4, "generation_batch_size: 32\n"),
            "trl",
            None,
            [],
            id="trl-8-4-generation-batch-size-32-devices=none_noop",
        ),
        pytest.param(
            trl(8, 4, "generation_batch_size: 16\nsteps_per_generation: 4\n"),
            "trl",
            None,
            [("G003", 4, 24)],
            id="trl-8-4-devices=none",
        ),
        # evaluation: per_device_eval_batch_size x world must hold whole groups
        pytest.param(
            trl(8, 8, "eval_strategy: steps\nper_device_eval_batch_size: 4\n"),
            "trl",
            1,
            [("G003", 5, 29)],
            id="trl-8-8-devices=1",
        ),
        pytest.param(
            trl(8, 8, "eval_strategy: steps\nper_device_eval_batch_size: 4\n"),
            "trl",
            2,
            [],
            id="trl-8-8-devices=2_noop",
        ),
        # verl: (train x n) % GPUs, train >= mini, normalised mini % micro
        pytest.param(verl(), "verl", None, [], id="verl-devices=none_noop"),
        pytest.param(
            verl(train=100, n=5, mini=20, micro=1),
            "verl",
            None,
            [("G003", 12, 21)],
            id="verl-100-5-20-1-devices=none",
        ),
        pytest.param(
            verl(train=16, mini=32), "verl", None, [("G003", 5, 26)], id="verl-16-32-devices=none"
        ),
        pytest.param(verl(micro=3), "verl", None, [("G003", 6, 35)], id="32-x-4-8-16-per-gpu"),
        pytest.param(verl(mini=1, n=4, gpus=8), "verl", None, [("G003", 5, 26)], id="4-8-0"),
        pytest.param(verl(micro=3, est="gae"), "verl", None, [], id="ppo-not-this-rule-s_noop"),
        pytest.param(
            "defaults:\n  - ppo_megatron_trainer\n" + verl(micro=3),
            "verl",
            None,
            [],
            id="verl-3-devices=none_noop",
        ),
    ],
)
def test_g003(
    text: str, dialect: str, devices: int | None, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run_with(text, dialect, devices), "G003") == expected


@pytest.mark.parametrize(
    ("text", "dialect", "devices", "severity"),
    [
        pytest.param(
            ax(2, 3, 4), "axolotl", None, "error", id="ax-2-3-4-axolotl-devices=none-severity=error"
        ),
        pytest.param(trl(8, 4), "trl", None, "info", id="may-pass-on-more-gpus"),
        pytest.param(trl(8, 4), "trl", 3, "error", id="trl-8-4-devices=3-severity=error"),
        pytest.param(
            trl(8, 4, "generation_batch_size: 12\n"),
            "trl",
            None,
            "error",
            id="trl-8-4-generation-batch-size-12-devices=none-severity=error",
        ),
        pytest.param(verl(micro=3), "verl", None, "error", id="gpus-stated-in-the-file"),
        pytest.param(verl(micro=3, gpus=0), "verl", None, "warning", id="verl-s-default-8-gpus"),
        pytest.param(
            verl(micro=3, gpus=0), "verl", 8, "error", id="verl-3-0-devices=8-severity=error"
        ),
        pytest.param(
            verl(train=16, mini=32, gpus=0), "verl", None, "error", id="no-gpu-count-involved"
        ),
    ],
)
def test_g003_severity(text: str, dialect: str, devices: int | None, severity: str) -> None:
    (finding,) = g003(text, dialect, devices)
    assert finding.severity.label == severity


def test_g003_message_axolotl() -> None:
    (finding,) = g003(ax(2, 3, 4), "axolotl")
    assert finding.message == (
        "generation batch 6 (micro_batch_size 2 x gradient_accumulation_steps 3) is not"
        " divisible by trl.num_generations 4: not whole prompt groups on any number of GPUs;"
        " axolotl rejects the config at parse time"
        " (axolotl 0.20.0 src/axolotl/utils/schemas/validation.py:1025)"
    )


def test_g003_message_trl_hint() -> None:
    (finding,) = g003(trl(8, 4), "trl")
    assert finding.message == (
        "generation batch 4 (per_device_train_batch_size 4 x 1 GPUs (devices not stated:"
        " assumed 1; pass --devices) x steps_per_generation = gradient_accumulation_steps 1)"
        " is not divisible by num_generations 8: TRL raises ValueError on 1 GPU and starts"
        " only on a multiple of 2 GPUs; pass --devices to check exactly"
        " (trl 1.16.0 trl/trainer/grpo_config.py:1098-1135)"
    )
