"""Every dialect against one table: detection of its fixtures, files it must not claim,
canonical fields (value, origin, line), fields left unset, the corpus it claims.

The cases are data (tests/dialect_samples.py, tests/dialect_fields.py); what is particular
to one dialect stays in tests/test_dialect_<name>.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cfgguard.canonical import Field
from cfgguard.dialects import BY_NAME, DIALECTS, MIN_SCORE, detect
from tests.conftest import CORPUS
from tests.dialect_fields import ABSENT, FIELDS
from tests.dialect_helpers import canonical, fixture, line, root_of
from tests.dialect_samples import DETECTED, NOT_CLAIMED

# the corpus folders each dialect claims every file of
CORPUS_FOLDERS = {
    "axolotl": ("axolotl",),
    "llamafactory": ("llamafactory",),
    "trl": ("trl", "alignment-handbook"),
}


@pytest.mark.parametrize(("dialect", "name", "score"), DETECTED)
def test_fixture_is_detected(dialect: str, name: str, score: float | None) -> None:
    root = fixture(dialect, name)
    detection = detect(root)
    assert detection is not None
    assert detection.dialect.name == dialect
    if score is None:
        assert MIN_SCORE <= detection.score <= 20.0
    else:
        assert BY_NAME[dialect].detect(root) == score


@pytest.mark.parametrize(("dialect", "text", "bound"), NOT_CLAIMED)
def test_does_not_claim(dialect: str, text: str, bound: str) -> None:
    score = BY_NAME[dialect].detect(root_of(text))
    if bound == "zero":
        assert score == 0.0
    else:
        assert score < MIN_SCORE


@pytest.mark.parametrize(("dialect", "name", "attr", "value", "origin", "lineno"), FIELDS)
def test_canonical_field(
    dialect: str, name: str, attr: str, value: object, origin: str, lineno: int | None
) -> None:
    got: Field[object] | None = getattr(canonical(dialect, name), attr)
    assert got is not None, attr
    assert got.value == value
    assert got.origin == origin
    if lineno is None:
        assert got.node is None
        assert got.note  # a value the file does not hold names its source
    else:
        assert line(got) == lineno


@pytest.mark.parametrize(("dialect", "name", "attr"), ABSENT)
def test_absent_field(dialect: str, name: str, attr: str) -> None:
    assert getattr(canonical(dialect, name), attr) is None


def _corpus() -> list[object]:
    cases: list[object] = []
    for dialect, dirs in CORPUS_FOLDERS.items():
        if not all((CORPUS / d).is_dir() for d in dirs):
            cases.append(pytest.param(dialect, None, id=f"{dialect}-corpus-missing"))
            continue
        files = sorted(p for d in dirs for p in (CORPUS / d).iterdir() if p.is_file())
        cases.extend(pytest.param(dialect, p, id=f"{p.parent.name}/{p.name}") for p in files)
    return cases


@pytest.mark.parametrize(("dialect", "path"), _corpus())
def test_corpus_file_is_its_dialect(dialect: str, path: Path | None) -> None:
    if path is None:
        reason = f"corpus not found at {CORPUS}"
        if os.environ.get("CFGGUARD_REQUIRE_CORPUS") == "1":
            pytest.fail(reason + " (CFGGUARD_REQUIRE_CORPUS=1)")
        pytest.skip(reason)
    root = root_of(path.read_text(encoding="utf-8"))
    detection = detect(root)
    assert detection is not None, path.name
    assert detection.dialect.name == dialect, (path.name, detection.runner_up)
    c = BY_NAME[dialect].to_canonical(root)
    assert c.base_model is not None
    assert c.learning_rate is not None


@pytest.mark.parametrize("dialect", [d.name for d in DIALECTS])
def test_each_dialect_names_how_it_is_written(dialect: str) -> None:
    from cfgguard.dialects.writing import Writing

    assert isinstance(BY_NAME[dialect].writing, Writing)


def loaded_after_check(tmp_path: Path, text: str, leaves: tuple[str, ...]) -> list[str]:
    """The dialect modules named ``leaves`` a ``cfgguard check`` of ``text`` imported."""
    config = tmp_path / "c.yaml"
    config.write_text(text, encoding="utf-8")
    code = (
        "import sys\nfrom cfgguard.cli import main\nmain(['check', sys.argv[1]])\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('cfgguard.dialects.')\n"
        f"  and m.rpartition('.')[2] in {leaves!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(config)], check=False, capture_output=True, text=True
    )
    assert done.stdout, done.stderr
    last = done.stdout.splitlines()[-1] if done.stdout.strip() else ""
    return last.split(",") if last else []


def test_a_check_does_not_import_the_writing_side(tmp_path: Path) -> None:
    # init, convert and triage read Dialect.writing and the writers; a check (the hook's
    # path) never does
    text = "base_model: x\nlearning_rate: 2e-4\n"
    assert loaded_after_check(tmp_path, text, ("writing", "init_writer", "convert_writer")) == []


def test_a_check_reads_only_its_files_dialects(tmp_path: Path) -> None:
    # every dialect's detection runs; only the detected one's reading and field map load
    text = "base_model: x\nadapter: lora\nmicro_batch_size: 2\n"
    assert loaded_after_check(tmp_path, text, ("read", "field_map")) == [
        "cfgguard.dialects.axolotl.field_map",
        "cfgguard.dialects.axolotl.read",
    ]
