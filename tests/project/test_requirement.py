"""One requirement string -> a pin: PEP 508, direct references, Poetry and conda syntax."""

from __future__ import annotations

import pytest

from cfgguard.project.names import known
from cfgguard.project.pinfiles.requirements_txt import logical_lines
from cfgguard.project.records import Pin
from cfgguard.project.requirement import (
    exact_version,
    from_conda,
    from_pep508,
    intersect,
    poetry_constraint,
    satisfies,
)

GIT = "git+https://github.com/huggingface/trl.git"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("trl", Pin("trl", "", "f:1"), id="bare"),
        pytest.param(
            "trl[vllm]==0.18.0", Pin("trl", "==0.18.0", "f:1", version="0.18.0"), id="extras"
        ),
        pytest.param("TRL >= 0.19 , <0.20", Pin("trl", "<0.20,>=0.19", "f:1"), id="spaces-case"),
        pytest.param("LLaMA-Factory>=0.9", Pin("llamafactory", ">=0.9", "f:1"), id="github-name"),
        pytest.param(
            "llama_factory==0.9.3",
            Pin("llamafactory", "==0.9.3", "f:1", version="0.9.3"),
            id="underscore",
        ),
        pytest.param(
            'peft==0.15.2; sys_platform == "win32"',
            Pin("peft", "==0.15.2", "f:1", version="0.15.2", marker='sys_platform == "win32"'),
            id="marker-kept",
        ),
        pytest.param("trl==0.19.*", Pin("trl", "==0.19.*", "f:1"), id="wildcard-not-exact"),
        pytest.param(
            f"trl @ {GIT}@69ad852e5654a77f1695eb4c608906fe0c7e8624",
            Pin(
                "trl",
                "",
                "f:1",
                url=f"{GIT}@69ad852e5654a77f1695eb4c608906fe0c7e8624",
                note="git ref 69ad852e5654; version unknown",
            ),
            id="git-commit",
        ),
        pytest.param(
            f"trl@{GIT}@v0.19.1#egg=trl[main]",
            Pin(
                "trl",
                "==0.19.1",
                "f:1",
                url=f"{GIT}@v0.19.1#egg=trl[main]",
                version="0.19.1",
                note="git tag v0.19.1",
            ),
            id="git-tag",
        ),
        pytest.param(
            "git+ssh://git@github.com/huggingface/trl.git",
            Pin(
                "trl",
                "",
                "f:1",
                url="git+ssh://git@github.com/huggingface/trl.git",
                note="a commit; version unknown",
            ),
            id="bare-url-user-is-not-a-ref",
        ),
        pytest.param(
            "https://github.com/huggingface/trl/archive/refs/tags/v0.17.0.zip",
            Pin(
                "trl",
                "==0.17.0",
                "f:1",
                url="https://github.com/huggingface/trl/archive/refs/tags/v0.17.0.zip",
                version="0.17.0",
                note="archive of a release",
            ),
            id="archive",
        ),
        pytest.param("numpy==1.26", None, id="unknown-package"),
        pytest.param("sentence-transformers>=2", None, id="other-package-same-word"),
        pytest.param("trl===", None, id="invalid"),
        pytest.param("", None, id="empty"),
    ],
)
def test_from_pep508(text: str, expected: Pin | None) -> None:
    assert from_pep508(text, "f:1") == expected


@pytest.mark.parametrize(
    ("text", "specifier"),
    [
        pytest.param("^1.2.3", ">=1.2.3,<2.0.0", id="caret"),
        pytest.param("^0.2.3", ">=0.2.3,<0.3.0", id="caret-zero-major"),
        pytest.param("^0.0.3", ">=0.0.3,<0.0.4", id="caret-zero-minor"),
        pytest.param("^0.0", ">=0.0,<0.1", id="caret-two-zero"),
        pytest.param("^0", ">=0,<1", id="caret-zero"),
        pytest.param("~1.2.3", ">=1.2.3,<1.3", id="tilde"),
        pytest.param("~1", ">=1,<2", id="tilde-major"),
        pytest.param("~=1.2", "~=1.2", id="compatible-release"),
        pytest.param("1.2.3", "==1.2.3", id="bare-version"),
        pytest.param("1.2.*", "==1.2.*", id="wildcard"),
        pytest.param("*", "", id="any"),
        pytest.param(">= 1.2, < 2.0", ">=1.2,<2.0", id="comma"),
        pytest.param(">=1.2 <2.0", ">=1.2,<2.0", id="space-separated"),
        pytest.param("^1.0 || ^2.0", None, id="alternatives"),
    ],
)
def test_poetry_constraint(text: str, specifier: str | None) -> None:
    assert poetry_constraint(text) == specifier


@pytest.mark.parametrize(
    ("text", "specifier"),
    [
        pytest.param("trl=0.19.1", "==0.19.1", id="three-parts-exact"),
        pytest.param("transformers=4.51", "==4.51.*", id="two-parts-prefix"),
        pytest.param("peft=0.15.1=pypi_0", "==0.15.1", id="build-string"),
        pytest.param("conda-forge::trl=0.19.1", "==0.19.1", id="channel"),
        pytest.param("trl 0.19.*", "==0.19.*", id="space-separated"),
        pytest.param("trl>=0.19", ">=0.19", id="pep440"),
        pytest.param("trl", "", id="bare"),
        pytest.param("python=3.11", None, id="unknown"),
    ],
)
def test_from_conda(text: str, specifier: str | None) -> None:
    pin = from_conda(text, "e:1")
    assert (pin.specifier if pin else None) == specifier


def test_specifier_helpers() -> None:
    assert intersect([">=0.8", "", "<0.10"]) == "<0.10,>=0.8"
    assert intersect(["", ""]) == ""
    assert (exact_version("==0.19.1"), exact_version("==0.19.*"), exact_version(">=1")) == (
        "0.19.1",
        "",
        "",
    )
    assert exact_version("==0.19.1,==0.20.0") == ""
    assert (satisfies("0.20.1", ">=0.19"), satisfies("0.20.1", "<0.20"), satisfies("1.0", "")) == (
        True,
        False,
        True,
    )
    assert satisfies("0.16.0.dev0", ">=0.15")


@pytest.mark.parametrize(
    ("name", "package"),
    [
        pytest.param("LLaMA-Factory", "llamafactory", id="github-name"),
        pytest.param("llamafactory", "llamafactory", id="pypi-name"),
        pytest.param("Transformers", "transformers", id="case"),
        pytest.param("torch_tune", "", id="not-a-spelling"),
        pytest.param("sentence-transformers", "", id="other"),
    ],
)
def test_known(name: str, package: str) -> None:
    assert known(name) == package


def test_logical_lines() -> None:
    text = "# head\ntrl>=0.19 \\\n  ,<0.20  # why\n\nurl#egg=trl\n  peft\\"
    assert logical_lines(text) == [(2, "trl>=0.19    ,<0.20"), (5, "url#egg=trl"), (6, "peft")]
