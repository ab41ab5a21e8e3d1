"""The committed schemas/ are exactly what the generator makes of the release data, and
say what the frameworks' released code says."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from cfgguard.dialects import detect
from cfgguard.schema.__main__ import all_schemas, main, stale
from cfgguard.schema.dialects import DIALECT_NAMES
from cfgguard.schema.generate import render
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping
from tests.conftest import corpus_dir, corpus_files

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
Schema = dict[str, Any]
# (package release file:line) at the end of every description of a released key
CITED = re.compile(r"\((axolotl|llamafactory|transformers|trl|torchtune|verl) [0-9][\w.]* \S+\)$")


@cache
def _generated() -> dict[str, Schema]:
    return all_schemas()


def _schema(dialect: str) -> Schema:
    """The generator's schema (the committed file is the same: see the first test)."""
    return _generated()[f"{dialect}.schema.json"]


def _keys(node: Schema, prefix: str = "") -> Iterator[tuple[str, Schema]]:
    for name, child in node.get("properties", {}).items():
        yield f"{prefix}{name}", child
        yield from _keys(child, f"{prefix}{name}.")
        if "items" in child:
            yield from _keys(child["items"], f"{prefix}{name}[].")


def test_committed_schemas_match_the_generator() -> None:
    assert stale(SCHEMAS) == [], "run: python -m cfgguard.schema"
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(all_schemas())


def test_render_is_sorted_with_a_trailing_newline() -> None:
    text = render({"b": 1, "a": {"d": 2, "c": 3}})
    assert text == '{\n  "a": {\n    "c": 3,\n    "d": 2\n  },\n  "b": 1\n}\n'


