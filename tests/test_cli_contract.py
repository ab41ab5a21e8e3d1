"""The CLI contract as a new user meets it (issue 14, items 11, 13, 15-17, 19, 20).

Unknown codes, bad flag values and bad project configs are exit 2 with one line each;
summaries count what they say; no traceback and no hang on odd config paths.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cfgguard.cli import main
from cfgguard.globs import matches

# R002 (warning) at 4:16 and L001 (info) at 2:12 on a known 8B model (plain dialect)
CFG = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 16
lora_alpha: 32
learning_rate: 2.0e-5
batch_size: 16
num_steps: 5000
"""
CLEAN = CFG.replace("lora_rank: 16", "lora_rank: 32").replace("2.0e-5", "2.0e-4")


def _write(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _errors(err: str) -> list[str]:
    lines = err.splitlines()
    assert all(line.startswith("cfgguard: error: ") for line in lines), err
    return [line.removeprefix("cfgguard: error: ") for line in lines]


# --- 15: unknown codes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "value", "unknown"),
    [
        pytest.param("--select", "R02", "R02", id="select-typo"),
        pytest.param("--select", "R,Z", "Z", id="select-prefix-of-nothing"),
        pytest.param("--extend-select", "L0099", "L0099", id="extend-select"),
        pytest.param("--ignore", "Q001", "Q001", id="ignore"),
        pytest.param("--per-file-ignores", "a/*.yaml:R002,X1", "X1", id="per-file-ignores"),
    ],
)
def test_unknown_code_in_a_flag_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str, unknown: str
) -> None:
    _write(tmp_path, {"a.yaml": CFG})
    assert main(["check", flag, value, str(tmp_path / "a.yaml")]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # never "All checks passed"
    [error] = _errors(err)
    assert f"unknown rule code '{unknown}'" in error


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("ALL", 1, id="all"),
        pytest.param("all", 1, id="all-lowercase"),
        pytest.param("R", 1, id="prefix"),
        pytest.param("R0", 1, id="longer-prefix"),
        pytest.param("K001", 0, id="code-not-found-here"),
    ],
)
def test_known_selections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, expected: int
) -> None:
    _write(tmp_path, {"a.yaml": CFG})
    assert main(["check", "--select", value, str(tmp_path / "a.yaml")]) == expected
    assert capsys.readouterr().err == ""


def test_ignore_takes_prefixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, {"a.yaml": CFG})
    assert main(["check", "--ignore", "R,L", str(tmp_path / "a.yaml")]) == 0
    assert capsys.readouterr().out == "All checks passed (1 file checked).\n"


def test_unknown_code_in_the_config_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = '[tool.cfgguard]\nfail-on = "error"\nselect = ["R02"]\n'
    _write(tmp_path, {"pyproject.toml": config, "a.yaml": CFG})
    assert main(["check", str(tmp_path / "a.yaml")]) == 2
    out, err = capsys.readouterr()
    assert "All checks passed" not in out
    assert _errors(err) == [
        f"{tmp_path / 'pyproject.toml'}:3: 'select': unknown rule code 'R02' (see `cfgguard rules`)"
    ]


def test_select_all_in_the_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, {".cfgguard.toml": 'select = ["ALL"]\n', "a.yaml": CFG})
    assert main(["check", str(tmp_path / "a.yaml")]) == 1
    assert "R002" in capsys.readouterr().out


# --- 16: a bad config: every problem, once -----------------------------------------------------


def test_every_problem_of_a_bad_config_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = '[tool.cfgguard]\nfail-on = "fatal"\ndevices = 0\nignroe = ["R002"]\n'
    files = {"pyproject.toml": config, "a.yaml": CFG, "b.yaml": CFG, "sub/c.yaml": CFG}
    _write(tmp_path, files)
    assert main(["check", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    where = tmp_path / "pyproject.toml"
    assert _errors(err) == [
        f"{where}:2: 'fail-on' must be one of info, warning, error, none",
        f"{where}:3: 'devices' must be a positive integer",
        f"{where}:4: unknown cfgguard setting 'ignroe' (did you mean 'ignore'?)",
    ]
    assert out == "No findings (0 files checked), and 3 problems reported below (exit 2).\n"


def test_exit_2_with_findings_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, {"a.yaml": CFG})
    assert main(["check", str(tmp_path / "a.yaml"), str(tmp_path / "missing.yaml")]) == 2
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == (
        "Found 2 findings (1 warning, 1 info) in 1 file (1 checked),"
        " and 1 problem reported below (exit 2)."
    )


# --- 11: config values that crashed -----------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "message"),
    [
        pytest.param("hidden_size = 0", "hidden_size must be a positive integer", id="hidden-0"),
        pytest.param(
            'hidden_size = 4096\ntied_embeddings = "no"',
            "tied_embeddings must be true or false",
            id="tied-string",
        ),
        pytest.param(
            "hidden_size = 4096\nlayers = -1", "layers must be a non-negative integer", id="layers"
        ),
    ],
)
def test_declared_model_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    config = f'[tool.cfgguard.models."my/m"]\nfamily = "llama"\nsize = "7-8B"\n{table}\n'
    text = "base_model: my/m\nadapter: lora\nlearning_rate: 2e-4\nlora_r: 8\n"
    _write(tmp_path, {"pyproject.toml": config, "a.yaml": text})
    assert main(["check", str(tmp_path / "a.yaml")]) == 2  # hidden_size 0 was a traceback in R004
    assert _errors(capsys.readouterr().err) == [
        f"{tmp_path / 'pyproject.toml'}:1: model 'my/m': {message}"
    ]


