"""Shared test helpers: the corpus location and a one-call pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cfgguard.check import Options, check_source
from cfgguard.findings import Finding
from cfgguard.keyspaces import NoProject
from cfgguard.repository import TargetPin
from cfgguard.source import decode

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _no_ci_output_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests expect text output without colour, also when run inside GitHub Actions."""
    for name in ("GITHUB_ACTIONS", "FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


def corpus_dir() -> Path:
    """The shared corpus; skip (or fail under CFGGUARD_REQUIRE_CORPUS=1) when absent."""
    if not CORPUS.is_dir():
        if os.environ.get("CFGGUARD_REQUIRE_CORPUS") == "1":
            pytest.fail(f"corpus required but missing: {CORPUS}")
        pytest.skip(f"corpus not present at {CORPUS} (../shared/corpus beside the checkout)")
    return CORPUS


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml"))


def run(
    text: str, dialect: str | None = None, path: str = "t.yaml", pins: dict[str, str] | None = None
) -> list[Finding]:
    """Check ``text``; ``pins`` are the repository's (package -> specifier), else none."""
    project = NoProject(
        pins={k: TargetPin(v, "requirements.txt:1") for k, v in (pins or {}).items()}
    )
    options = Options(dialect=dialect, project=lambda _: project)
    return check_source(decode(text.encode(), path), options)


def triples(findings: list[Finding], code: str | None = None) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in findings if code is None or f.code == code]
