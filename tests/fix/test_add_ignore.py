"""``check --add-ignore`` puts its comment where YAML ends the value, and writes only
when the data stays the same (issue 14, item 2)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from cfgguard.check import Options, check_source
from cfgguard.cli import main
from cfgguard.fix import baseline
from cfgguard.source import Source
from cfgguard.yaml.nodes import Document

QWEN = "base_model: Qwen/Qwen2.5-7B-Instruct\nadapter: lora\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'base_model: "my-org/\n  custom-7b"\nadapter: lora\n',
            'base_model: "my-org/\n  custom-7b"  # cfgguard: ignore[M001]\nadapter: lora\n',
            id="double-quoted",
        ),
        pytest.param(
            "base_model: 'my-org/\n\n  custom-7b'\nadapter: lora\n",
            "base_model: 'my-org/\n\n  custom-7b'  # cfgguard: ignore[M001]\nadapter: lora\n",
            id="single-quoted-blank-line",
        ),
        pytest.param(
            "base_model: my-org/\n  custom-7b\nadapter: lora\n",
            "base_model: my-org/\n  custom-7b  # cfgguard: ignore[M001]\nadapter: lora\n",
            id="plain",
        ),
        pytest.param(
            QWEN + "lora_target_modules: [c_attn,\n  c_proj]\n",
            QWEN + "lora_target_modules: [c_attn,\n  c_proj]  # cfgguard: ignore[L004, L006]\n",
            id="flow-list",
        ),
        pytest.param(
            QWEN + 'wandb: {projec: "a\n  b", x: 1}\n',
            QWEN + 'wandb: {projec: "a\n  b", x: 1}  # cfgguard: ignore[K001]\n',
            id="flow-mapping",
        ),
        pytest.param(
            QWEN + "chat_templat: |\n  {{ x }} # y\n  z\nlearnin_rate: 1\n",
            QWEN + "chat_templat: |  # cfgguard: ignore[K001]\n  {{ x }} # y\n  z\n"
            "learnin_rate: 1  # cfgguard: ignore[K001]\n",
            id="block-scalar-header-and-line-after",
        ),
    ],
)
def test_comment_goes_where_the_value_ends(text: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text)
    assert main(["check", "--add-ignore", "--dialect", "axolotl", str(path)]) == 0
    assert path.read_text() == expected
    assert main(["check", "--dialect", "axolotl", str(path)]) == 0  # every finding silenced


def test_add_ignore_refuses_a_change_of_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # place the comment by line only (the old behaviour): it would land inside the value
    def by_line_only(documents: Sequence[Document]) -> set[int]:
        del documents
        return set()

    monkeypatch.setattr(baseline, "spanning_lines", by_line_only)
    path = tmp_path / "c.yaml"
    text = 'base_model: "my-org/\n  custom-7b"\nadapter: lora\n'
    path.write_text(text)
    assert main(["check", "--add-ignore", "--dialect", "axolotl", str(path)]) == 2
    assert path.read_text() == text
    assert (
        f"{path}: --add-ignore would change the data (the value at line 1 became"
        " 'my-org/  # cfgguard: ignore[M001] custom-7b'); left unchanged"
    ) in capsys.readouterr().err


def test_directive_after_a_block_scalar_is_read() -> None:
    # a block scalar ends at the start of the next line: that line's directive counts
    text = QWEN + "chat_template: |\n  x\nlearnin_rate: 1  # cfgguard: ignore[K001]\n"
    assert check_source(Source("t.yaml", text), Options(dialect="axolotl")) == []
