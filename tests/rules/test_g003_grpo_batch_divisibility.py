"""G003: GRPO batch shapes the framework rejects at startup."""

from __future__ import annotations

import pytest

from cfgguard.check import Options, check_source
from cfgguard.findings import Finding
from cfgguard.rules.base import Settings
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
        (ax(2, 3, 4), "axolotl", None, [("G003", 7, 20)]),
        (ax(2, 2, 4), "axolotl", None, []),
        (ax(1, 4, 4), "axolotl", 4, [("G003", 7, 20)]),  # 4 GPUs need 16 completions
        (ax(1, 16, 4), "axolotl", 4, []),
        (ax(2, 3, 4, rl="dpo"), "axolotl", None, []),  # not GRPO
        (ax(2, 3, 1), "axolotl", None, []),  # num_generations < 2: G001's
        # gdpo: no parse-time check; TRL's default shape on 1 GPU (a hint, not certain)
        (ax(2, 3, 4, rl="gdpo"), "axolotl", None, [("G003", 7, 20)]),
        (ax(2, 3, 4, rl="gdpo"), "axolotl", 2, []),
        # TRL: per_device x world x accumulation must hold whole groups
        (trl(8, 4), "trl", None, [("G003", 2, 18)]),  # hint: fine on 2 GPUs
        (trl(8, 4), "trl", 2, []),
        (trl(8, 4), "trl", 3, [("G003", 2, 18)]),
        (trl(8, 4, "gradient_accumulation_steps: 2\n"), "trl", None, []),
        (trl(8, 16), "trl", None, []),
        (trl(8, 4, "generation_batch_size: 12\n"), "trl", None, [("G003", 4, 24)]),
        (trl(8, 16, "generation_batch_size: 24\n"), "trl", None, [("G003", 4, 24)]),
        (trl(8, 4, "generation_batch_size: 32\n"), "trl", None, []),
        (trl(8, 4, "generation_batch_size: 16\nsteps_per_generation: 4\n"), "trl", None,
         [("G003", 4, 24)]),
        # evaluation: per_device_eval_batch_size x world must hold whole groups
        (trl(8, 8, "eval_strategy: steps\nper_device_eval_batch_size: 4\n"), "trl", 1,
         [("G003", 5, 29)]),
        (trl(8, 8, "eval_strategy: steps\nper_device_eval_batch_size: 4\n"), "trl", 2, []),
        # verl: (train x n) % GPUs, train >= mini, normalised mini % micro
        (verl(), "verl", None, []),
        (verl(train=100, n=5, mini=20, micro=1), "verl", None, [("G003", 12, 21)]),
        (verl(train=16, mini=32), "verl", None, [("G003", 5, 26)]),
        (verl(micro=3), "verl", None, [("G003", 6, 35)]),  # 32 x 4 / 8 = 16 per GPU
        (verl(mini=1, n=4, gpus=8), "verl", None, [("G003", 5, 26)]),  # 4 // 8 = 0
        (verl(micro=3, est="gae"), "verl", None, []),  # PPO: not this rule's
        ("defaults:\n  - ppo_megatron_trainer\n" + verl(micro=3), "verl", None, []),
    ],
)  # fmt: skip
def test_g003(
    text: str, dialect: str, devices: int | None, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run_with(text, dialect, devices), "G003") == expected


@pytest.mark.parametrize(
    ("text", "dialect", "devices", "severity"),
    [
        (ax(2, 3, 4), "axolotl", None, "error"),
        (trl(8, 4), "trl", None, "info"),  # may pass on more GPUs
        (trl(8, 4), "trl", 3, "error"),
        (trl(8, 4, "generation_batch_size: 12\n"), "trl", None, "error"),
        (verl(micro=3), "verl", None, "error"),  # GPUs stated in the file
        (verl(micro=3, gpus=0), "verl", None, "warning"),  # verl's default 8 GPUs
        (verl(micro=3, gpus=0), "verl", 8, "error"),
        (verl(train=16, mini=32, gpus=0), "verl", None, "error"),  # no GPU count involved
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
