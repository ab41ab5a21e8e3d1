"""Shared helpers for the knowledge extractor tests: fixture trees and snapshot summaries."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

from cfgguard.knowledge.extract.snapshot import ClassInfo, FieldInfo, Snapshot
from cfgguard.knowledge.extract.tree import DirTree, TarTree, ZipTree

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge"


def fixture_tree(package: str) -> DirTree:
    return DirTree(str(FIXTURES / package))


def _files(package: str) -> list[tuple[str, bytes]]:
    root = FIXTURES / package
    return sorted(
        (p.relative_to(root).as_posix(), p.read_bytes())
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def as_wheel(package: str, folder: Path) -> ZipTree:
    """The fixture packed as a wheel would be (files at the top, a dist-info beside)."""
    path = folder / f"{package}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in _files(package):
            wheel.writestr(name, data)
        wheel.writestr(f"{package}-1.0.dist-info/METADATA", "Name: x\nVersion: 1.0\n")
    return ZipTree(str(path))


def as_sdist(package: str, folder: Path) -> TarTree:
    """The fixture packed as an sdist with a src/ layout (``name-1.0/src/<package>/...``)."""
    path = folder / f"{package}-1.0.tar.gz"
    with tarfile.open(path, "w:gz") as sdist:
        for name, data in _files(package):
            info = tarfile.TarInfo(f"{package}-1.0/src/{name}")
            info.size = len(data)
            sdist.addfile(info, io.BytesIO(data))
    return TarTree(str(path))


def write_tree(root: Path, files: dict[str, str]) -> DirTree:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return DirTree(str(root))


def shape(snapshot: Snapshot) -> dict[str, tuple[str, int, tuple[str, ...], tuple[str, ...]]]:
    """Class name -> (file, line, bases, own field names)."""
    return {
        c.name: (c.file, c.line, c.bases, tuple(f.name for f in c.fields)) for c in snapshot.classes
    }


def field_of(snapshot: Snapshot, cls: str, name: str) -> FieldInfo:
    info: ClassInfo | None = snapshot.class_named(cls)
    assert info is not None, f"no class {cls}"
    return next(f for f in info.fields if f.name == name)


def without_prefix(path: str) -> str:
    return path.split("src/", 1)[1] if path.startswith("src/") else path