def test_deeply_nested_toml_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "\n")
    _write(tmp_path, {"a.yaml": CFG})
    assert main(["check", "--config", str(path), str(tmp_path / "a.yaml")]) == 2
    assert _errors(capsys.readouterr().err) == [
        f"{path}: invalid TOML: arrays or tables nested too deeply"
    ]


# --- 13: config paths that are not regular files ------------------------------------------------


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "directory", "too-big"])
def test_config_must_be_a_small_regular_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    _write(tmp_path, {"a.yaml": CFG})
    if kind == "dev-zero":
        path, expected = "/dev/zero", "/dev/zero: not a regular file"
    elif kind == "fifo":
        path = str(tmp_path / "fifo.toml")
        os.mkfifo(path)
        expected = f"{path}: not a regular file"
    elif kind == "directory":
        path, expected = str(tmp_path), f"{tmp_path}: not a regular file"
    else:
        path = str(tmp_path / "big.toml")
        Path(path).write_text("# " + "x" * (1 << 20) + "\n")
        expected = f"{path}: larger than 1 MiB; not a cfgguard config"
    assert main(["check", "--config", path, str(tmp_path / "a.yaml")]) == 2
    assert _errors(capsys.readouterr().err) == [expected]


@pytest.mark.parametrize("command", ["init", "convert"])
def test_output_to_a_fifo_is_refused_not_hung(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    fifo = tmp_path / "out.yaml"
    os.mkfifo(fifo)
    source = tmp_path / "a.yaml"
    source.write_text(CLEAN)
    argv = {
        "init": ["init", "--dialect", "trl", "--method", "sft", "--model", "Qwen/Qwen2.5-7B"],
        "convert": ["convert", str(source), "--to", "trl"],
    }[command]
    assert main([*argv, "-o", str(fifo), "--force"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"cfgguard: error: {fifo}: not a regular file; nothing written"


def test_output_through_a_symlink_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "elsewhere.yaml"
    target.write_text("keep: me\n")
    link = tmp_path / "out.yaml"
    link.symlink_to(target)
    argv = ["init", "--dialect", "trl", "--method", "sft", "--model", "Qwen/Qwen2.5-7B"]
    assert main([*argv, "-o", str(link), "--force"]) == 2
    assert _errors(capsys.readouterr().err) == [
        f"{link}: is a symbolic link; name the real file; nothing written"
    ]
    assert target.read_text() == "keep: me\n"


def test_output_with_force_replaces_a_regular_file(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    out.write_text("old\n")
    out.chmod(0o640)
    argv = ["init", "--dialect", "trl", "--method", "sft", "--model", "Qwen/Qwen2.5-7B"]
    assert main([*argv, "-o", str(out), "--force"]) == 0
    assert out.read_text().startswith("# TRL:")
    assert out.stat().st_mode & 0o777 == 0o640
    assert not list(tmp_path.glob(".cfgguard-*"))


# --- 17: summaries -----------------------------------------------------------------------------


def test_summary_counts_files_with_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, {"a.yaml": CFG, "b.yaml": CLEAN, "c.yaml": CLEAN})
    assert main(["check", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Found 2 findings (1 warning, 1 info) in 1 file (3 checked)."
    )


TYPO = "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: 32\nlearnin_rate: 2.0e-4\n"


def test_diff_says_would_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, {"a.yaml": TYPO})
    assert main(["check", "--diff", str(tmp_path / "a.yaml")]) == 1
    err = capsys.readouterr().err
    assert "would fix 1, 0 remaining (0 fixable with --unsafe-fixes)" in err
    assert " fixed" not in err


def test_fix_only_never_says_all_checks_passed_while_a_finding_remains(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, {"a.yaml": CFG})  # R002's fix is unsafe: it remains
    assert main(["check", "--fix-only", str(tmp_path / "a.yaml")]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "0 fixed, 2 remaining (1 fixable with --unsafe-fixes)\n"


# --- 19: globs, flag values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        pytest.param("**/legacy/*.yaml", "legacy/x.yaml", True, id="doublestar-zero-dirs"),
        pytest.param("**/legacy/*.yaml", "a/b/legacy/x.yaml", True, id="doublestar-dirs"),
        pytest.param("legacy/*.yaml", "legacy/x.yaml", True, id="relative"),
        pytest.param("legacy/*.yaml", "old/legacy/x.yaml", False, id="relative-anchored"),
        pytest.param("legacy", "legacy/sub/x.yaml", True, id="directory-name"),
        pytest.param("vendor/*", "vendor/sub/x.yaml", True, id="star-crosses-slash-like-ruff"),
        pytest.param("*.yml", "a/b/x.yml", True, id="name-anywhere"),
        pytest.param("x?.yaml", "x1.yaml", True, id="question"),
        pytest.param("[!a]*.yaml", "b.yaml", True, id="negated-class"),
        pytest.param("[!a]*.yaml", "a.yaml", False, id="negated-class-no"),
        pytest.param("legacy/**", "legacy/a/b.yaml", True, id="trailing-doublestar"),
        pytest.param("sft.yaml", "dpo.yaml", False, id="no-match_noop"),
    ],
)
def test_globs_are_ruff_like(tmp_path: Path, glob: str, path: str, expected: bool) -> None:
    assert matches([glob], str(tmp_path / path), str(tmp_path)) is expected


def test_doublestar_per_file_ignores_from_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = '[tool.cfgguard.per-file-ignores]\n"**/legacy/*.yaml" = ["R", "L"]\n'
    _write(tmp_path, {"pyproject.toml": config, "legacy/x.yaml": CFG})
    assert main(["check", str(tmp_path / "legacy" / "x.yaml")]) == 0
    assert capsys.readouterr().out == "All checks passed (1 file checked).\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["--per-file-ignores", "nocolon"],
            "argument --per-file-ignores: expected GLOB:CODES, got 'nocolon'",
            id="per-file-ignores-no-colon",
        ),
        pytest.param(
            ["--per-file-ignores", ":R002"],
            "argument --per-file-ignores: expected GLOB:CODES, got ':R002'",
            id="per-file-ignores-no-glob",
        ),
        pytest.param(
            ["--gpu-memory", "-5"],
            "argument --gpu-memory: expected a positive integer, got '-5'",
            id="gpu-memory-negative",
        ),
        pytest.param(
            ["--devices", "0"],
            "argument --devices: expected a positive integer, got '0'",
            id="devices-zero",
        ),
        pytest.param(
            ["--dataset-size", "many"],
            "argument --dataset-size: expected a positive integer, got 'many'",
            id="dataset-size-word",
        ),
    ],
)
def test_bad_flag_values_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    _write(tmp_path, {"a.yaml": CFG})
    assert main(["check", *argv, str(tmp_path / "a.yaml")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert _errors(err) == [message]


def test_init_gpu_memory_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["init", "--dialect", "trl", "--method", "sft", "--model", "Qwen/Qwen2.5-7B"]
    assert main([*argv, "--gpu-memory", "0"]) == 2
    assert _errors(capsys.readouterr().err) == [
        "argument --gpu-memory: expected a positive integer, got '0'"
    ]


# --- 20: usage ---------------------------------------------------------------------------------


def test_bare_cfgguard_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: cfgguard [-h] [--version]")
    assert "check" in err
    assert "convert" in err


def test_check_help_describes_the_command_and_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--help"])
    assert exit_info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Check configs and report findings" in out
    assert "- for standard input" in out
    assert "- reads standard input" in out
    assert "{info,warning,error,none}" in out


def test_fail_on_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, {"a.yaml": CFG})
    assert main(["check", "--fail-on", "none", str(tmp_path / "a.yaml")]) == 0
    assert "R002" in capsys.readouterr().out
    _write(tmp_path, {".cfgguard.toml": 'fail-on = "none"\n'})
    assert main(["check", str(tmp_path / "a.yaml")]) == 0
    assert main(["check", str(tmp_path / "a.yaml"), str(tmp_path / "missing.yaml")]) == 2
