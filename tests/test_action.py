"""The GitHub Action: action.yml's shape, and its script run with the variables GitHub sets."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from cfgguard.cli.action import Inputs, finding_from_json
from cfgguard.findings import Edit, Fix
from cfgguard.report.json import as_dict
from tests.checkout import copy_working_tree, git_env, is_git_checkout
from tests.report_data import CLEAN, DUPLICATE, HOSTILE_NAME, finding, toolkit_visible, write
from tests.test_report_formats import ANNOTATION, runner_parse
from tests.test_report_sarif import validate

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
WARNING = CLEAN.replace("2.0e-4", "2.0e-5")  # R002: LoRA run at full fine-tune level


def action() -> dict[str, Any]:
    return cast(dict[str, Any], yaml.safe_load(ACTION.read_text(encoding="utf-8")))


def steps() -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], action()["runs"]["steps"])


# --- action.yml ------------------------------------------------------------------------------


def test_action_is_composite_with_documented_inputs() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    inputs = cast(dict[str, dict[str, Any]], data["inputs"])
    assert set(inputs) == {"paths", "args", "fail-on", "sarif-file"}
    assert inputs["paths"]["default"] == "."
    assert inputs["fail-on"]["default"] == "warning"
    assert all(spec.get("description") for spec in inputs.values())


def test_no_expression_inside_any_run_script() -> None:
    """GitHub's script-injection guidance: inputs reach scripts through env only."""
    scripts = [step["run"] for step in steps() if "run" in step]
    assert scripts
    for script in scripts:
        assert "${{ inputs." not in script
        assert "${{" not in script  # not even github.* or steps.*: env carries those too


def test_every_input_reaches_the_script_through_env() -> None:
    env: dict[str, str] = {}
    for step in steps():
        env.update(cast(dict[str, str], step.get("env", {})))
        assert step.get("shell") == "bash"
    expected = {
        "INPUT_PATHS": "paths",
        "INPUT_ARGS": "args",
        "INPUT_FAIL_ON": "fail-on",
        "INPUT_SARIF_FILE": "sarif-file",
    }
    for variable, name in expected.items():
        assert re.fullmatch(rf"\$\{{\{{ inputs\.{re.escape(name)} \}}\}}", env[variable])
    assert "python -m cfgguard.cli.action" in steps()[-1]["run"].replace(
        '"$CFGGUARD_PYTHON"', "python"
    )


# --- the entry point's pieces ----------------------------------------------------------------


def test_inputs_split_like_a_shell() -> None:
    inputs = Inputs.from_env(
        {"INPUT_PATHS": "configs 'my dir/a.yaml' b\\ c.yaml", "INPUT_ARGS": "--select 'R,L'"}
    )
    assert inputs.paths == ("configs", "my dir/a.yaml", "b c.yaml")
    assert inputs.args == ("--select", "R,L")
    assert (inputs.fail_on, inputs.sarif_file) == ("warning", None)
    assert Inputs.from_env({}).paths == (".",)
    assert Inputs.from_env({"INPUT_FAIL_ON": "none"}).argv()[:3] == ["check", "--fail-on", "none"]
    # `--` before the paths: a file named like a flag is a path
    argv = Inputs.from_env({"INPUT_PATHS": "--select=ZZZ9.yaml"}).argv()
    assert argv[-2:] == ["--", "--select=ZZZ9.yaml"]
    with pytest.raises(ValueError, match="quotation"):
        Inputs.from_env({"INPUT_PATHS": "'unbalanced"})


def test_json_round_trip_of_findings() -> None:
    fix = Fix("safe", "rename", (Edit(1, 1, 1, 5, "lora_r"),))
    for original in (finding(), finding("a b.yaml", fix=fix)):
        assert finding_from_json(as_dict(original)) == original


# --- the script, run as GitHub runs it ---------------------------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    summary: str
    outputs: str
    workspace: Path


def run_action(workspace: Path, **inputs: str) -> Run:
    runner = workspace.parent / "runner"
    runner.mkdir(exist_ok=True)
    summary, outputs = runner / "step_summary.md", runner / "output"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update(
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(workspace),
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_OUTPUT=str(outputs),
        RUNNER_TEMP=str(runner),
    )
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    proc = subprocess.run(
        [sys.executable, "-m", "cfgguard.cli.action"],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, _read(summary), _read(outputs), workspace)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "workspace"
    (ws / "configs").mkdir(parents=True)
    (ws / "my dir").mkdir()
    write(ws / "configs", "ok.yaml", CLEAN)
    write(ws / "configs", "dup.yaml", DUPLICATE)
    write(ws / "my dir", "warn.yaml", WARNING)
    return ws


