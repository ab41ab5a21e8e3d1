"""O004: gradient clipping missing or disabled."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run, triples
from tests.rules.optimizer_configs import AXOLOTL, AXOLOTL_FULL, LLAMAFACTORY, PLAIN, TORCHTUNE, TRL

TORCHTUNE_FULL = """\
model:
  _component_: torchtune.models.llama3_1.llama3_1_8b
optimizer:
  _component_: torch.optim.AdamW
  lr: 2.0e-5
{extra}
batch_size: 4
epochs: 1
"""


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        pytest.param(
            TORCHTUNE.format(extra="clip_grad_norm: null"),
            "torchtune",
            [("O004", 8, 17)],
            id="torchtune-clip-grad-norm-null",
        ),
        pytest.param(
            TORCHTUNE.format(extra=""), "torchtune", [("O004", 1, 1)], id="torchtune-none"
        ),
        pytest.param(
            TORCHTUNE.format(extra="clip_grad_norm: 1.0"),
            "torchtune",
            [],
            id="torchtune-clip-grad-norm-1.0_noop",
        ),
        pytest.param(
            TORCHTUNE_FULL.format(extra="optimizer_in_bwd: true"),
            "torchtune",
            [],
            id="torchtune-full-optimizer-in-bwd-true_noop",
        ),
        pytest.param(
            TRL.format(extra="max_grad_norm: null"),
            "trl",
            [("O004", 5, 16)],
            id="trl-max-grad-norm-null",
        ),
        pytest.param(
            TRL.format(extra="max_grad_norm: 0"), "trl", [("O004", 5, 16)], id="trl-max-grad-norm-0"
        ),
        pytest.param(TRL.format(extra=""), "trl", [], id="transformers-default-1.0_noop"),
        pytest.param(
            LLAMAFACTORY.format(extra="max_grad_norm: 0.0"),
            "llamafactory",
            [("O004", 6, 16)],
            id="llamafactory-max-grad-norm-0.0",
        ),
        pytest.param(
            AXOLOTL.format(extra="max_grad_norm: 0"),
            "axolotl",
            [("O004", 7, 16)],
            id="axolotl-max-grad-norm-0",
        ),
        pytest.param(
            AXOLOTL.format(extra="max_grad_norm:"), "axolotl", [], id="null-unset-1.0-applies_noop"
        ),
        pytest.param(
            AXOLOTL_FULL.format(extra="max_grad_norm: 0.5"),
            "axolotl",
            [],
            id="axolotl-full-max-grad-norm-0.5_noop",
        ),
        pytest.param(
            PLAIN.format(extra="max_grad_norm: 0"),
            "plain",
            [("O004", 6, 16)],
            id="plain-max-grad-norm-0",
        ),
        pytest.param(PLAIN.format(extra=""), "plain", [], id="no-framework-unknown_noop"),
    ],
)
def test_o004(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "O004") == expected


def test_o004_message() -> None:
    text = TORCHTUNE_FULL.format(extra="clip_grad_norm: null")
    (finding,) = [f for f in run(text, "torchtune") if f.code == "O004"]
    assert finding.message == (
        "clip_grad_norm is null: gradients are never clipped; in a full fine-tune one outlier"
        " batch moves every weight (Loss exploding); the reference clips at max_grad_norm 1"
        " (Optimizer Settings / For Stability)"
    )
    assert finding.severity is Severity.INFO
