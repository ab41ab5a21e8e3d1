"""The committed schemas/ and keys JSON are exactly what the generators produce."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from jsonschema import Draft7Validator

from cfgguard.knowledge.keys import DIALECTS, key_rows, key_types
from cfgguard.schema.__main__ import main, stale
from cfgguard.schema.generate import all_schemas, render

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
KEYS = ROOT / "src" / "cfgguard" / "knowledge" / "data" / "keys"
TSV = ROOT.parent / "shared" / "reference" / "dialects"


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


@pytest.mark.parametrize("dialect", DIALECTS)
def test_dialect_schema_is_valid_draft_07(dialect: str) -> None:
    schema = json.loads((SCHEMAS / f"{dialect}.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    assert schema["properties"]


def test_dialect_schema_types_and_enums() -> None:
    axolotl = all_schemas()["axolotl.schema.json"]["properties"]
    assert axolotl["lora_r"]["type"] == ["integer", "null"]
    assert axolotl["rl"]["enum"][-1] is None
    assert "dpo" in axolotl["rl"]["enum"]
    assert axolotl["trl"]["properties"]["beta"]["type"] == ["null", "number"]
    assert "items" in axolotl["datasets"]
    verl = all_schemas()["verl.schema.json"]["properties"]
    lr = verl["actor_rollout_ref"]["properties"]["actor"]["properties"]["optim"]["properties"]["lr"]
    assert {"type": "string", "pattern": r"^\$\{.+\}$"} in lr["anyOf"]  # interpolations
    trl = all_schemas()["trl.schema.json"]["properties"]
    assert trl["max_seq_length"]["deprecated"] is True


def _build_keys() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_keys", ROOT / "scripts" / "build_keys.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_keys_json_matches_the_tsv() -> None:
    if not TSV.is_dir():
        pytest.skip(f"dialect key lists not present at {TSV}")
    build = _build_keys()
    for dialect, data in build.build_all(TSV).items():
        committed = (KEYS / f"{dialect}.json").read_text(encoding="utf-8")
        assert committed == build.render(data), f"run: python scripts/build_keys.py ({dialect})"
        types = (KEYS / f"{dialect}.types.json").read_text(encoding="utf-8")
        assert types == build.render_types(data), f"run: python scripts/build_keys.py ({dialect})"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_key_types_merge_the_rows(dialect: str) -> None:
    merged: dict[str, tuple[set[str], list[str]]] = {}
    for row in key_rows(dialect):
        types, allowed = merged.setdefault(row.key, (set(), []))
        types.update(row.json_types)
        allowed.extend(a for a in row.allowed if a not in allowed)
    expected = {k: (frozenset(t), tuple(a)) for k, (t, a) in merged.items()}
    assert key_types(dialect) == expected


def test_keys_json_loads() -> None:
    for dialect in DIALECTS:
        rows = key_rows(dialect)
        assert rows, dialect
        assert all(r.key for r in rows)
    assert any(r.key == "lora_r" for r in key_rows("axolotl"))
    groups = {r.context for r in key_rows("llamafactory")}
    assert groups == {
        "ModelArguments", "DataArguments", "TrainingArguments", "FinetuningArguments",
        "GeneratingArguments", "MegatronBridgeArguments(USE_MEGATRON_BRIDGE=1 only)",
        "_KTransformersRuntimeArguments(infer/eval only)",
    }  # fmt: skip
    assert any(r.removed for r in key_rows("trl"))