def test_annotations_summary_sarif_and_outputs(workspace: Path) -> None:
    run = run_action(
        workspace,
        paths="configs 'my dir'",
        args="--select Y002,R002",
        fail_on="warning",
        sarif_file="reports/cfgguard.sarif",
    )
    assert run.code == 1, run.stderr
    lines = run.stdout.splitlines()
    assert all(ANNOTATION.fullmatch(line) for line in lines)
    parsed = [runner_parse(line) for line in lines]
    assert [(c, p["file"], p["title"]) for c, p, _ in parsed] == [
        ("error", "configs/dup.yaml", "cfgguard (Y002)"),
        ("warning", "my dir/warn.yaml", "cfgguard (R002)"),
    ]
    assert parsed[0][1]["line"] == "3"
    assert "duplicate key 'lora_rank'" in parsed[0][2]

    assert run.summary.startswith("## cfgguard\n")
    assert "**2 findings** in 2 files; the check failed (fail on: `warning`)." in run.summary
    assert "| error | 1 |" in run.summary
    assert "| warning | 1 |" in run.summary
    assert "| Y002 | duplicate-key | error | 1 |" in run.summary
    assert "| R002 | lora-lr-at-full-level | warning | 1 |" in run.summary
    assert "| configs/dup.yaml | 3:1 | Y002 | error |" in run.summary
    assert run.outputs == "findings=2\n"

    log = json.loads((workspace / "reports" / "cfgguard.sarif").read_text(encoding="utf-8"))
    validate(log)
    results = log["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == ["configs/dup.yaml", "my%20dir/warn.yaml"]
    assert [r["ruleId"] for r in results] == ["Y002", "R002"]


def test_fail_on_levels(workspace: Path) -> None:
    warn_only = {"paths": "'my dir'", "args": "--select R002"}
    assert run_action(workspace, **warn_only).code == 1
    assert run_action(workspace, **warn_only, fail_on="error").code == 0
    errors = {"paths": "configs", "args": "--select Y002"}
    none = run_action(workspace, **errors, fail_on="none")
    assert none.code == 0
    assert "**1 finding** in 1 file; the check passed" in none.summary


def test_clean_run(workspace: Path) -> None:
    run = run_action(workspace, paths="configs/ok.yaml", sarif_file="out.sarif")
    assert run.code == 0, run.stdout + run.stderr
    assert run.stdout == ""
    assert "**No findings.**" in run.summary
    log = json.loads((workspace / "out.sarif").read_text(encoding="utf-8"))
    validate(log)
    assert log["runs"][0]["results"] == []


def test_inputs_are_never_run_by_a_shell(workspace: Path) -> None:
    hostile = "$(touch pwned1) ; touch pwned2 `touch pwned3` && touch pwned4 | tee pwned5"
    run = run_action(workspace, paths=hostile, args="--select Y002")
    assert run.code == 2
    assert "::error title=cfgguard::$(touch: no such file or directory" in run.stdout
    assert not list(workspace.glob("pwned*"))
    assert "usage or I/O errors" in run.summary


def test_bad_quoting_is_an_error_annotation(workspace: Path) -> None:
    run = run_action(workspace, paths="'unbalanced")
    assert run.code == 2
    assert run.stdout.startswith("::error title=cfgguard::bad action input:")


def test_hostile_file_name(workspace: Path) -> None:
    write(workspace, HOSTILE_NAME, DUPLICATE)
    run = run_action(workspace, paths=".", args="--select Y002", sarif_file="x.sarif")
    assert run.code == 1
    files = {runner_parse(line)[1]["file"] for line in run.stdout.splitlines()}
    assert files == {"configs/dup.yaml", toolkit_visible(HOSTILE_NAME)}
    assert "<a>" not in run.summary
    assert "&lt;a&gt;" in run.summary
    assert "\x1b" not in run.summary
    validate(json.loads((workspace / "x.sarif").read_text(encoding="utf-8")))


# --- the composite action's own bash steps, run the way the runner runs them -----------------

_EXPRESSION = re.compile(r"\$\{\{ *([A-Za-z0-9_.-]+) *\}\}")


def _evaluate(value: str, context: dict[str, str]) -> str:
    """The few ``${{ }}`` expressions action.yml uses: a context lookup, nothing else."""
    return _EXPRESSION.sub(lambda m: context[m.group(1)], value)


def _outputs(path: Path) -> dict[str, str]:
    pairs = (line.partition("=") for line in _read(path).splitlines() if "=" in line)
    return {key: value for key, _, value in pairs}


@pytest.mark.skipif(not is_git_checkout(), reason="needs git and a git checkout")
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_composite_steps_under_bash(workspace: Path) -> None:
    runner = workspace.parent / "runner"
    runner.mkdir()
    env = git_env(runner)
    action_path = copy_working_tree(workspace.parent / "action", env)
    inputs = {f"inputs.{k}": str(v.get("default", "")) for k, v in action()["inputs"].items()}
    context = {
        **inputs,
        "inputs.paths": "configs 'my dir'",
        "inputs.args": "--select Y002,R002",
        "inputs.sarif-file": "out/cfgguard.sarif",
        "github.action_path": str(action_path),
    }
    summary = runner / "summary.md"
    env.update(RUNNER_TEMP=str(runner), GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(workspace))
    env["GITHUB_STEP_SUMMARY"] = str(summary)
    codes: list[int] = []
    stdout = ""
    for step in steps():
        output = runner / f"output-{step['id']}"
        script = runner / f"{step['id']}.sh"
        script.write_text(step["run"], encoding="utf-8")
        step_env = {k: _evaluate(v, context) for k, v in step.get("env", {}).items()}
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env={**env, **step_env, "GITHUB_OUTPUT": str(output)},
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        codes.append(proc.returncode)
        stdout = proc.stdout
        assert proc.returncode in (0, 1), proc.stdout + proc.stderr
        context.update({f"steps.{step['id']}.outputs.{k}": v for k, v in _outputs(output).items()})
    assert codes == [0, 1]
    files = [runner_parse(line)[1]["file"] for line in stdout.splitlines()]
    assert files == ["configs/dup.yaml", "my dir/warn.yaml"]
    assert "| Y002 | duplicate-key | error | 1 |" in _read(summary)
    validate(json.loads((workspace / "out" / "cfgguard.sarif").read_text(encoding="utf-8")))
    assert _outputs(runner / "output-check") == {"findings": "2"}


# --- hostile checkouts (issue 14, item 9) --------------------------------------------------------

TYPO = "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: 32\nlearnin_rate: 2.0e-4\n"
_COMMAND = re.compile(r"^::(?P<name>[a-z-]+)(?: [^:]*)?::", re.MULTILINE)


def _commands(stdout: str) -> list[str]:
    """The workflow commands the runner would act on (commands inside stop-commands skipped)."""
    names: list[str] = []
    stopped: str | None = None
    for line in stdout.splitlines():
        if stopped is not None:
            if line == f"::{stopped}::":
                stopped = None
            continue
        match = _COMMAND.match(line)
        if match is None:
            continue
        if match["name"] == "stop-commands":
            stopped = line.split("::", 2)[2]
            continue
        names.append(match["name"])
    return names


def test_a_file_named_like_a_flag_is_a_path(workspace: Path) -> None:
    write(workspace, "--select=ZZZ9.yaml", DUPLICATE)
    run = run_action(workspace, paths="--select=ZZZ9.yaml")
    assert run.code == 1  # was 2: the name turned every rule off (or was a usage error)
    assert runner_parse(run.stdout.splitlines()[0])[1]["file"] == "--select=ZZZ9.yaml"


@pytest.mark.parametrize("where", ["file", "parent"])
def test_sarif_file_is_never_written_through_a_symlink(
    workspace: Path, tmp_path: Path, where: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("keep\n")
    if where == "file":
        (workspace / "report.sarif").symlink_to(victim)
        sarif_file = "report.sarif"
    else:
        (workspace / "reports").symlink_to(outside)
        sarif_file = "reports/victim.txt"
    run = run_action(workspace, paths="configs/ok.yaml", sarif_file=sarif_file)
    assert run.code == 2
    assert victim.read_text() == "keep\n"
    link = "report.sarif" if where == "file" else "reports"
    expected = (
        f"::error title=cfgguard::sarif-file not written: {sarif_file}: {link} is a symbolic link"
    )
    assert expected in run.stdout


def test_sarif_file_outside_the_workspace_is_refused(workspace: Path, tmp_path: Path) -> None:
    run = run_action(workspace, paths="configs/ok.yaml", sarif_file="../escaped.sarif")
    assert run.code == 2
    assert not (tmp_path / "escaped.sarif").exists()
    assert "sarif-file not written: ../escaped.sarif: outside the workspace" in run.stdout


def test_nothing_cfgguard_prints_becomes_a_workflow_command(workspace: Path) -> None:
    name = "x\n::add-mask::secret\n::error::pwned\n.yaml"
    write(workspace, name, TYPO)
    # a missing path echoed in an error line, and --show-fixes lines naming the file
    paths = f"'{name}' 'missing\n::add-mask::x\x1b[2J'"
    run = run_action(workspace, paths=paths, args="--fix --show-fixes")
    assert run.code == 2
    log = run.stdout + run.stderr  # the runner reads commands from both
    assert "Fixed x\\n::add-mask::secret" in log  # shown, escaped, inside stop-commands
    assert _commands(log).count("add-mask") == 0
    assert all(c in ("error", "warning", "notice") for c in _commands(log))
    assert "\x1b" not in log


def test_stop_commands_token_is_fresh_and_closed(workspace: Path) -> None:
    write(workspace, "typo.yaml", TYPO)
    tokens: set[str] = set()
    for _ in range(2):
        run = run_action(workspace, paths="typo.yaml", args="--fix")
        starts = [ln for ln in run.stdout.splitlines() if ln.startswith("::stop-commands::")]
        assert len(starts) == 1
        token = starts[0].removeprefix("::stop-commands::")
        assert len(token) == 32
        assert f"::{token}::" in run.stdout.splitlines()
        tokens.add(token)
    assert len(tokens) == 2


def test_missing_path_fails_with_an_error_annotation(workspace: Path) -> None:
    run = run_action(workspace, paths="configs/dup.yaml nope.yaml", args="--select Y002")
    assert run.code == 2
    assert "::error title=cfgguard::nope.yaml: no such file or directory" in run.stdout
    assert "passed" not in run.summary
    assert "**The check failed**: usage or I/O errors (exit code 2)" in run.summary
    assert "1 finding in the files that could be read." in run.summary
