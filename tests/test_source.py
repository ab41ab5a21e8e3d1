from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.source import SourceError, decode, read


def _wide(encoding: str) -> str:
    return f"x.yaml: file is encoded as {encoding} a byte-order mark); cfgguard reads UTF-8 only"


def test_utf8_with_bom() -> None:
    src = decode(b"\xef\xbb\xbfa: 1\r\n", "x.yaml")
    assert (src.text, src.bom, src.newline) == ("a: 1\r\n", True, "\r\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a: \xff\n", "x.yaml:1:4: not valid UTF-8 (byte 0xff)"),
        (b"a: 1\nb: \xc3\n", "x.yaml:2:4: not valid UTF-8 (byte 0xc3)"),
        pytest.param(b"\xff\xfea\x00", _wide("UTF-16 (little-endian, with"), id="utf16-le-bom"),
        pytest.param(
            "a: 1\n".encode("utf-32"), _wide("UTF-32 (little-endian, with"), id="utf32-le-bom"
        ),
        pytest.param(
            b"\x00\x00\xfe\xff" + "a: 1\n".encode("utf-32-be"),
            _wide("UTF-32 (big-endian, with"),
            id="utf32-be-bom",
        ),
        pytest.param(
            "base_model: x\n".encode("utf-16-le"),
            _wide("UTF-16 (little-endian, without"),
            id="utf16-le-no-bom",
        ),
        pytest.param(
            "base_model: x\n".encode("utf-16-be"),
            _wide("UTF-16 (big-endian, without"),
            id="utf16-be-no-bom",
        ),
        pytest.param(
            "base_model: x\n".encode("utf-32-le"),
            _wide("UTF-32 (little-endian, without"),
            id="utf32-le-no-bom",
        ),
        pytest.param(
            "base_model: x\n".encode("utf-32-be"),
            _wide("UTF-32 (big-endian, without"),
            id="utf32-be-no-bom",
        ),
    ],
)
def test_bad_encodings(data: bytes, message: str) -> None:
    with pytest.raises(SourceError) as info:
        decode(data, "x.yaml")
    assert str(info.value) == message


def test_a_nul_in_utf8_is_left_to_yaml_noop() -> None:
    # one NUL is not a wide encoding: the YAML layer reports it as a control character
    assert decode(b"a: 1\nb: \x00\n", "x.yaml").text == "a: 1\nb: \x00\n"


def test_read_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read(str(tmp_path / "missing.yaml"))
    with pytest.raises(SourceError, match="is a directory"):
        read(str(tmp_path))
