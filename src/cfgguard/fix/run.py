"""``check --fix`` for one file: fix, then write, print a diff, or emit to stdout."""

from __future__ import annotations

import difflib

from cfgguard.check import Options, check_source
from cfgguard.findings import Finding, Fix
from cfgguard.fix.engine import allowed, fix_source
from cfgguard.fix.guard import shared
from cfgguard.fix.write import WriteError, write_atomic
from cfgguard.records import dataclass, field, replace
from cfgguard.report.escape import visible
from cfgguard.rules import RULES_BY_CODE
from cfgguard.source import Source, SourceError, read


@dataclass(frozen=True)
class Mode:
    unsafe: bool = False
    diff: bool = False  # print a unified diff, write nothing
    stdout: bool = False  # write the fixed text to stdout (stdin input)


@dataclass
class FileResult:
    findings: list[Finding] = field(default_factory=lambda: list[Finding]())
    fixed: list[Finding] = field(default_factory=lambda: list[Finding]())
    diff: str = ""
    output: bytes | None = None  # the fixed file's bytes for stdout mode
    error: str | None = None  # I/O problem (exit 2)
    path: str | None = None  # the checked path; None: the file could not be read


def fix_file(source: Source, original: bytes, options: Options, mode: Mode) -> FileResult:
    outcome = fix_source(source, options, unsafe=mode.unsafe)
    result = FileResult(findings=list(outcome.remaining), path=source.path)
    for finding, why in outcome.refused:
        result.findings.append(_refused(finding, why))
    if outcome.error is not None:
        result.findings.append(_not_applied(source.path, outcome.error))
        result.output = original if mode.stdout and not mode.diff else None
        return result
    if mode.diff:
        if outcome.applied:
            result.diff = unified_diff(source.path, source.text, outcome.text)
            result.fixed = outcome.applied
        return result
    if mode.stdout:  # the input's own bytes when nothing changed (its BOM, its everything)
        result.output = source.encode(outcome.text) if outcome.applied else original
        result.fixed = outcome.applied
        return result
    if not outcome.applied:
        return result
    try:
        write_atomic(source.path, source.encode(outcome.text), original)
    except WriteError as exc:
        result.error = str(exc)
        result.findings = check_source(source, options)  # the file as it stays, unfixed
        return result
    result.fixed = outcome.applied
    return result


def fix_path(path: str, options: Options, mode: Mode) -> FileResult:
    """Read a file and fix it; a file that cannot be read is an error result."""
    try:
        source = read(path)
    except SourceError as exc:
        return FileResult(error=str(exc))
    return fix_file(source, source.encode(), options, mode)


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{visible(path.lstrip('/'))}",  # the body is the file's own text
        tofile=f"b/{visible(path.lstrip('/'))}",
    )
    out = ""
    for line in lines:
        out += line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
    return out


def _not_applied(path: str, why: str, line: int = 1, column: int = 1) -> Finding:
    rule = RULES_BY_CODE["F001"]
    return Finding(
        path,
        line,
        column,
        line,
        column,
        rule.code,
        rule.name,
        rule.severity,
        f"fixes not applied: {why}",
        rule.source,
    )


def _refused(finding: Finding, why: str) -> Finding:
    """The F001 for one fix that was held back (the finding itself stays reported)."""
    what = f"fix for {finding.code} not applied: {why}"
    return replace(_not_applied(finding.path, "", finding.line, finding.column), message=what)


def summary(fixed: int, remaining: list[Finding], *, diff: bool = False) -> str:
    """The closing line on stderr; ``--diff`` writes nothing, so it "would fix"."""
    unsafe = sum(
        1
        for f in remaining
        if f.fix is not None
        and allowed(f, unsafe=True)
        and not allowed(f, False)
        and not shared(f.fix)  # refused whatever the flags
    )
    done = f"would fix {fixed}" if diff else f"{fixed} fixed"
    return f"{done}, {len(remaining)} remaining ({unsafe} fixable with --unsafe-fixes)"


def describe_fix(finding: Finding) -> str:
    fix: Fix | None = finding.fix
    what = fix.message if fix else ""
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {what}"
