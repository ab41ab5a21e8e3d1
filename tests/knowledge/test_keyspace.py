"""Key spaces over allowed releases: all / some / none / never, pins and implied pins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cfgguard.knowledge import releases
from cfgguard.knowledge.keyspace import KeySource, LocalField, assemble
from cfgguard.knowledge.targets import resolve
from cfgguard.records import dataclass
from tests.knowledge.synthetic import packages

SOURCE = KeySource("trl", "TrlParser", dependencies=("transformers",))


@dataclass(frozen=True)
class FakePin:
    specifier: str
    origin: str = "requirements.txt:1"


@pytest.fixture(autouse=True)
def synthetic() -> Iterator[None]:
    releases.use(*packages())
    yield
    releases.use()
    releases._LOADED.clear()  # pyright: ignore[reportPrivateUsage]


def _status(pins: dict[str, str], key: str, local: tuple[LocalField, ...] = ()) -> str:
    pkgs = [p for p in (releases.package("trl"), releases.package("transformers")) if p]
    allowed = resolve(pkgs, {k: FakePin(v) for k, v in pins.items()})
    return assemble(SOURCE, ("sft",), allowed, local).verdict(key).status


@pytest.mark.parametrize(
    ("pins", "key", "expected"),
    [
        pytest.param({}, "max_length", "all", id="newest-has-it"),
        pytest.param({}, "max_seq_length", "none", id="newest-removed-it"),
        pytest.param({}, "no_such_key", "never", id="never-a-key"),
        pytest.param({}, "learning_rate", "all", id="inherited-from-transformers"),
        pytest.param({}, "evaluation_strategy", "none", id="transformers-removed-it"),
        pytest.param({"trl": ">=0.19"}, "torch_dtype", "some", id="range-spans-removal"),
        pytest.param({"trl": "==0.19.1"}, "torch_dtype", "all", id="patch-floors-to-0.19.0"),
        pytest.param({"trl": "==0.19.1"}, "dtype", "none", id="not-yet-added"),
        pytest.param({"trl": "==0.19.1"}, "evaluation_strategy", "some", id="implied-range"),
        pytest.param({"trl": "==0.24.0"}, "evaluation_strategy", "none", id="implied-excludes"),
        pytest.param({"trl": ">=0.19,<0.24"}, "max_seq_length", "all", id="bounded-range"),
        pytest.param({"trl": "==0.18.0"}, "max_length", "none", id="first-release"),
        pytest.param({"trl": "==0.27.0"}, "dataset_name", "all", id="script-arguments"),
        pytest.param(
            {"trl": "==0.27.0", "transformers": "==5.0.0"},
            "overwrite_output_dir",
            "none",
            id="both-pinned",
        ),
        pytest.param({"trl": ">=3"}, "dtype", "all", id="no-release-matches-newest"),
    ],
)
def test_verdict(pins: dict[str, str], key: str, expected: str) -> None:
    assert _status(pins, key) == expected


def test_local_fields_are_known_everywhere() -> None:
    local = (LocalField("system_prompt", "ScriptArguments", "train.py", 7),)
    assert _status({}, "system_prompt", local) == "all"
    assert _status({}, "system_prompt") == "never"


def test_implied_origin_names_the_requirement() -> None:
    pkgs = [p for p in (releases.package("trl"), releases.package("transformers")) if p]
    allowed = resolve(pkgs, {"trl": FakePin("==0.19.1")})
    transformers = allowed["transformers"]
    assert transformers.origin == "implied by trl==0.19.1 requires transformers>=4.36.0"
    assert transformers.indexes == (0, 1, 2)
    assert allowed["trl"].indexes == (1,)


def test_elsewhere_cites_the_release() -> None:
    pkgs = [p for p in (releases.package("trl"), releases.package("transformers")) if p]
    allowed = resolve(pkgs, {})
    verdict = assemble(SOURCE, ("sft",), allowed).verdict("max_seq_length")
    assert [d.cite() for d in verdict.elsewhere] == ["trl 0.18.0 trl/trainer/sft_config.py:20"]
