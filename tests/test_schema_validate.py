"""Canonical configs -> the generated schema's violations (no YAML involved)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from jsonschema import Draft202012Validator

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.knowledge.models import ModelFacts, resolve
from cfgguard.rules import RULES_BY_CODE
from cfgguard.schema.generate import canonical_schema
from cfgguard.schema.validate import instance, violations
from cfgguard.schema.violation import Violation

SCHEMA_CODES = {"L001", "L003", "R001", "D001", "G001", "G002"}


def model(name: str) -> ModelFacts:
    facts = resolve(name)
    assert facts is not None, name
    return facts


LLAMA8 = model("meta-llama/Llama-3.1-8B-Instruct")
MIXTRAL = model("mistralai/Mixtral-8x7B-v0.1")


def config(**values: Any) -> Canonical:
    c = Canonical()
    for name, value in values.items():
        setattr(c, name, Field(value, "file", name))
    return c


def found(c: Canonical, facts: ModelFacts | None = LLAMA8) -> list[tuple[str, str, object]]:
    return sorted((v.code, v.field, v.value) for v in violations(c, facts))


def test_schema_is_valid_2020_12() -> None:
    Draft202012Validator.check_schema(canonical_schema())


def _notes(node: object) -> list[dict[str, Any]]:
    """Every ``x-cfgguard`` annotation in a schema."""
    if isinstance(node, dict):
        mapping = cast("dict[str, object]", node)
        note = cast("dict[str, Any] | None", mapping.get("x-cfgguard"))
        nested = [n for v in mapping.values() for n in _notes(v)]
        return ([note] if note else []) + nested
    if isinstance(node, list):
        return [n for v in cast("list[object]", node) for n in _notes(v)]
    return []


def test_every_annotation_names_a_rule_and_a_row() -> None:
    notes = _notes(canonical_schema())
    assert {n["code"] for n in notes} == SCHEMA_CODES
    for note in notes:
        assert note["code"] in RULES_BY_CODE
        assert note["row"]
        assert note["severity"] in ("info", "warning", "error")


def test_in_range_config_has_no_violations() -> None:
    c = config(method="sft", adapter="lora", lora_rank=32, lora_alpha=32, learning_rate=2e-4)
    assert violations(c, LLAMA8) == []


def test_exact_violations() -> None:
    c = config(method="sft", adapter="lora", lora_rank=8, lora_alpha=512, learning_rate=8e-4)
    assert violations(c, LLAMA8) == [
        Violation(
            "L001", "lora_rank", 8, 32, 64,
            "LoRA Configuration / Rank by Model Size (SFT): 7-8B", "7-8B models", Severity.INFO,
        ),
        Violation(
            "L003", "lora_alpha", 512, 8.0, 128.0,
            "LoRA Configuration / Rank by Model Size (SFT)", "the table's alpha is 32",
            Severity.INFO,
        ),
        Violation(
            "R001", "learning_rate", 8e-4, 1e-4, 5e-4,
            "Learning Rates / Base Learning Rates: SFT", "for SFT with LoRA", Severity.INFO,
        ),
    ]  # fmt: skip


def test_absent_fields_are_not_reported() -> None:
    assert violations(config(method="grpo", adapter="lora"), LLAMA8) == []
    assert violations(Canonical(), None) == []


def test_unknown_model_skips_size_dependent_ranges() -> None:
    c = config(method="sft", adapter="lora", lora_rank=1, lora_alpha=512, learning_rate=8e-4)
    assert found(c, None) == [("L003", "lora_alpha", 512), ("R001", "learning_rate", 8e-4)]
    rl = config(method="grpo", adapter="lora", lora_rank=256, lora_alpha=512)
    assert found(rl, None) == []


def test_full_fine_tune_has_no_rank_or_alpha_checks() -> None:
    c = config(method="sft", adapter="full", lora_rank=1, lora_alpha=1, learning_rate=2e-5)
    assert violations(c, LLAMA8) == []


@pytest.mark.parametrize(
    ("lr", "severity"), [(8e-4, Severity.INFO), (5e-3, Severity.INFO), (6e-3, Severity.WARNING)]
)
def test_far_outside_keeps_one_violation_most_severe(lr: float, severity: Severity) -> None:
    (v,) = violations(config(method="sft", adapter="lora", learning_rate=lr), None)
    assert (v.code, v.severity, v.minimum, v.maximum) == ("R001", severity, 1e-4, 5e-4)


@pytest.mark.parametrize(
    ("method", "adapter", "lr", "expected"),
    [
        ("sft", "lora", 2e-5, []),  # R002's: a LoRA run at the full fine-tune level
        ("sft", "full", 3e-4, []),  # R003's: a full fine-tune at the LoRA level
        ("sft", "full", 7e-5, ["R001"]),  # between the two columns
        ("dpo", "qlora", 5e-6, []),  # the DPO columns share 5e-6
        ("orpo", "lora", 1e-4, ["R001"]),  # DPO row
        ("ppo", "lora", 1e-5, []),
        ("ppo", "lora", 3e-5, ["R001"]),  # 0.5x..2x around the table's 1e-5
        ("rm", "lora", 1.0, []),  # no row
    ],
)
def test_learning_rate_rows(method: str, adapter: str, lr: float, expected: list[str]) -> None:
    c = config(method=method, adapter=adapter, learning_rate=lr)
    assert [v.code for v in violations(c, None)] == expected


def test_moe_rank_range() -> None:
    def ranks(rank: int) -> list[tuple[str, str, object]]:
        return found(config(method="sft", adapter="lora", lora_rank=rank), MIXTRAL)

    assert ranks(16) == [("L001", "lora_rank", 16)]
    assert ranks(32) == []
    assert ranks(128) == []
    (v,) = violations(config(method="sft", adapter="lora", lora_rank=200), MIXTRAL)
    assert (v.minimum, v.maximum, v.row) == (
        32,
        128,
        "LoRA Configuration / Rank by Model Size (SFT): MoE",
    )


def test_rank_ranges_follow_the_tables() -> None:
    for row in tables.lora_rank_rows("sft"):
        facts = next(m for m in (model(n) for n in _SIZED) if m.size_class == row.size)
        for rank, bad in (
            (row.low, False),
            (row.high, False),
            (row.low - 1, True),
            (row.high + 1, True),
        ):
            c = config(method="sft", adapter="lora", lora_rank=rank)
            assert bool(violations(c, facts)) == bad, (row.size, rank)


_SIZED = (
    "Qwen/Qwen2.5-3B-Instruct",
    "meta-llama/Llama-3.1-8B-Instruct",
    "meta-llama/Llama-2-13b-hf",
    "codellama/CodeLlama-34b-hf",
    "meta-llama/Llama-3.3-70B-Instruct",
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"method": "dpo", "dpo_beta": 0.1}, []),
        ({"method": "dpo", "dpo_beta": 0.05}, [("D001", Severity.INFO, "0.05: Aggressive")]),
        ({"method": "kto", "dpo_beta": 0.7}, [("D001", Severity.INFO, "0.5: Conservative")]),
        ({"method": "dpo", "dpo_beta": 1.0}, [("D001", Severity.INFO, "1.0: Very conservative")]),
        ({"method": "simpo", "dpo_beta": 2.5}, []),
        ({"method": "grpo", "group_size": 1}, [("G001", Severity.ERROR, None)]),
        ({"method": "grpo", "group_size": 3}, [("G001", Severity.INFO, None)]),
        ({"method": "ppo", "group_size": 1}, []),  # PPO samples once per prompt
        ({"method": "grpo", "temperature": 0.0}, [("G002", Severity.WARNING, None)]),
        ({"method": "grpo", "temperature": 1.3}, [("G002", Severity.INFO, None)]),
        ({"method": "sft", "temperature": 0.0}, []),
    ],
)
def test_beta_group_temperature(
    values: dict[str, Any], expected: list[tuple[str, Severity, str | None]]
) -> None:
    got = violations(config(**values), None)
    assert [(v.code, v.severity) for v in got] == [(c, s) for c, s, _ in expected]
    for v, (_, _, detail) in zip(got, expected, strict=True):
        assert detail is None or v.detail == detail


def test_instance() -> None:
    c = config(method="sft", adapter="lora", lora_rank=16, target_modules=Targets(all_linear=True))
    assert instance(c, MIXTRAL) == {
        "method": "sft",
        "adapter": "lora",
        "lora_rank": 16,
        "is_rl": False,
        "size_class": "13B",
        "is_moe": True,
        "hidden_size": 4096,
        "active_experts": 2,
    }
    assert instance(c, None) == {
        "method": "sft",
        "adapter": "lora",
        "lora_rank": 16,
        "is_rl": False,
    }
