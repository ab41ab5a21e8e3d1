"""The repository a config sits in decides its keys: pins, own dataclasses, target flags.

Each case builds a small repository in a temp dir (with ``.git``) and runs the CLI from
inside it, as a user would. Scripts in it would leave a marker if they ever ran.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cfgguard.cli import main

RECIPE = """\
model_name_or_path: Qwen/Qwen2.5-7B
torch_dtype: bfloat16
system_prompt: You are a helpful assistant.
learning_rate: 1.0e-5
warmup_steps: 10
"""

SCRIPT = """\
import pathlib
pathlib.Path(__file__).with_name("RAN").write_text("the script ran")  # must never happen
from dataclasses import dataclass, field
from trl import GRPOConfig, ModelConfig, ScriptArguments, TrlParser

@dataclass
class GRPOScriptArguments(ScriptArguments):
    system_prompt: str = field(default="", metadata={"help": "prepended to every prompt"})

if __name__ == "__main__":
    parser = TrlParser((GRPOScriptArguments, GRPOConfig, ModelConfig))
"""


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _check(root: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> list[dict[str, object]]:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        main(["check", "--output-format", "json", *flags, "recipes/grpo.yaml"])
    finally:
        os.chdir(cwd)
    found = json.loads(capsys.readouterr().out)
    return [f for f in found if f["code"] in ("K001", "K002")]


def _codes(found: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(f["code"], f["line"], f["severity"]) for f in found]


def test_the_scripts_own_dataclass_fields_are_known(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(
        tmp_path,
        {"recipes/grpo.yaml": RECIPE, "src/train.py": SCRIPT, "requirements.txt": "trl==0.19.1\n"},
    )
    assert _codes(_check(root, capsys)) == []
    assert not (root / "src" / "RAN").exists()  # read with ast, never run


def test_without_the_script_its_keys_are_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path, {"recipes/grpo.yaml": RECIPE, "requirements.txt": "trl==0.19.1\n"})
    assert _codes(_check(root, capsys)) == [("K001", 3, "error")]


@pytest.mark.parametrize(
    ("pins", "flags", "expected"),
    [
        pytest.param("trl==0.19.1\n", (), [], id="pinned-release-has-it_noop"),
        pytest.param("trl>=0.19.1\n", (), [("K002", 2, "warning")], id="range-spans-removal"),
        pytest.param("trl==0.27.0\n", (), [("K002", 2, "error")], id="pinned-after-removal"),
        pytest.param("", (), [("K002", 2, "error")], id="no-pin-newest"),
        pytest.param(
            "trl @ git+https://github.com/huggingface/trl.git@1bca49515ecd\n", (),
            [("K002", 2, "warning")], id="git-commit-version-unknown",
        ),
        pytest.param(
            "trl>=0.19.1\n", ("--target-version", "trl==0.20.0"), [], id="flag-wins_noop"
        ),
        pytest.param(
            "[tool.cfgguard]\ntarget-versions = {trl = '>=0.19,<0.27'}\n", (),
            [("K002", 2, "info")], id="project-config-announced-deprecation",
        ),
    ],
)  # fmt: skip
def test_severity_follows_the_allowed_releases(
    pins: str,
    flags: tuple[str, ...],
    expected: list[tuple[object, ...]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = "pyproject.toml" if pins.startswith("[tool") else "requirements.txt"
    files = {"recipes/grpo.yaml": RECIPE, "src/train.py": SCRIPT, name: pins}
    root = _repo(tmp_path, files)
    assert _codes(_check(root, capsys, *flags)) == expected


def test_the_message_names_the_pin_and_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "recipes/grpo.yaml": RECIPE,
        "src/train.py": SCRIPT,
        "requirements.txt": "trl>=0.19.1\n",
    }
    root = _repo(tmp_path, files)
    (finding,) = _check(root, capsys)
    assert finding["message"] == (
        "'torch_dtype' breaks from trl 0.27.0, which your `trl>=0.19.1` (requirements.txt:1)"
        " allows: pin `trl<0.27`; 'dtype' replaces it, but not in every release your pins allow"
    )


def test_show_prints_the_targets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {"recipes/grpo.yaml": RECIPE, "requirements.txt": "trl==0.19.1\n"}
    root = _repo(tmp_path, files)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        assert main(["show", "recipes/grpo.yaml"]) == 0
    finally:
        os.chdir(cwd)
    targets = [line.strip() for line in capsys.readouterr().out.splitlines() if "target:" in line]
    assert targets[0] == "target: trl 0.19.1 (trl==0.19.1: requirements.txt:1)"
    assert targets[1].startswith("target: transformers 4.51.0 .. ")
    assert targets[1].endswith("(implied by trl==0.19.1 requires transformers>=4.51.0)")


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        pytest.param("foo==1", "unknown package 'foo'", id="unknown-package"),
        pytest.param("trl", "give a package and a version", id="no-version"),
        pytest.param("trl==x.y", "is not a version specifier", id="bad-version"),
    ],
)
def test_bad_target_version_is_a_usage_error(
    flag: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(RECIPE, encoding="utf-8")
    assert main(["check", "--target-version", flag, str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


VERL_CONFIG = """\
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-7B-Instruct
  rollout:
    n: 8
algorithm:
  adv_estimator: grpo
agent_proxy:
  max_turn: 5
"""

APP = """\
import hydra

@hydra.main(config_path="config", config_name="base")
def main(config):  # reads config.agent_proxy itself
    ...
"""


def test_a_repositorys_own_hydra_app_leaves_the_key_data_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = _repo(tmp_path / "a", {"recipes/grpo.yaml": VERL_CONFIG})
    assert _codes(_check(bare, capsys)) == [("K001", 8, "error")]
    with_app = _repo(tmp_path / "b", {"recipes/grpo.yaml": VERL_CONFIG, "train.py": APP})
    assert _codes(_check(with_app, capsys)) == [("K001", 8, "info")]  # the app may read it


MISPLACED = """\
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-7B-Instruct
  ppo_mini_batch_size: 64
  rollout:
    n: 8
algorithm:
  adv_estimator: grpo
"""


def test_a_key_one_section_too_high_is_a_warning_unless_the_repository_may_read_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = _repo(tmp_path / "a", {"recipes/grpo.yaml": MISPLACED})
    assert _codes(_check(bare, capsys)) == [("K001", 4, "warning")]  # actor.ppo_mini_batch_size
    with_app = _repo(tmp_path / "b", {"recipes/grpo.yaml": MISPLACED, "train.py": APP})
    assert _codes(_check(with_app, capsys)) == [("K001", 4, "info")]  # the app may read it
