"""B002: micro batch above what the declared GPU memory holds."""

from __future__ import annotations

import pytest

from cfgguard.check import Options, check_source
from cfgguard.derived.context import Settings
from cfgguard.findings import Finding
from cfgguard.source import decode
from tests.conftest import triples


def run_with(text: str, dialect: str, gpu_memory_gb: int | None) -> list[Finding]:
    options = Options(dialect=dialect, settings=Settings(gpu_memory_gb=gpu_memory_gb))
    return check_source(decode(text.encode(), "t.yaml"), options)


def b002(text: str, dialect: str, gb: int | None) -> list[Finding]:
    return [f for f in run_with(text, dialect, gb) if f.code == "B002"]


AXOLOTL = """\
base_model: {model}
adapter: {adapter}
lora_r: 16
micro_batch_size: {micro}
gradient_accumulation_steps: 2
"""

TRL_DPO = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
use_peft: true
beta: 0.1
per_device_train_batch_size: {micro}
"""

LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: sft
do_train: true
finetuning_type: {kind}
dataset: alpaca_en_demo
template: qwen
per_device_train_batch_size: {micro}
"""

PLAIN = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 16
batch_size: 64
"""

LLAMA8 = "meta-llama/Llama-3.1-8B-Instruct"


def ax(micro: int, model: str = LLAMA8, adapter: str = "lora") -> str:
    return AXOLOTL.format(model=model, adapter=adapter, micro=micro)


@pytest.mark.parametrize(
    ("text", "dialect", "gb", "expected"),
    [
        # axolotl, 8B LoRA: 24GB holds 2-4
        pytest.param(ax(8), "axolotl", 24, [("B002", 4, 19)], id="ax-8-axolotl-gb=24"),
        pytest.param(ax(4), "axolotl", 24, [], id="ax-4-axolotl-gb=24_noop"),
        pytest.param(ax(8), "axolotl", None, [], id="memory-not-declared_noop"),
        pytest.param(ax(8), "axolotl", 48, [], id="the-40gb-row-4-8_noop"),
        pytest.param(ax(2), "axolotl", 12, [], id="below-the-smallest-row_noop"),
        pytest.param(
            ax(16, model="Qwen/Qwen2.5-3B-Instruct"), "axolotl", 24, [], id="small-model_noop"
        ),
        pytest.param(ax(16, model="my-org/secret-7b"), "axolotl", 24, [], id="unknown-model_noop"),
        pytest.param(
            ax(8, model="meta-llama/Llama-3.3-70B-Instruct", adapter="qlora"),
            "axolotl",
            80,
            [],
            id="ax-8-qlora-axolotl-gb=80_noop",
        ),
        pytest.param(
            ax(32, model="meta-llama/Llama-3.3-70B-Instruct", adapter="qlora"),
            "axolotl",
            80,
            [("B002", 4, 19)],
            id="ax-32-qlora-axolotl-gb=80",
        ),
        # TRL DPO: pairs count twice
        pytest.param(TRL_DPO.format(micro=4), "trl", 24, [("B002", 4, 30)], id="trl-dpo-4-gb=24"),
        pytest.param(TRL_DPO.format(micro=2), "trl", 24, [], id="trl-dpo-2-gb=24_noop"),
        # LLaMA-Factory
        pytest.param(
            LLAMAFACTORY.format(kind="lora", micro=16),
            "llamafactory",
            40,
            [("B002", 7, 30)],
            id="llamafactory-lora-16-gb=40",
        ),
        pytest.param(
            LLAMAFACTORY.format(kind="full", micro=16), "llamafactory", 40, [], id="full-ft_noop"
        ),
        pytest.param(
            PLAIN, "plain", 16, [], id="batch-size-is-the-whole-step-plain-gb=16_noop"
        ),  # batch_size is the whole step, not per device
    ],
)
def test_b002(
    text: str, dialect: str, gb: int | None, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run_with(text, dialect, gb), "B002") == expected


@pytest.mark.parametrize(
    ("text", "dialect", "gb", "severity"),
    [
        pytest.param(ax(8), "axolotl", 24, "info", id="2x-the-top-may-still-fit"),
        pytest.param(ax(9), "axolotl", 24, "warning", id="ax-9-axolotl-gb=24-severity=warning"),
        pytest.param(TRL_DPO.format(micro=4), "trl", 16, "warning", id="8-sequences-where-2-fit"),
        pytest.param(
            TRL_DPO.format(micro=4), "trl", 24, "info", id="trl-dpo-4-gb=24-severity=info"
        ),
        # above the 8B class any excess is a warning
        pytest.param(
            ax(32, model="meta-llama/Llama-3.3-70B-Instruct", adapter="qlora"),
            "axolotl",
            80,
            "warning",
            id="ax-32-qlora-axolotl-gb=80-severity=warning",
        ),
    ],
)
def test_b002_severity(text: str, dialect: str, gb: int, severity: str) -> None:
    (finding,) = b002(text, dialect, gb)
    assert finding.severity.label == severity


def test_b002_message() -> None:
    (finding,) = b002(TRL_DPO.format(micro=4), "trl", 16)
    assert finding.message == (
        "per_device_train_batch_size 4 pairs = 8 sequences ('pairs = 2x memory') is above the"
        " 1..2 a LoRA run of an 8B model fits on a 16GB GPU; this 8B-class model will likely"
        " run out of memory at startup (Batch Sizes / By GPU Memory (LoRA, 8B model): 16GB)"
    )
    assert finding.source == "Batch Sizes / By GPU Memory (LoRA, 8B model): 16GB"
