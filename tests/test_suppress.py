"""Inline suppressions: line, block and file scopes, unused ones (S001), --add-ignore."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.cli import main
from tests.conftest import run, triples

AX = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: 32
lora_alpha: 32
micro_batch_size: 4
gradient_accumulation_steps: 4
sequence_len: 2048
num_epochs: 1
learning_rate: 2e-5{lr_comment}
trl:{trl_comment}
  beta: 0.1
  betta: 2
"""


def _codes(text: str, *only: str) -> list[tuple[str, int, int]]:
    return [t for t in triples(run(text, "axolotl")) if t[0] in only]


@pytest.mark.parametrize(
    ("lr_comment", "trl_comment", "expected"),
    [
        ("", "", [("R002", 9, 16), ("K001", 12, 3)]),
        ("  # cfgguard: ignore[R002]", "", [("K001", 12, 3)]),
        ("  # peak  # cfgguard: ignore[r002]", "", [("K001", 12, 3)]),
        ("  # cfgguard: ignore", "", [("K001", 12, 3)]),
        ("", "  # cfgguard: ignore[K001]", [("R002", 9, 16)]),  # block scope
        ("  # cfgguard: ignore[K001]", "", [("R002", 9, 16), ("S001", 9, 22), ("K001", 12, 3)]),
        ("  # cfgguard: ignore[R002, Z999]", "", [("S001", 9, 22), ("K001", 12, 3)]),
    ],
)
def test_line_and_block(
    lr_comment: str, trl_comment: str, expected: list[tuple[str, int, int]]
) -> None:
    text = AX.format(lr_comment=lr_comment, trl_comment=trl_comment)
    assert _codes(text, "R002", "K001", "S001") == expected


def test_unused_and_unknown_messages() -> None:
    text = AX.format(lr_comment="  # cfgguard: ignore[R002, Z999, L006]", trl_comment="")
    messages = [f.message for f in run(text, "axolotl") if f.code == "S001"]
    assert messages == [
        "unknown rule code Z999 in 'cfgguard: ignore'",
        "unused suppression of L006 in 'cfgguard: ignore': no L006 finding here",
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("# cfgguard: disable-file\n", []),
        ("# cfgguard: disable-file[R002]\n", [("K001", 13, 3)]),
    ],
)
def test_file_scope(header: str, expected: list[tuple[str, int, int]]) -> None:
    text = header + AX.format(lr_comment="", trl_comment="")
    assert _codes(text, "R002", "K001", "S001") == expected


@pytest.mark.parametrize(
    ("header", "lr_comment", "expected"),
    [
        pytest.param(  # the line directive is redundant, not a reason to fail the file
            "# cfgguard: disable-file\n", "  # cfgguard: ignore[R002]", [], id="all-and-line"
        ),
        pytest.param(
            "# cfgguard: disable-file\n", "  # cfgguard: ignore[L006]", [], id="all-and-unused"
        ),
        pytest.param(
            "# cfgguard: disable-file[R002]\n",
            "  # cfgguard: ignore[L006]",
            [("S001", 10, 22), ("K001", 13, 3)],
            id="codes-only-noop",
        ),
        pytest.param(
            "# cfgguard: disable-file[R002, S001]\n",
            "  # cfgguard: ignore[L006]",
            [("K001", 13, 3)],
            id="codes-with-s001",
        ),
    ],
)
def test_disable_file_covers_line_directives(
    header: str, lr_comment: str, expected: list[tuple[str, int, int]]
) -> None:
    text = header + AX.format(lr_comment=lr_comment, trl_comment="")
    assert _codes(text, "R002", "K001", "S001", "L006") == expected


def test_hash_in_block_scalar_is_not_a_directive() -> None:
    text = AX.format(lr_comment="", trl_comment="") + "notes: |\n  # cfgguard: disable-file\n"
    assert [c for c, _, _ in _codes(text, "R002")] == ["R002"]


def test_add_ignore_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.yaml"
    text = AX.format(lr_comment="  # peak", trl_comment="")
    path.write_bytes(text.replace("\n", "\r\n").encode())
    assert main(["check", "--add-ignore", "--select", "R002,K001", str(path)]) == 0
    fixed = path.read_bytes().decode()
    assert "learning_rate: 2e-5  # peak  # cfgguard: ignore[R002]\r\n" in fixed
    assert "  betta: 2  # cfgguard: ignore[K001]\r\n" in fixed
    assert "\n" not in fixed.replace("\r\n", "")
    capsys.readouterr()
    assert main(["check", "--select", "R002,K001,S001", str(path)]) == 0
    assert capsys.readouterr().out == "All checks passed (1 file checked).\n"
