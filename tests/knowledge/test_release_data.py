"""The committed release data of the HF-family packages: well-formed, and right at the
boundaries checked by hand in the released code."""

from __future__ import annotations

import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from cfgguard.knowledge.releases import load_data

DATA = Path(__file__).resolve().parents[2] / "src" / "cfgguard" / "knowledge" / "data"
PACKAGES = ("transformers", "trl", "peft", "llamafactory")
# classes other packages define that these name as bases or hand to a parser
FOREIGN = {"PushToHubMixin", "mcore_adapter.TrainingArguments"}
SECTIONS = ("package", "versions", "releases", "requires", "parsers", "classes", "fields")


@cache
def load(package: str) -> dict[str, Any]:
    return load_data(package)


def present(runs: list[list[Any]], index: int) -> bool:
    return any(run[0] <= index <= run[1] for run in runs)


def transformers_has(name: str, release: str) -> bool:
    """``name`` is a class of some transformers release (a dependency's base class)."""
    return name in load("transformers")["classes"] and bool(release)


@pytest.mark.parametrize("package", PACKAGES)
def test_well_formed(package: str) -> None:
    data = load(package)
    assert all(section in data for section in SECTIONS)
    assert data["package"] == package
    versions = [Version(v) for v in data["versions"]]
    assert versions == sorted(versions)
    assert len(set(versions)) == len(versions)
    releases = data["releases"]
    assert releases
    assert set(releases) <= set(data["versions"])
    assert [Version(r) for r in releases] == sorted(Version(r) for r in releases)
    groups: list[list[list[Any]]] = [
        *data["classes"].values(),
        *data["parsers"].values(),
        *data["requires"].values(),
        *(runs for own in data["fields"].values() for runs in own.values()),
    ]
    for runs in groups:
        previous = -1
        for run in runs:
            assert previous < run[0] <= run[1] < len(releases), run
            previous = run[1]


@pytest.mark.parametrize("package", PACKAGES)
def test_fields_lie_inside_their_class(package: str) -> None:
    data = load(package)
    for cls, own in data["fields"].items():
        for name, runs in own.items():
            for first, last, attrs in runs:
                assert all(present(data["classes"][cls], i) for i in range(first, last + 1)), (
                    cls,
                    name,
                )
                assert attrs["line"] > 0


@pytest.mark.parametrize("package", PACKAGES)
def test_parsers_and_bases_name_classes_of_their_releases(package: str) -> None:
    data = load(package)
    releases = data["releases"]

    def known(name: str, index: int) -> bool:
        if name in data["classes"]:
            return present(data["classes"][name], index)
        return name in FOREIGN or transformers_has(name, releases[index])

    for name, runs in data["parsers"].items():
        for first, last, read in runs:
            for index in range(first, last + 1):
                missing = [n for n in read if not known(n, index)]
                assert not missing, (name, releases[index], missing)
    for name, runs in data["classes"].items():
        for first, last, _file, _line, bases in runs:
            for index in range(first, last + 1):
                assert all(known(b, index) for b in bases), (name, releases[index], bases)


def releases_with(package: str, cls: str, field: str | None = None) -> list[str]:
    data = load(package)
    runs = data["classes"][cls] if field is None else data["fields"][cls].get(field, [])
    return [r for i, r in enumerate(data["releases"]) if present(runs, i)]


@pytest.mark.parametrize(
    ("package", "cls", "field", "first", "last"),
    [
        # transformers 4.41.0 training_args.py adds eval_strategy; 4.51.0 drops the old name
        pytest.param(
            "transformers", "TrainingArguments", "evaluation_strategy", "4.36.0", "4.50.3"
        ),
        pytest.param("transformers", "TrainingArguments", "eval_strategy", "4.41.0", None),
        pytest.param("transformers", "TrainingArguments", "warmup_ratio", "4.36.0", "5.14.1"),
        pytest.param(
            "transformers", "TrainingArguments", "overwrite_output_dir", "4.36.0", "4.57.6"
        ),
        pytest.param(
            "transformers",
            "TrainingArguments",
            "fsdp_transformer_layer_cls_to_wrap",
            "4.36.0",
            "4.57.6",
        ),
        pytest.param("trl", "DPOConfig", "max_prompt_length", "0.9.2", "0.28.0"),
        pytest.param("trl", "DPOConfig", "ref_adapter_name", "0.9.2", "0.28.0"),
        pytest.param("trl", "ModelConfig", "torch_dtype", "0.7.11", "0.26.2"),
        pytest.param("trl", "ModelConfig", "dtype", "0.23.0", None),
        pytest.param("trl", "SFTConfig", "max_seq_length", "0.9.2", "0.19.1"),
        pytest.param("trl", "PPOConfig", None, "0.7.0", "1.12.0"),
        pytest.param("llamafactory", "TrainingArguments", None, "0.9.2", None),
    ],
)
def test_boundaries(
    package: str, cls: str, field: str | None, first: str, last: str | None
) -> None:
    found = releases_with(package, cls, field)
    data = load(package)
    assert found == data["releases"][data["releases"].index(first) :][: len(found)]
    assert (found[0], found[-1]) == (first, last or data["releases"][-1])


