"""A running ``cfgguard server`` shared by a module's tests, and project folders."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.client import Client

_NUMBERS = itertools.count()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The editor's workspace folder (a repository: checks look no further up)."""
    root = tmp_path_factory.mktemp("workspace")
    (root / ".git").mkdir()
    return root


@pytest.fixture(scope="module")
def server(workspace: Path) -> Iterator[Client]:
    client = Client(workspace)
    try:
        client.initialize()
        yield client
        assert client.stop() == 0
    finally:
        client.kill()


@pytest.fixture
def project(workspace: Path) -> Path:
    """A repository of its own inside the workspace (its own configuration and pins)."""
    folder = workspace / f"project{next(_NUMBERS)}"
    (folder / ".git").mkdir(parents=True)
    return folder
