"""The committed axolotl release data and loader facts are well formed and say what the
released code says (each boundary below was checked by hand in the releases)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, cast

import pytest
from packaging.version import Version

import cfgguard.knowledge
from cfgguard.knowledge.releases import load_data

DATA = Path(cfgguard.knowledge.__file__).parent / "data"
KEY = re.compile(r"[A-Za-z_]\w*(\[\])?(\.[A-Za-z_]\w*(\[\])?)*")
Run = list[Any]


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return load_data("axolotl")


def runs_of(data: dict[str, Any], key: str) -> list[Run]:
    return cast("list[Run]", data["keys"]["config"].get(key, []))


def span(data: dict[str, Any], key: str) -> list[tuple[str, str]]:
    releases: list[str] = data["releases"]
    return [(releases[a], releases[b]) for a, b, _ in runs_of(data, key)]


def at(data: dict[str, Any], key: str, version: str) -> dict[str, Any] | None:
    index = data["releases"].index(version)
    for first, last, attrs in runs_of(data, key):
        if first <= index <= last:
            return cast("dict[str, Any]", attrs)
    return None


def test_releases_are_every_release_in_order(data: dict[str, Any]) -> None:
    assert data["package"] == "axolotl"
    assert data["releases"] == data["versions"]
    assert [Version(v) for v in data["releases"]] == sorted(Version(v) for v in data["releases"])
    assert data["releases"][0] == "0.5.2"  # 0.5.0's wheel and sdist hold no code
    assert "0.19.0" in data["releases"]
    last = len(data["releases"]) - 1
    assert data["parsers"] == {"config": [[0, last, ["config"]]]}
    assert data["key_sets"]["config"][0][:2] == [0, last]
    assert data["requires"]["trl"][0][0] == 0
    assert data["requires"]["trl"][-1][1] == last


def test_runs_are_ordered_and_cite_their_source(data: dict[str, Any]) -> None:
    last = len(data["releases"]) - 1
    for name, keys in data["keys"].items():
        for key, runs in keys.items():
            assert KEY.fullmatch(key), (name, key)
            previous = -1
            for first, last_index, attrs in runs:
                assert previous < first <= last_index <= last, (key, runs)
                assert attrs["file"].endswith(".py"), key
                assert attrs["line"] > 0, key
                previous = last_index


def test_replacements_are_keys_of_their_releases(data: dict[str, Any]) -> None:
    config = data["keys"]["config"]
    checked = 0
    for key, runs in config.items():
        for first, last, attrs in runs:
            target = attrs.get("replacement")
            if not target:
                continue
            for index in range(first, last + 1):
                version = data["releases"][index]
                section = target.rsplit(".", 1)[0]
                under_dict = any(
                    section == k or section in a.get("aliases", [])
                    for k in config
                    if (a := at(data, k, version)) and "dict" in a.get("type", "").lower()
                )
                assert at(data, target, version) is not None or under_dict, (key, version)
                checked += 1
    assert checked > 100


BOUNDARIES = [
    pytest.param("fp8_config", [("0.19.0", "0.21.0")], id="fp8_config-from-0.19"),
    pytest.param("fp8_config.recipe", [("0.19.0", "0.21.0")], id="fp8_config-modelled"),
    pytest.param("ple_cpu_offload", [("0.19.0", "0.21.0")], id="ple_cpu_offload-from-0.19"),
    pytest.param("context_parallel_size", [("0.12.0", "0.21.0")], id="context_parallel_size"),
    pytest.param("debug", [], id="debug-never-a-field"),
    pytest.param("gptq_groupsize", [], id="gptq_groupsize-never"),
    pytest.param("gptq_model_v1", [], id="gptq_model_v1-never"),
    pytest.param("sample_packing_seq_len_multiplier", [], id="seq_len_multiplier-never"),
    pytest.param(
        "flash_attn_rms_norm",
        [("0.5.2", "0.7.0"), ("0.8.0", "0.16.1"), ("0.17.0", "0.21.0")],
        id="flash_attn_rms_norm-deprecated-from-0.17",
    ),
    pytest.param(
        "warmup_steps", [("0.5.2", "0.7.0"), ("0.8.0", "0.21.0")], id="warmup_steps-always"
    ),
]


@pytest.mark.parametrize(("key", "expected"), BOUNDARIES)
def test_release_boundaries(
    data: dict[str, Any], key: str, expected: list[tuple[str, str]]
) -> None:
    assert span(data, key) == expected


@pytest.mark.parametrize(
    ("key", "version", "expected"),
    [
        pytest.param("ple_cpu_offload", "0.19.0", {"type": "bool", "default": "False"}, id="ple"),
        pytest.param("warmup_steps", "0.19.0", {"type": "int | None"}, id="warmup_steps-type"),
        pytest.param("flash_attn_rms_norm", "0.16.1", {"deprecated": None}, id="rms-norm-0.16"),
        pytest.param(
            "flash_attn_rms_norm",
            "0.17.0",
            {"deprecated": "raises: `flash_attn_rms_norm` is no longer supported."},
            id="rms-norm-0.17-raises",
        ),
        pytest.param(
            "evaluation_strategy",
            "0.5.2",
            {
                "replacement": "eval_strategy",
                "file": "src/axolotl/utils/config/models/input/v0_4_1/__init__.py",
            },
            id="evaluation_strategy-old-layout",
        ),
        pytest.param(
            "evaluation_strategy", "0.21.0", {"replacement": "eval_strategy"}, id="eval-strategy"
        ),
        pytest.param(
            "rope_scaling",
            "0.19.0",
            {"replacement": "model_config.rope_scaling", "line": 15},
            id="rope_scaling-under-model_config",
        ),
        pytest.param(
            "overrides_of_model_config", "0.19.0", {"aliases": ["model_config"]}, id="model_config"
        ),
        pytest.param(
            "sequence_parallel_degree",
            "0.12.0",
            {"replacement": "context_parallel_size"},
            id="sequence_parallel_degree-renamed",
        ),
        pytest.param("sequence_parallel_degree", "0.11.0", {"replacement": None}, id="spd-0.11"),
    ],
)
def test_release_attributes(
    data: dict[str, Any], key: str, version: str, expected: dict[str, Any]
) -> None:
    attrs = at(data, key, version)
    assert attrs is not None
    assert {name: attrs.get(name) for name in expected} == expected


def test_loader_facts_for_axolotl(data: dict[str, Any]) -> None:
    facts = json.loads((DATA / "loader_facts.json").read_text())["facts"]
    mine = [f for f in facts if f["loader"] == "axolotl" and "settled" not in f]
    assert [(f.get("section"), f["from"], f["to"], f["unknown_keys"]) for f in mine] == [
        (None, "0.5.2", None, "dropped"),
        ("fp8_config", "0.19.0", None, "refused"),
        ("context_parallel", "0.20.0", None, "refused"),
        ("coreweave", "0.21.0", None, "refused"),
        ("diffusion_decision", "0.21.0", None, "refused"),
    ]
    for fact in mine:
        assert fact["package"] == "axolotl"
        assert fact["source"].startswith(f"axolotl {fact['from']} ")
        section = fact.get("section")
        if section:  # the section is in the data from that release on
            assert span(data, section)[-1] == (fact["from"], data["releases"][-1])
