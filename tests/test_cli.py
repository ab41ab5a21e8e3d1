from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cfgguard.cli import main

CLEAN = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 32
lora_alpha: 32
learning_rate: 2.0e-4
batch_size: 16
num_steps: 5000
max_seq_len: 4096
target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, lm_head]
"""

DUPLICATE = (
    "base_model: meta-llama/Llama-3.1-8B-Instruct\n"
    "lora_rank: 8\nlora_rank: 16\nbatch_size: 4\nnum_steps: 10\n"
)


def _write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_clean_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "ok.yaml", CLEAN)
    assert main(["check", path]) == 0
    assert capsys.readouterr().out == "All checks passed (1 file checked).\n"


def test_error_exits_1_with_positions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "dup.yaml", DUPLICATE)
    assert main(["check", path]) == 1
    out = capsys.readouterr().out.splitlines()
    y002 = [line for line in out if " Y002 " in line]
    assert y002 == [
        f"{path}:3:1: Y002 [error] duplicate key 'lora_rank' (first defined at line 2);"
        " PyYAML silently keeps the last value, OmegaConf refuses the file"
    ]
    assert out[-1].startswith("Found ")


def test_fail_on_error_ignores_warnings(tmp_path: Path) -> None:
    text = CLEAN.replace("2.0e-4", "2.0e-5")  # R002 warning
    path = _write(tmp_path, "warn.yaml", text)
    assert main(["check", path]) == 1
    assert main(["check", "--fail-on", "error", path]) == 0


def test_json_output_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "dup.yaml", DUPLICATE)
    main(["check", "--output-format", "json", path])
    data: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    assert data
    assert list(data[0]) == [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "name",
        "severity",
        "message",
        "source",
        "dialect",
        "fix",
    ]
    assert [(d["code"], d["line"], d["column"]) for d in data if d["code"] == "Y002"] == [
        ("Y002", 3, 1)
    ]


@pytest.mark.parametrize(
    ("argv", "stderr"),
    [
        (["check", "missing.yaml"], "cfgguard: error: missing.yaml: no such file or directory\n"),
        (["check", "--output-format", "xml", "x"], "cfgguard: error: argument --output-format:"),
        (["frobnicate"], "cfgguard: error: argument command: invalid choice"),
        (["rule", "Z999"], "cfgguard: error: unknown rule code 'Z999'\n"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], stderr: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(stderr)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_not_utf8_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "latin1.yaml", b"name: caf\xe9\n")
    assert main(["check", path]) == 2
    assert capsys.readouterr().err == f"cfgguard: error: {path}:1:10: not valid UTF-8 (byte 0xe9)\n"


def test_directory_walk_finds_yaml_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, "a.yaml", CLEAN)
    _write(tmp_path, "b.yml", CLEAN)
    _write(tmp_path, "c.txt", "not: yaml config")
    (tmp_path / ".hidden").mkdir()
    _write(tmp_path / ".hidden", "d.yaml", DUPLICATE)
    assert main(["check", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "All checks passed (2 files checked).\n"


def test_rule_doc_and_rules_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "y002"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Y002 (duplicate-key) [error]\n")
    assert "## Why is this bad?" in out
    assert main(["rules", "--output-format", "json"]) == 0
    rules: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    codes = [r["code"] for r in rules]
    assert "R002" in codes
    assert "Y001" in codes


def test_show_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "plain.yaml", CLEAN)
    assert main(["show", "--output-format", "json", path]) == 0
    (obj,) = json.loads(capsys.readouterr().out)
    assert obj["dialect"] == "plain"
    assert obj["model"]["id"] == "meta-llama/Llama-3.1-8B"
    fields = obj["fields"]
    assert fields["lora_rank"] == {
        "value": 32,
        "line": 2,
        "column": 12,
        "origin": "file",
        "key": "lora_rank",
        "note": "",
    }
    assert fields["effective_batch_size"]["origin"] == "derived"
    assert fields["lora_trainable_params"]["value"] == 88_121_344


def test_ctrl_c_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import cfgguard.cli.commands

    def interrupted(output_format: str) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cfgguard.cli.commands, "rules_command", interrupted)
    assert main(["rules"]) == 130
    assert capsys.readouterr().err == "cfgguard: interrupted\n"


def test_reader_leaving_the_pipe_is_quiet() -> None:
    """`cfgguard rules | head -1`: no traceback when the reader has gone."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "cfgguard", "rules"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # gone before the first line is written (start-up takes longer)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (2, b"")


def test_an_in_process_caller_gets_the_collector_back(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("base_model: x\n", encoding="utf-8")
    assert gc.isenabled()
    main(["check", str(config)])
    assert gc.isenabled()
    gc.disable()
    try:
        main(["check", str(config)])
        assert not gc.isenabled()  # as it was
    finally:
        gc.enable()


def test_the_command_runs_without_the_collector() -> None:
    code = (
        "import gc, cfgguard.cli.dispatch as m\n"
        "m._main = lambda words: print(gc.isenabled()) or 0\n"
        "from cfgguard.cli import main\n"
        "raise SystemExit(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "check"], check=False, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (0, "False\n"), done.stderr
