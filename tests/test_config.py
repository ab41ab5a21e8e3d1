"""Project configuration: discovery, precedence, per-file ignores, errors with lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cfgguard.cli import main
from cfgguard.config import Config, ConfigError, Finder

# R002 (warning) at 4:16 and L001 (info) at 2:12 on a known 8B model
CFG = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 16
lora_alpha: 32
learning_rate: 2.0e-5
batch_size: 16
num_steps: 5000
"""


def _tree(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _codes(capsys: pytest.CaptureFixture[str]) -> list[str]:
    out = capsys.readouterr().out.splitlines()[:-1]
    return [line.split(": ")[1].split()[0] for line in out]


def test_pyproject_table_applies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tree(tmp_path, {"pyproject.toml": '[tool.cfgguard]\nignore = ["R002"]\n', "a.yaml": CFG})
    assert main(["check", str(tmp_path / "a.yaml")]) == 0
    assert "R002" not in _codes(capsys)


def test_closest_config_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.cfgguard]\nignore = ["R002"]\n',
            "sub/.cfgguard.toml": 'select = ["R002"]\n',
            "sub/b.yaml": CFG,
            "a.yaml": CFG,
        },
    )
    assert main(["check", str(tmp_path / "sub" / "b.yaml")]) == 1
    assert _codes(capsys) == ["R002"]
    assert main(["check", str(tmp_path / "a.yaml")]) == 0


def test_cli_overrides_and_config_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.cfgguard]\nfail-on = "error"\n',
            "other.toml": '[tool.cfgguard]\nselect = ["L001"]\n',
            "a.yaml": CFG,
        },
    )
    path = str(tmp_path / "a.yaml")
    assert main(["check", path]) == 0  # fail-on error from the config
    assert main(["check", "--fail-on", "warning", path]) == 1  # the flag wins
    capsys.readouterr()
    other = str(tmp_path / "other.toml")
    assert main(["check", "--config", other, path]) == 0
    assert _codes(capsys) == ["L001"]


def test_per_file_ignores_and_exclude(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = (
        '[tool.cfgguard]\nexclude = ["vendor/*"]\n'
        '[tool.cfgguard.per-file-ignores]\n"legacy/*.yaml" = ["R002", "L001"]\n'
    )
    _tree(
        tmp_path,
        {"pyproject.toml": config, "legacy/a.yaml": CFG, "vendor/b.yaml": CFG, "c.yaml": CFG},
    )
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "legacy" not in out
    assert "vendor" not in out
    assert "c.yaml:4:16: R002" in out
    assert out.rstrip().endswith("Found 2 findings (1 warning, 1 info) in 1 file (2 checked).")


def test_severity_override_and_declared_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        '[tool.cfgguard.severity]\nR002 = "info"\n'
        '[tool.cfgguard.models."my-org/my-7b"]\nfamily = "llama"\nsize = "7-8B"\n'
        "hidden_size = 4096\n"
    )
    _tree(
        tmp_path,
        {
            ".cfgguard.toml": config.replace("tool.cfgguard.", ""),
            "a.yaml": CFG.replace("meta-llama/Llama-3.1-8B-Instruct", "my-org/my-7b"),
        },
    )
    assert main(["check", str(tmp_path / "a.yaml")]) == 0
    out = capsys.readouterr().out
    assert "R002 [info]" in out
    assert "M001" not in out
    assert "L001 [info] LoRA rank 16 is outside the SFT range 32..64 for 7-8B" in out


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ('[tool.cfgguard]\nselect = ["R002"]\nignroe = ["L001"]\n',
         "3: unknown cfgguard setting 'ignroe' (did you mean 'ignore'?)"),
        ('[tool.cfgguard]\nfail-on = "fatal"\n',
         "2: 'fail-on' must be one of info, warning, error, none"),
        ("[tool.cfgguard]\ndevices = -1\n", "2: 'devices' must be a positive integer"),
        ('[tool.cfgguard.dialect]\n"a/*" = "megatron"\n',
         "2: unknown dialect 'megatron' (one of axolotl, llamafactory, trl, torchtune, verl,"
         " plain)"),
        ('[tool.cfgguard.models."x/y"]\nfamily = "llama"\nsize = "9B"\nhidden_size = 1\n',
         "1: model 'x/y': size must be one of 1-3B, 7-8B, 13B, 34B, 70B"),
    ],
)  # fmt: skip
def test_bad_config_is_exit_2_with_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, expected: str
) -> None:
    _tree(tmp_path, {"pyproject.toml": config, "a.yaml": CFG})
    assert main(["check", str(tmp_path / "a.yaml")]) == 2
    err = capsys.readouterr().err
    assert err == f"cfgguard: error: {tmp_path / 'pyproject.toml'}:{expected}\n"


def test_invalid_toml_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tree(tmp_path, {"pyproject.toml": "[tool.cfgguard\n", "a.yaml": CFG})
    assert main(["check", str(tmp_path / "a.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"cfgguard: error: {tmp_path / 'pyproject.toml'}: invalid TOML:")
    assert len(err.splitlines()) == 1


def test_pyproject_not_naming_cfgguard_is_not_parsed(tmp_path: Path) -> None:
    # Not ours to judge (and parsing it would cost every run a TOML parser import).
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n")
    assert Finder().for_file(str(tmp_path / "a.yaml")) == Config()


def test_finder_without_config_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    cfg = Finder().for_file(str(tmp_path / "a.yaml"))
    assert cfg.path is None or not str(cfg.path).startswith(str(tmp_path))


def test_config_flag_without_table_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    with pytest.raises(ConfigError, match=r"no \[tool\.cfgguard\] table"):
        Finder(str(tmp_path / "pyproject.toml"))


def test_published_config_schema_accepts_what_the_loader_accepts(tmp_path: Path) -> None:
    from jsonschema import Draft7Validator

    from cfgguard.config import load, toml_module
    from cfgguard.schema.config_schema import config_schema

    text = (
        '[tool.cfgguard]\nselect = ["R", "L002"]\nfail-on = "error"\ndevices = 8\n'
        '[tool.cfgguard.per-file-ignores]\n"old/*.yaml" = ["L004"]\n'
        '[tool.cfgguard.models."org/m"]\nfamily = "llama"\nsize = "7-8B"\nhidden_size = 4096\n'
    )
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    assert load(str(path)) is not None
    validator: Any = Draft7Validator(config_schema())
    assert list(validator.iter_errors(toml_module().loads(text)["tool"]["cfgguard"])) == []
    assert list(validator.iter_errors({"ignroe": []}))


def test_exclude_and_per_file_ignores_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path, {"legacy/a.yaml": CFG, "vendor/b.yaml": CFG, "c.yaml": CFG})
    argv = ["check", "--exclude", "vendor/*", "--per-file-ignores", "legacy/*:R002,L001"]
    assert main([*argv, "--config", str(_config(tmp_path)), str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "vendor" not in out
    assert "legacy/a.yaml" not in out
    assert "c.yaml:4:16: R002" in out


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "cfgguard.toml"
    path.write_text('fail-on = "warning"\n')
    return path
