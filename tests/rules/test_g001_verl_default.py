"""G001 on verl: the default rollout.n (1) and a misspelt group-size key beside it."""

from __future__ import annotations

import pytest

from cfgguard.fix.apply import apply
from tests.conftest import run, triples

VERL = """\
algorithm:
  adv_estimator: {estimator}
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-7B-Instruct
  rollout:
    name: vllm
{rollout}trainer:
  total_training_steps: {steps}
"""


@pytest.mark.parametrize(
    ("estimator", "rollout", "steps", "expected"),
    [
        pytest.param("grpo", "", 500, [("G001", 7, 5)], id="n-left-at-1"),
        pytest.param("grpo", "    group_size: 8\n", 500, [("G001", 7, 5)], id="group-size-beside"),
        pytest.param("grpo", "    n: 8\n", 500, [], id="n-set_noop"),
        pytest.param("gae", "", 500, [], id="ppo-needs-no-group_noop"),
        pytest.param("grpo", "", 10, [], id="smoke-test_noop"),
    ],
)
def test_g001_verl(
    estimator: str, rollout: str, steps: int, expected: list[tuple[str, int, int]]
) -> None:
    text = VERL.format(estimator=estimator, rollout=rollout, steps=steps)
    assert triples(run(text, "verl"), "G001") == expected


def test_g001_verl_default_message_and_fix() -> None:
    text = VERL.format(estimator="grpo", rollout="    group_size: 8\n", steps=500)
    (finding,) = [f for f in run(text, "verl") if f.code == "G001"]
    assert finding.severity.label == "error"
    assert finding.message == (
        "no actor_rollout_ref.rollout.n: the default group size 1 applies"
        " (actor_rollout_ref.rollout.group_size: 8 is not a key verl reads), which is below 2:"
        " with one sample per prompt there is no group to compare: TRL and axolotl refuse it,"
        " verl uses the raw reward as the advantage (no group baseline)"
        " (GRPO Specific / Group Size)"
    )
    assert finding.fix is not None
    assert finding.fix.applicability == "unsafe"
    fixed = apply(text, [finding.fix])
    assert fixed == text.replace("    group_size: 8\n", "    n: 8\n")
    assert triples(run(fixed, "verl"), "G001") == []


def test_g001_verl_no_sibling_no_fix() -> None:
    text = VERL.format(estimator="grpo", rollout="", steps=500)
    (finding,) = [f for f in run(text, "verl") if f.code == "G001"]
    assert finding.fix is None
