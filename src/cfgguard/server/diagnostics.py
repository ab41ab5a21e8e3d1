"""Findings as LSP diagnostics: code, severity, exact range, message, rule link."""

from __future__ import annotations

from lsprotocol import types

from cfgguard.findings import Finding, Severity
from cfgguard.report.escape import visible
from cfgguard.report.sarif import HELP_URI
from cfgguard.server.documents import Checked
from cfgguard.server.positions import Lines

SOURCE = "cfgguard"
SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def finding_range(lines: Lines, finding: Finding) -> types.Range:
    start = lines.from_source(finding.line, finding.column)
    end = lines.from_source(finding.end_line, finding.end_column)
    return types.Range(_position(start), _position(max(start, end)))


def _position(at: tuple[int, int]) -> types.Position:
    return types.Position(line=at[0], character=at[1])


def diagnostic(lines: Lines, finding: Finding) -> types.Diagnostic:
    return types.Diagnostic(
        range=finding_range(lines, finding),
        message=visible(finding.message),
        severity=SEVERITY[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=HELP_URI),
        source=SOURCE,
    )


def diagnostics(checked: Checked) -> list[types.Diagnostic]:
    """What the editor shows for one checked version (nothing for an excluded file)."""
    lines = checked.lines
    if checked.problem is not None:  # the file was not checked: say why, where
        problem = checked.problem
        at = _position(lines.from_source(problem.line, problem.column))
        return [
            types.Diagnostic(
                range=types.Range(at, at),
                message=visible(problem.message),
                severity=types.DiagnosticSeverity.Error,
                source=SOURCE,
            )
        ]
    return [diagnostic(lines, f) for f in checked.findings]
