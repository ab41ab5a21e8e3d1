"""The GitHub Action's entry point: ``python -m cfgguard.action``.

``action.yml`` hands the inputs over in environment variables only (never as ``${{ }}``
expressions inside a script, per GitHub's script-injection guidance):

* ``INPUT_PATHS`` files or directories, split like a shell would (``shlex``), default ``.``
* ``INPUT_ARGS`` extra ``cfgguard check`` arguments, split the same way
* ``INPUT_FAIL_ON`` ``info``, ``warning`` (default), ``error``, or ``none`` (never fail)
* ``INPUT_SARIF_FILE`` where to write a SARIF log (optional)

It runs ``cfgguard check`` once (a subprocess, JSON report), then prints GitHub
annotations, appends a Markdown summary to ``$GITHUB_STEP_SUMMARY``, writes the SARIF
file, sets the ``findings`` output in ``$GITHUB_OUTPUT``, and exits with cfgguard's code.
Paths in annotations and SARIF are relative to ``$GITHUB_WORKSPACE`` (else the working
directory). Nothing from the inputs is ever evaluated by a shell.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import cast

from cfgguard.findings import Applicability, Edit, Finding, Fix, Severity
from cfgguard.records import dataclass


@dataclass(frozen=True)
class Inputs:
    paths: tuple[str, ...]
    args: tuple[str, ...]
    fail_on: str
    sarif_file: str | None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Inputs:
        """Raises ValueError for unbalanced quotes in ``INPUT_PATHS``/``INPUT_ARGS``."""
        paths = tuple(shlex.split(env.get("INPUT_PATHS", ""))) or (".",)
        args = tuple(shlex.split(env.get("INPUT_ARGS", "")))
        fail_on = env.get("INPUT_FAIL_ON", "").strip() or "warning"
        sarif_file = env.get("INPUT_SARIF_FILE", "").strip() or None
        return cls(paths, args, fail_on, sarif_file)

    def argv(self) -> list[str]:
        fail_on = "error" if self.fail_on == "none" else self.fail_on
        return [
            "check",
            "--fail-on",
            fail_on,
            *self.args,
            "--output-format",
            "json",
            *self.paths,
        ]


_APPLICABILITY: dict[str, Applicability] = {"safe": "safe", "display-only": "display-only"}


def _int(data: Mapping[str, object], key: str) -> int:
    value = data[key]
    if not isinstance(value, int):
        raise TypeError(f"{key}: expected an integer")
    return value


def _edit(data: Mapping[str, object]) -> Edit:
    return Edit(
        _int(data, "line"),
        _int(data, "column"),
        _int(data, "end_line"),
        _int(data, "end_column"),
        str(data["content"]),
    )


def _fix(data: object) -> Fix | None:
    if not isinstance(data, dict):
        return None
    fix = cast(dict[str, object], data)
    edits = cast(list[Mapping[str, object]], fix.get("edits") or [])
    return Fix(
        _APPLICABILITY.get(str(fix.get("applicability")), "unsafe"),
        str(fix.get("message", "")),
        tuple(_edit(e) for e in edits),
    )


def finding_from_json(data: Mapping[str, object]) -> Finding:
    """A finding from ``cfgguard check --output-format json`` (``report.json.as_dict``)."""
    dialect = data.get("dialect")
    return Finding(
        path=str(data["path"]),
        line=_int(data, "line"),
        column=_int(data, "column"),
        end_line=_int(data, "end_line"),
        end_column=_int(data, "end_column"),
        code=str(data["code"]),
        name=str(data["name"]),
        severity=Severity.parse(str(data["severity"])),
        message=str(data["message"]),
        source=str(data["source"]),
        dialect=None if dialect is None else str(dialect),
        fix=_fix(data.get("fix")),
    )


def run_check(inputs: Inputs) -> tuple[int, list[Finding] | None]:
    """cfgguard's exit code and findings (None when its report could not be read)."""
    cmd = [sys.executable, "-m", "cfgguard", *inputs.argv()]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, encoding="utf-8", check=False)
    try:
        items = cast(list[Mapping[str, object]], json.loads(proc.stdout))
        findings = [finding_from_json(item) for item in items]
    except (ValueError, KeyError, TypeError):
        sys.stdout.write(proc.stdout)
        return proc.returncode, None
    if inputs.fail_on == "none" and proc.returncode == 1:
        return 0, findings
    return proc.returncode, findings


def _append(path: str | None, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


def write_sarif(path: str, findings: Sequence[Finding], root: str) -> None:
    from cfgguard.report import sarif
    from cfgguard.rules import RULES

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(sarif.render(findings, RULES, root), encoding="utf-8")


def main(environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    from cfgguard.report import github, summary

    try:
        inputs = Inputs.from_env(env)
    except ValueError as exc:
        print(f"::error title=cfgguard::bad action input: {github.escape_data(str(exc))}")
        return 2
    root = env.get("GITHUB_WORKSPACE") or os.getcwd()
    code, findings = run_check(inputs)
    if findings is None:
        print("::error title=cfgguard::could not read cfgguard's report; see the log above")
        return code or 2
    sys.stdout.write(github.render(findings, root))
    _append(env.get("GITHUB_STEP_SUMMARY"), summary.render(findings, inputs.fail_on, code))
    _append(env.get("GITHUB_OUTPUT"), f"findings={len(findings)}\n")
    if inputs.sarif_file:
        write_sarif(inputs.sarif_file, findings, root)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