def test_deprecations_and_renames() -> None:
    def attrs(package: str, cls: str, field: str, release: str) -> dict[str, Any]:
        data = load(package)
        index = data["releases"].index(release)
        return next(a for lo, hi, a in data["fields"][cls][field] if lo <= index <= hi)

    assert attrs("trl", "ModelConfig", "torch_dtype", "0.23.0")["replacement"] == "dtype"
    assert "deprecated" not in attrs("trl", "ModelConfig", "torch_dtype", "0.22.2")
    assert attrs("trl", "SFTConfig", "max_seq_length", "0.19.0")["replacement"] == "max_length"
    assert attrs("transformers", "TrainingArguments", "warmup_ratio", "5.0.0")["replacement"] == (
        "warmup_steps"
    )
    assert attrs("trl", "SFTConfig", "pad_to_multiple_of", "1.16.0")["type"] == "int | str | None"
    assert attrs("transformers", "TrainingArguments", "save_strategy", "5.0.0")["choices"] == [
        "no",
        "steps",
        "epoch",
        "best",
    ]


def test_requires_from_metadata() -> None:
    data = load("llamafactory")
    runs = data["requires"]["transformers"]
    index = data["releases"].index("0.9.5")
    spec = next(s for lo, hi, s in runs if lo <= index <= hi)
    assert "<=5.6.0" in spec.split(",")


def test_parsers_by_release() -> None:
    trl = load("trl")

    def read(name: str, release: str) -> list[str] | None:
        index = trl["releases"].index(release)
        return next((r for lo, hi, r in trl["parsers"].get(name, []) if lo <= index <= hi), None)

    assert read("sft", "0.7.11") is None  # no CLI scripts before 0.8
    assert read("sft", "0.8.0") == ["SftScriptArguments", "TrainingArguments", "ModelConfig"]
    assert read("sft", "1.16.0") == [
        "ScriptArguments",
        "SFTConfig",
        "ModelConfig",
        "DatasetMixtureConfig",
    ]
    lf = load("llamafactory")
    assert lf["parsers"]["train"][0][2][2] == "Seq2SeqTrainingArguments"
    assert lf["parsers"]["train"][-1][2][2] == "TrainingArguments"


FACT_KEYS = {"loader", "package", "from", "to", "unknown_keys", "source"}


def test_loader_facts() -> None:
    with open(DATA / "loader_facts.json", encoding="utf-8") as handle:
        facts: list[dict[str, Any]] = json.load(handle)["facts"]
    for fact in facts:
        if "settled" in fact:  # values the loader uses anyway, for keys it never reads
            assert set(fact) >= FACT_KEYS - {"unknown_keys"}, fact
            assert fact["settled"], fact
        else:
            assert set(fact) >= FACT_KEYS, fact
            assert fact["unknown_keys"] in ("refused", "dropped", "warned")
        assert fact["source"]
    # TrlParser's ranges are consecutive releases of trl, from its first to the newest
    versions = load("trl")["versions"]
    ranges = [(f["from"], f["to"]) for f in facts if f["loader"] == "TrlParser"]
    assert ranges[0][0] == "0.8.0"
    assert ranges[-1][1] is None
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert versions.index(start) == versions.index(end) + 1
    trl = {(f["from"], f["unknown_keys"]) for f in facts if f["loader"] == "TrlParser"}
    assert ("0.19.0", "refused") in trl
    assert ("0.13.0", "dropped") in trl
