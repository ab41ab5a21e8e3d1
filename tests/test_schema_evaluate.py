"""The check path's schema evaluation agrees with jsonschema on the generated schema.

Twice: the evaluator alone (``failures``), and the public path, ``validate.violations``,
whose branch selection (``_active``) runs before the evaluator; the latter also on an
equivalent schema written with ``else`` branches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from cfgguard.canonical import Canonical, Field
from cfgguard.findings import Severity
from cfgguard.knowledge.models import ModelFacts, resolve
from cfgguard.schema import validate
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


# --- the public path: violations(), through validate._active's branch selection -------------

MODELS = [
    None,
    "Qwen/Qwen2.5-0.5B-Instruct",
    "meta-llama/Llama-3.1-8B-Instruct",
    "meta-llama/Llama-2-13b-hf",
    "codellama/CodeLlama-34b-hf",
    "meta-llama/Llama-3.3-70B-Instruct",
    "mistralai/Mixtral-8x7B-v0.1",
    "Qwen/Qwen1.5-MoE-A2.7B",
    "deepseek-ai/DeepSeek-V3",
]
VALUES = {
    "lora_rank": st.integers(1, 1024),
    "lora_alpha": st.integers(1, 1024) | LOG_NUMBER,
    "learning_rate": LOG_NUMBER,
    "dpo_beta": LOG_NUMBER,
    "group_size": st.integers(0, 128),
    "temperature": st.floats(0, 3),
    "num_epochs": LOG_NUMBER,
    "warmup_ratio": st.floats(0, 1),
}
CONFIGS = st.tuples(
    st.fixed_dictionaries(
        {}, optional={"method": st.sampled_from(METHODS), "adapter": st.sampled_from(ADAPTERS)}
    ),
    st.fixed_dictionaries({}, optional=VALUES),
    st.sampled_from(MODELS),
)

# code, field, value, table row, minimum, maximum, severity
Found = set[tuple[str, str, object, str, object, object, Severity | None]]


def _else_form(schema: dict[str, Any]) -> dict[str, Any]:
    """The same schema with branches written as ``if not C ... else T`` (and ``then: {}``),
    and every fifth branch nested in the ``allOf`` beside the ``if`` of the one before.

    Equivalent to the generated one; it is here because the generator writes neither
    today, and a reduction that drops ``else`` branches, or the keywords beside an ``if``,
    must not go unnoticed.
    """
    branches: list[dict[str, Any]] = []
    for i, branch in enumerate(schema["allOf"]):
        negated = {"if": {"not": branch["if"]}}
        if i % 3 == 1:
            branch = {**negated, "else": branch["then"]}  # noqa: PLW2901
        elif i % 3 == 2:
            branch = {**negated, "then": {}, "else": branch["then"]}  # noqa: PLW2901
        if i % 5 == 4:
            branches[-1] = {**branches[-1], "allOf": [branch]}
        else:
            branches.append(branch)
    return {**schema, "allOf": branches}


def _found_public(schema: dict[str, Any], config: Canonical, facts: ModelFacts | None) -> Found:
    """What ``validate.violations`` reports with ``schema`` as the generated schema."""
    original = validate._schema  # pyright: ignore[reportPrivateUsage]
    caches = (validate._active, validate._conditions)  # pyright: ignore[reportPrivateUsage]
    for c in caches:
        c.cache_clear()
    validate._schema = lambda: schema  # pyright: ignore[reportPrivateUsage, reportAttributeAccessIssue]
    try:
        found = validate.violations(config, facts)
    finally:
        validate._schema = original  # pyright: ignore[reportPrivateUsage]
        for c in caches:
            c.cache_clear()
    return {(v.code, v.field, v.value, v.row, v.minimum, v.maximum, v.severity) for v in found}


def _canonical(values: dict[str, object]) -> Canonical:
    config = Canonical()
    for name, value in values.items():
        setattr(config, name, Field(value, "file", name))
    return config


def _found_jsonschema(schema: dict[str, Any], inst: Mapping[str, object]) -> Found:
    """jsonschema's errors, reduced as violations() promises: per code and field the most severe."""
    best: dict[tuple[str, str], tuple[str, str, object, str, object, object, Severity | None]] = {}
    validator: Any = Draft202012Validator(schema)
    for error in validator.iter_errors(inst):
        sub: Any = error.schema
        note: Any = sub.get("x-cfgguard")
        path: list[Any] = list(error.relative_path)
        if note is None or len(path) != 1:
            continue
        code, name, severity = str(note["code"]), str(path[0]), Severity.parse(note["severity"])
        before = best.get((code, name))
        if before is None or (severity or 0) > (before[-1] or 0):
            row = (code, name, inst[name], note["row"], note.get("minimum"), note.get("maximum"))
            best[code, name] = (*row, severity)
    return set(best.values())


def _agree(
    schema: dict[str, Any], drawn: tuple[dict[str, Any], dict[str, Any], str | None]
) -> None:
    labels, values, model_id = drawn
    facts = resolve(model_id) if model_id else None
    config = _canonical({**labels, **values})
    ours = _found_public(schema, config, facts)
    assert ours == _found_jsonschema(schema, validate.instance(config, facts))


@settings(max_examples=300, deadline=None)
@given(CONFIGS)
def test_violations_agree_with_jsonschema(
    drawn: tuple[dict[str, Any], dict[str, Any], str | None],
) -> None:
    _agree(canonical_schema(), drawn)


@settings(max_examples=300, deadline=None)
@given(CONFIGS)
def test_violations_agree_with_jsonschema_on_else_branches(
    drawn: tuple[dict[str, Any], dict[str, Any], str | None],
) -> None:
    _agree(_else_form(canonical_schema()), drawn)


def test_else_form_is_the_same_schema() -> None:
    """The rewritten schema really holds else branches and nested ones, and both paths read
    it as the original."""
    rewritten = _else_form(canonical_schema())
    branches: list[dict[str, Any]] = rewritten["allOf"]
    assert [sum(key in b for b in branches) for key in ("else", "allOf")] == [22, 8]
    config = _canonical({"method": "sft", "adapter": "lora", "lora_rank": 4, "learning_rate": 1.0})
    facts = resolve("meta-llama/Llama-3.1-8B-Instruct")
    expected = {
        (
            "L001",
            "lora_rank",
            4,
            "LoRA Configuration / Rank by Model Size (SFT): 7-8B",
            32,
            64,
            Severity.INFO,
        ),
        (
            "R001",
            "learning_rate",
            1.0,
            "Learning Rates / Base Learning Rates: SFT",
            0.0001,
            0.0005,
            Severity.WARNING,
        ),
    }
    assert _found_jsonschema(rewritten, validate.instance(config, facts)) == expected
    assert _found_public(canonical_schema(), config, facts) == expected
    assert _found_public(rewritten, config, facts) == expected
