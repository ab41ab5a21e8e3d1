"""The build's own parts that the HF-family data depends on: requirements from metadata,
downloads from an index that lists files relative to itself."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cfgguard.knowledge.build import fetch
from cfgguard.knowledge.build.metadata import requirements
from tests.knowledge.helpers import write_tree

KNOWN = ("transformers", "trl", "peft")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["transformers>=4.56.1", 'transformers!=4.57.0; python_version == "3.9"'],
            {"transformers": ">=4.56.1"},
            id="a-marker-line-does-not-override-a-plain-one",
        ),
        pytest.param(
            ["transformers>=4.41", "transformers<=4.45"],
            {"transformers": "<=4.45,>=4.41"},
            id="lines-intersect",
        ),
        pytest.param(
            ['peft>=0.14; python_version >= "3.10"'],
            {"peft": ">=0.14"},
            id="only-a-marker-line",
        ),
        pytest.param(['peft>=0.12; extra == "peft"', "trl"], {"trl": ""}, id="extras-left-out"),
        pytest.param(["torch>=2", "trl>=0.9 garbage(("], {}, id="unknown-and-invalid"),
    ],
)
def test_requirements(tmp_path: Path, lines: list[str], expected: dict[str, str]) -> None:
    metadata = "Name: x\n" + "".join(f"Requires-Dist: {line}\n" for line in lines)
    tree = write_tree(tmp_path, {"x-1.0.dist-info/METADATA": metadata})
    assert requirements(tree, KNOWN, exclude="x") == expected


def test_download_resolves_a_relative_file_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = b"wheel bytes"
    files = [
        {
            "filename": "pkg-1.0-py3-none-any.whl",
            "packagetype": "bdist_wheel",
            "url": "../../packages/ab/pkg-1.0-py3-none-any.whl",
            "digests": {"sha256": hashlib.sha256(payload).hexdigest()},
        }
    ]
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "index.json").write_text(json.dumps({"1.0": files}), encoding="utf-8")
    asked: list[str] = []

    def get(url: str) -> bytes:
        asked.append(url)
        return payload

    monkeypatch.setattr(fetch, "CACHE", str(tmp_path))
    monkeypatch.setattr(fetch, "_get", get)
    path = fetch.download("pkg", "1.0")
    assert asked == ["https://pypi.org/packages/ab/pkg-1.0-py3-none-any.whl"]
    assert Path(path).read_bytes() == payload
    assert fetch.download("pkg", "1.0") == path  # cached: no second request
    assert len(asked) == 1
