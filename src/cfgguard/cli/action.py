"""The GitHub Action's entry point: ``python -m cfgguard.cli.action``.

``action.yml`` hands the inputs over in environment variables only (never as ``${{ }}``
expressions inside a script, per GitHub's script-injection guidance):

* ``INPUT_PATHS`` files or directories, split like a shell would (``shlex``), default ``.``
* ``INPUT_ARGS`` extra ``cfgguard check`` arguments, split the same way
* ``INPUT_FAIL_ON`` ``info``, ``warning`` (default), ``error``, or ``none`` (never fail)
* ``INPUT_SARIF_FILE`` where to write a SARIF log (optional)

It runs ``cfgguard check`` once (a subprocess, JSON report, ``--`` before the paths so a
file named ``--select=X.yaml`` is a path), then prints GitHub annotations, appends a
Markdown summary to ``$GITHUB_STEP_SUMMARY``, writes the SARIF file, sets the
``findings`` output in ``$GITHUB_OUTPUT``, and exits with cfgguard's code. Paths in
annotations and SARIF are relative to ``$GITHUB_WORKSPACE`` (else the working directory).
Nothing from the inputs is ever evaluated by a shell.

Nothing cfgguard prints reaches the log raw: its ``cfgguard: error:`` lines become
``::error`` annotations (escaped like every annotation), and any other output is printed
escaped between ``::stop-commands::TOKEN`` and ``::TOKEN::`` with a random token, so a
file name or a value can never become a workflow command (``::add-mask::``, ``::error``).
The SARIF file is written only inside the workspace, never through a symbolic link.
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
        return [
            "check",
            "--fail-on",
            self.fail_on,
            *self.args,
            "--output-format",
            "json",
            "--",
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


@dataclass(frozen=True)
class Checked:
    code: int
    findings: list[Finding] | None  # None: the report could not be read
    errors: list[str]  # cfgguard's `cfgguard: error:` lines, without the prefix
    other: list[str]  # anything else it printed (never echoed raw)


ERROR_PREFIX = "cfgguard: error: "


def run_check(inputs: Inputs) -> Checked:
    """Run cfgguard; its report, errors and other output, all captured."""
    cmd = [sys.executable, "-m", "cfgguard", *inputs.argv()]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, encoding="utf-8", errors="replace", check=False
    )
    errors = [
        line.removeprefix(ERROR_PREFIX)
        for line in proc.stderr.splitlines()
        if line.startswith(ERROR_PREFIX)
    ]
    other = [line for line in proc.stderr.splitlines() if not line.startswith(ERROR_PREFIX)]
    try:
        items = cast(list[Mapping[str, object]], json.loads(proc.stdout))
        findings: list[Finding] | None = [finding_from_json(item) for item in items]
    except (ValueError, KeyError, TypeError):
        findings = None
        other = proc.stdout.splitlines() + other
    return Checked(proc.returncode, findings, errors, other)


def print_quoted(lines: Sequence[str]) -> None:
    """Lines into the log with workflow commands off (a token no line can contain)."""
    import secrets

    from cfgguard.report.escape import visible

    if not lines:
        return
    token = secrets.token_hex(16)
    body = "".join(visible(line) + "\n" for line in lines)
    sys.stdout.write(f"::stop-commands::{token}\n{body}::{token}::\n")


def _append(path: str | None, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


class UnsafeTarget(Exception):
    pass


def safe_target(path: str, workspace: str) -> str:
    """``path`` (relative to the working directory) if writing it stays in the workspace.

    Refused: a path outside the workspace, a symbolic link anywhere on the way (a pull
    request can commit one pointing at the runner's files), or something that is not a
    regular file.
    """
    root, full = os.path.abspath(workspace), os.path.abspath(path)
    if os.path.commonpath([root, full]) != root:
        raise UnsafeTarget(f"{path}: outside the workspace")
    current = root
    for part in Path(os.path.relpath(full, root)).parts:
        current = os.path.join(current, part)
        if os.path.islink(current):
            raise UnsafeTarget(f"{path}: {os.path.relpath(current, root)} is a symbolic link")
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(full)]) != real_root:
        raise UnsafeTarget(f"{path}: outside the workspace")
    if os.path.lexists(full) and not os.path.isfile(full):
        raise UnsafeTarget(f"{path}: not a regular file")
    return full


def write_sarif(path: str, findings: Sequence[Finding], root: str) -> None:
    """Write the SARIF log; raises ``UnsafeTarget`` (nothing written) or ``OSError``."""
    from cfgguard.report import sarif
    from cfgguard.rules import RULES

    target = safe_target(path, root)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    safe_target(path, root)  # the directories made are still no links
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(sarif.render(findings, RULES, root))


def main(environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    from cfgguard.report import github, summary

    try:
        inputs = Inputs.from_env(env)
    except ValueError as exc:
        print(f"::error title=cfgguard::bad action input: {github.escape_data(str(exc))}")
        return 2
    root = env.get("GITHUB_WORKSPACE") or os.getcwd()
    checked = run_check(inputs)
    code, findings = checked.code, checked.findings
    print_quoted(checked.other)
    for error in checked.errors:
        print(f"::error title=cfgguard::{github.escape_data(error)}")
    if findings is None:
        print("::error title=cfgguard::could not read cfgguard's report; see the log above")
        return code or 2
    if code == 2 and not checked.errors:
        print("::error title=cfgguard::usage or I/O errors (exit code 2); see the log above")
    sys.stdout.write(github.render(findings, root))
    _append(env.get("GITHUB_STEP_SUMMARY"), summary.render(findings, inputs.fail_on, code))
    _append(env.get("GITHUB_OUTPUT"), f"findings={len(findings)}\n")
    if inputs.sarif_file:
        try:
            write_sarif(inputs.sarif_file, findings, root)
        except (UnsafeTarget, OSError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            message = f"sarif-file not written: {why}"
            print(f"::error title=cfgguard::{github.escape_data(message)}")
            return 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