def test_check_flag(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    assert main(["--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "plain.schema.json").write_text("{}\n", encoding="utf-8")
    assert main(["--check", "--out", str(tmp_path)]) == 1
    (tmp_path / "trl.schema.json").unlink()
    assert stale(tmp_path) == ["trl.schema.json", "plain.schema.json"]


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_dialect_schema_is_valid_draft_07(dialect: str) -> None:
    schema = json.loads((SCHEMAS / f"{dialect}.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    assert schema["properties"]


@pytest.mark.parametrize(
    ("dialect", "path", "expected"),
    [
        pytest.param("axolotl", "lora_r", {"type": ["integer", "null"]}, id="axolotl-optional-int"),
        pytest.param(
            "axolotl",
            "rl",
            {"enum": ["dpo", "gdpo", "grpo", "ipo", "orpo", "kto", "simpo", "ebft", None]},
            id="axolotl-enum-values",
        ),
        pytest.param("axolotl", "trl.beta", {"type": ["null", "number"]}, id="axolotl-nested"),
        pytest.param(  # a text or a custom prompt format (its fields are listed)
            "axolotl", "datasets[].type", {"type": ["null", "object", "string"]}, id="text-or-map"
        ),
        pytest.param(
            "axolotl",
            "dpo_beta",
            {
                "deprecated": True,
                "deprecationMessage": "dpo_beta is deprecated, use rl_beta instead",
            },
            id="axolotl-deprecated",
        ),
        pytest.param(
            "llamafactory",
            "finetuning_type",
            {"enum": ["lora", "oft", "freeze", "full"]},
            id="llamafactory-literal",
        ),
        pytest.param(  # the transformers release LLaMA-Factory 0.9.5 accepts (<=5.6.0)
            "llamafactory",
            "warmup_ratio",
            {"type": ["null", "number"], "deprecated": True},
            id="llamafactory-transformers-5.6",
        ),
        pytest.param(  # an Enum beside str: its values complete, other text is allowed
            "trl",
            "save_strategy",
            {"anyOf": [{"enum": ["no", "steps", "epoch", "best"]}, {"type": "string"}]},
            id="trl-open-enum",
        ),
        pytest.param(  # TRL 1.16 accepts a string ('auto')
            "trl", "pad_to_multiple_of", {"type": ["integer", "null", "string"]}, id="trl-drift"
        ),
        pytest.param(
            "verl",
            "actor_rollout_ref.actor.optim.lr",
            {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\$\{.+\}$"}]},
            id="verl-interpolation",
        ),
        pytest.param(
            "verl",
            "data.val_batch_size",
            {"deprecated": True, "deprecationMessage": "WARNING: val_batch_size is deprecated."},
            id="verl-deprecated",
        ),
        pytest.param(
            "torchtune",
            "log_every_n_steps",
            {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\$\{.+\}$"}]},
            id="torchtune-recipe-read",
        ),
        pytest.param("plain", "betas", {"type": "array"}, id="plain-declared"),
    ],
)
def test_dialect_schema_says_what_the_release_says(
    dialect: str, path: str, expected: Schema
) -> None:
    found = dict(_keys(_schema(dialect)))[path]
    assert {k: found.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("dialect", "present", "absent"),
    [
        pytest.param(  # every trainer's config, not the vllm-serve entry point's
            "trl", ("packing", "loss_type", "num_generations", "use_peft"), ("host", "port"),
            id="trl-parsers",
        ),
        pytest.param(  # removed from TRL 0.20.0 and from transformers 4.51.0
            "trl", (), ("max_seq_length", "evaluation_strategy"), id="trl-removed"
        ),
        pytest.param(  # the v0 and v1 formats' classes, and TrainingArguments' bases
            "llamafactory", ("stage", "model", "micro_batch_size", "learning_rate"), (),
            id="llamafactory-parsers",
        ),
        pytest.param(  # PPO and the engine SFT trainer's configs
            "verl", ("actor_rollout_ref", "critic", "model", "optim"), ("use_v1",),
            id="verl-key-sets",
        ),
    ],
)  # fmt: skip
def test_dialect_schema_keys(
    dialect: str, present: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    keys = _schema(dialect)["properties"]
    assert [k for k in present if k not in keys] == []
    assert [k for k in absent if k in keys] == []


@pytest.mark.parametrize("dialect", [d for d in DIALECT_NAMES if d != "plain"])
def test_every_released_key_cites_its_source(dialect: str) -> None:
    uncited = [
        path
        for path, node in _keys(_schema(dialect))
        if "description" in node and not CITED.search(node["description"])
    ]
    assert uncited == []


class _Yaml12(yaml.SafeLoader):
    """What an editor's YAML 1.2 parser reads: ``5e-4`` is a number."""


_Yaml12.add_implicit_resolver(  # pyright: ignore[reportUnknownMemberType]
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)

# What the editor flags in the real corpus, each true for the release the schema is of
# but two: pydantic takes False for an integer; torchtune's data types stop_token_ids
# from its recipes' ``cfg.get("stop_token_ids", False)``.
CORPUS_FLAGS = {
    ("axolotl", "examples__archived__jeopardy-bot__config.yml", "tokens"),  # list[str] now
    ("axolotl", "examples__expert_parallel__qwen3_30ba3b_ep_fft_4gpu.yaml", "warmup_steps"),
    ("axolotl", "examples__expert_parallel__qwen3_30ba3b_ep_lora_4gpu.yaml", "warmup_steps"),
    ("axolotl", "examples__llama-2__relora.yml", "jagged_restart_anneal_steps"),
    ("torchtune", "recipes__configs__llama2__1B_full_ppo_low_memory_single_device.yaml",
     "stop_token_ids"),
    ("torchtune", "recipes__configs__mistral__7B_full_ppo_low_memory.yaml", "stop_token_ids"),
}  # fmt: skip


def test_the_corpus_validates_against_its_dialect_schema() -> None:
    if not corpus_dir().is_dir():
        pytest.skip("corpus not present")
    validators: dict[str, Any] = {d: Draft7Validator(_schema(d)) for d in DIALECT_NAMES}
    flagged: set[tuple[str, str, str]] = set()
    for path in corpus_files():
        text = path.read_text(encoding="utf-8")
        documents = compose(text).documents
        root = documents[0].root if documents else None
        found = detect(root) if isinstance(root, Mapping) else None
        data: object = yaml.load(text, Loader=_Yaml12)
        if found is None or not isinstance(data, dict):
            continue
        dialect = found.dialect.name
        for error in validators[dialect].iter_errors(data):
            where = ".".join(str(p) for p in error.absolute_path)
            flagged.add((dialect, path.name, where))
    assert flagged == CORPUS_FLAGS
