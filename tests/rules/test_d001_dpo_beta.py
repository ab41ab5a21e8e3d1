from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.rules.conftest import LLAMA8, codes, only

PLAIN_DPO = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 16
lora_alpha: 16
beta: {beta}
learning_rate: 1e-5
batch_size: 8
num_steps: 3000
"""

AXOLOTL = """\
base_model: {model}
rl: {rl}
trl:
  beta: {beta}
adapter: lora
lora_r: 16
lora_alpha: 16
lora_target_linear: true
micro_batch_size: 2
gradient_accumulation_steps: 4
sequence_len: 2048
num_epochs: 1
learning_rate: 1e-5
datasets:
  - path: org/prefs
    type: chatml.intel
"""


@pytest.mark.parametrize(
    ("beta", "expected", "severity"),
    [
        pytest.param("0.1", [], None, id="beta=0.1-severity=none_noop"),
        pytest.param("0.2", [], None, id="beta=0.2-severity=none_noop"),
        pytest.param("0.3", [], None, id="beta=0.3-severity=none_noop"),
        pytest.param("0.05", [("D001", 4, 7)], Severity.INFO, id="beta=0.05-info"),
        pytest.param("0.01", [("D001", 4, 7)], Severity.INFO, id="beta=0.01-info"),
        pytest.param("0.5", [("D001", 4, 7)], Severity.INFO, id="beta=0.5-info"),
        pytest.param("1.0", [("D001", 4, 7)], Severity.INFO, id="beta=1.0-info"),
        pytest.param("0.005", [("D001", 4, 7)], Severity.WARNING, id="beta=0.005-warning"),
        pytest.param("2.0", [("D001", 4, 7)], Severity.WARNING, id="beta=2.0-warning"),
    ],
)
def test_d001_plain(
    beta: str, expected: list[tuple[str, int, int]], severity: Severity | None
) -> None:
    text = PLAIN_DPO.format(beta=beta)
    assert codes(text, "plain", "D001") == expected
    if severity is not None:
        assert only(text, "plain", "D001").severity == severity


@pytest.mark.parametrize(
    ("rl", "beta", "expected"),
    [
        pytest.param("dpo", "0.01", [("D001", 4, 9)], id="dpo-beta=0.01"),
        pytest.param("dpo", "0.1", [], id="dpo-beta=0.1_noop"),
        pytest.param("kto", "3.0", [("D001", 4, 9)], id="kto-beta=3.0"),
        pytest.param(
            "orpo", "3.0", [], id="orpo-s-beta-is-a-loss-orpo-beta=3.0_noop"
        ),  # ORPO's beta is a loss weight, not the KL coefficient
        pytest.param("simpo", "2.5", [], id="simpo-s-beta-is-a-reward-scale_noop"),
    ],
)
def test_d001_axolotl(rl: str, beta: str, expected: list[tuple[str, int, int]]) -> None:
    assert codes(AXOLOTL.format(model=LLAMA8, rl=rl, beta=beta), "axolotl", "D001") == expected


@pytest.mark.parametrize(
    ("beta", "message"),
    [
        pytest.param(
            "0.03",
            "DPO beta 0.03 is at the aggressive end of 0.01..1: 0.05 is 'Aggressive'"
            " (DPO Specific / Beta (KL Coefficient): 0.05)",
            id="beta=0.03",
        ),
        pytest.param(
            "0.015",
            "DPO beta 0.015 is at the aggressive end of 0.01..1: 0.01 is 'Very aggressive,"
            " may overfit' (DPO Specific / Beta (KL Coefficient): 0.01)",
            id="beta=0.015",
        ),
        pytest.param(
            "0.8",
            "DPO beta 0.8 is at the conservative end of 0.01..1: 1.0 is 'Very conservative'"
            " (DPO Specific / Beta (KL Coefficient): 1.0)",
            id="beta=0.8",
        ),
        pytest.param(
            "2.0",
            "DPO beta 2 is outside the table's 0.01..1; the nearest row, 1.0, is 'Very"
            " conservative' (DPO Specific / Beta (KL Coefficient))",
            id="beta=2.0",
        ),
    ],
)
def test_d001_messages(beta: str, message: str) -> None:
    assert only(PLAIN_DPO.format(beta=beta), "plain", "D001").message == message


TRL_DPO = """\
model_name_or_path: meta-llama/Llama-3.1-8B-Instruct
beta: 0.001
loss_type: {loss}
learning_rate: 5.0e-7
"""


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        pytest.param("sigmoid", [("D001", 2, 7)], id="dpo-kl-beta"),
        pytest.param("sppo_hard", [], id="sppo-own-beta_noop"),
        pytest.param("ipo", [], id="ipo-own-beta_noop"),
    ],
)
def test_d001_only_for_kl_losses(loss: str, expected: list[tuple[str, int, int]]) -> None:
    assert codes(TRL_DPO.format(loss=loss), "trl", "D001") == expected
