"""V001: verl validation files that are the training files."""

from __future__ import annotations

import pytest

from tests.conftest import run, triples

VERL = """\
algorithm:
  adv_estimator: grpo
data:
  train_files: {train}
  val_files: {val}
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-7B-Instruct
  rollout:
    n: 8
"""


@pytest.mark.parametrize(
    ("train", "val", "expected"),
    [
        pytest.param("~/data/gsm8k/train.parquet", "~/data/gsm8k/train.parquet",
                     [("V001", 5, 14)], id="same-file"),
        pytest.param("[a.parquet, b.parquet]", "[b.parquet, a.parquet]", [("V001", 5, 14)],
                     id="same-list-any-order"),
        pytest.param("~/data/gsm8k/train.parquet", "~/data/gsm8k/test.parquet", [],
                     id="held-out_noop"),
        pytest.param("[a.parquet, b.parquet]", "a.parquet", [], id="subset_noop"),
        pytest.param("~/data/train.parquet", "null", [], id="no-validation_noop"),
    ],
)  # fmt: skip
def test_v001(train: str, val: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(VERL.format(train=train, val=val), "verl"), "V001") == expected


def test_v001_message() -> None:
    text = VERL.format(train="~/d/train.parquet", val="~/d/train.parquet")
    (finding,) = [f for f in run(text, "verl") if f.code == "V001"]
    assert finding.severity.label == "warning"
    assert finding.message == (
        "data.val_files is data.train_files (~/d/train.parquet): every validation score"
        " measures examples the run trains on, so overfitting looks like progress"
        " (verl 0.9.1 verl/trainer/ppo/ray_trainer.py:378-393 (data.train_files,"
        " data.val_files))"
    )


def test_v001_other_dialects_noop() -> None:
    text = "model_name_or_path: m\ntrain_files: a\nval_files: a\nlearning_rate: 1e-5\n"
    assert triples(run(text, "trl"), "V001") == []
