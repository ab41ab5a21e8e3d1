"""Choose and run a reporter for ``cfgguard check``.

``--output-format`` picks one of ``FORMATS``; without it, ``github`` when running in
GitHub Actions (``GITHUB_ACTIONS=true``), else ``text``. The human formats (text,
concise, grouped) are coloured per ``terminal.color_enabled``. Reporters see findings,
the checked paths and rule metadata only.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from cfgguard.findings import Finding
from cfgguard.report import FORMATS
from cfgguard.report.terminal import Palette, color_enabled

if TYPE_CHECKING:
    from cfgguard.report.sarif import RuleMeta

__all__ = ["FORMATS", "render", "render_check", "resolve_format"]


def resolve_format(requested: str | None, environ: Mapping[str, str]) -> str:
    if requested is not None:
        return requested
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(
    output_format: str,
    findings: Sequence[Finding],
    checked: Sequence[str],
    rules: Sequence[RuleMeta],
    palette: Palette,
    problems: int = 0,
    failed_paths: Collection[str] | None = None,
) -> str:
    if output_format == "json":
        from cfgguard.report import json

        return json.render(findings)
    if output_format == "github":
        from cfgguard.report import github

        return github.render(findings)
    if output_format == "sarif":
        from cfgguard.report import sarif

        return sarif.render(findings, rules)
    if output_format == "junit":
        from cfgguard.report import junit

        return junit.render(findings, checked, failed_paths)
    if output_format == "concise":
        from cfgguard.report import concise

        return concise.render(findings, len(checked), palette, problems)
    if output_format == "grouped":
        from cfgguard.report import grouped

        return grouped.render(findings, len(checked), palette, problems)
    from cfgguard.report import text

    return text.render(findings, len(checked), palette, problems)


def render_check(
    requested: str | None,
    findings: Sequence[Finding],
    checked: Sequence[str],
    rules: Sequence[RuleMeta],
    *,
    stream: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
    problems: int = 0,
    failed_paths: Collection[str] | None = None,
) -> str:
    """What ``cfgguard check`` prints: the format resolved, colour decided for ``stream``.

    ``problems``: how many exit-2 errors follow on stderr (the human summaries say so);
    ``failed_paths``: the files whose findings fail the run (JUnit's failing testcases).
    """
    env = os.environ if environ is None else environ
    palette = Palette(enabled=color_enabled(sys.stdout if stream is None else stream, env))
    output = render(
        resolve_format(requested, env), findings, checked, rules, palette, problems, failed_paths
    )
    # file names that are not UTF-8 reach here as lone surrogates; no stream can encode them
    try:
        output.encode("utf-8")  # fails exactly when a lone surrogate is there
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", output)
    return output


__all__ = ["FORMATS", "render", "render_check", "resolve_format"]
