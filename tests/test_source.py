from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.source import SourceError, decode, read


def test_utf8_with_bom() -> None:
    src = decode(b"\xef\xbb\xbfa: 1\r\n", "x.yaml")
    assert (src.text, src.bom, src.newline) == ("a: 1\r\n", True, "\r\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a: \xff\n", "x.yaml:1:4: not valid UTF-8 (byte 0xff)"),
        (b"a: 1\nb: \xc3\n", "x.yaml:2:4: not valid UTF-8 (byte 0xc3)"),
        (b"\xff\xfea\x00", "x.yaml: file is UTF-16 encoded; cfgguard reads UTF-8 only"),
    ],
)
def test_bad_encodings(data: bytes, message: str) -> None:
    with pytest.raises(SourceError) as info:
        decode(data, "x.yaml")
    assert str(info.value) == message


def test_read_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read(str(tmp_path / "missing.yaml"))
    with pytest.raises(SourceError, match="is a directory"):
        read(str(tmp_path))
