"""``show`` and ``check`` (B001) count one batch: the same computation, the same number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cfgguard.cli import main
from tests.conftest import run

VERL_GRPO = """\
data:
  train_batch_size: 64
actor_rollout_ref:
  model:
    path: meta-llama/Llama-3.1-8B-Instruct
  actor:
    ppo_mini_batch_size: 64
    ppo_micro_batch_size_per_gpu: 4
  rollout:
    n: 8
algorithm:
  adv_estimator: grpo
trainer:
  n_gpus_per_node: 8
  nnodes: 1
"""


def test_verl_grpo_batch_is_the_mini_batch_in_show_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not micro 4 x 8 GPUs = 32: verl updates once per mini-batch of 64 prompts."""
    path = tmp_path / "verl.yaml"
    path.write_text(VERL_GRPO)
    assert main(["show", "--output-format", "json", str(path)]) == 0
    (obj,) = json.loads(capsys.readouterr().out)
    assert obj["fields"]["effective_batch_size"] == {
        "value": 64,
        "line": None,
        "column": None,
        "origin": "derived",
        "note": "actor_rollout_ref.actor.ppo_mini_batch_size 64 prompts per update",
    }
    (b001,) = [f for f in run(VERL_GRPO, "verl") if f.code == "B001"]
    assert b001.message.startswith("effective batch 64 prompts (")
