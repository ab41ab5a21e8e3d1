"""The check path's schema evaluator agrees with jsonschema on the generated schema."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from cfgguard.schema.evaluate import failures, unsupported
from cfgguard.schema.generate import canonical_schema

METHODS = ["sft", "pretrain", "dpo", "kto", "orpo", "simpo", "grpo", "ppo", "rm", "other"]
ADAPTERS = ["full", "lora", "qlora", "other"]
SIZES = ["1-3B", "7-8B", "13B", "34B", "70B"]
LOG_NUMBER = st.floats(min_value=-9, max_value=4).map(lambda e: round(10**e, 12))

INSTANCES = st.fixed_dictionaries(
    {"method": st.sampled_from(METHODS), "adapter": st.sampled_from(ADAPTERS)},
    optional={
        "size_class": st.sampled_from(SIZES),
        "is_moe": st.booleans(),
        "is_rl": st.booleans(),
        "active_experts": st.integers(1, 16),
        "hidden_size": st.sampled_from([896, 2048, 4096, 5120, 8192]),
        "lora_rank": st.integers(1, 1024),
        "lora_alpha": st.integers(1, 1024) | LOG_NUMBER,
        "learning_rate": LOG_NUMBER,
        "dpo_beta": LOG_NUMBER,
        "group_size": st.integers(0, 128),
        "temperature": st.floats(0, 3),
        "num_epochs": LOG_NUMBER,
        "warmup_ratio": st.floats(0, 1),
    },
)


def _codes_ours(instance: dict[str, Any]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for schema, path in failures(canonical_schema(), instance):
        sub: Any = schema
        note: Any = sub.get("x-cfgguard")
        if note is not None and len(path) == 1:
            out.add((str(note["code"]), path[0]))
    return out


def _codes_jsonschema(instance: dict[str, Any]) -> set[tuple[str, str]]:
    validator: Any = Draft202012Validator(canonical_schema())
    out: set[tuple[str, str]] = set()
    for error in validator.iter_errors(instance):
        schema: Any = error.schema
        note: Any = schema.get("x-cfgguard")
        path: list[Any] = list(error.relative_path)
        if note is not None and len(path) == 1:
            out.add((str(note["code"]), str(path[0])))
    return out


def test_generated_schema_uses_only_supported_keywords() -> None:
    assert unsupported(canonical_schema()) == set()


@settings(max_examples=300, deadline=None)
@given(INSTANCES)
def test_agrees_with_jsonschema(instance: dict[str, Any]) -> None:
    assert _codes_ours(instance) == _codes_jsonschema(instance)
