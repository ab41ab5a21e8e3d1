"""JUnit XML: one ``<testcase>`` per checked file; a failing file has one ``<failure>``.

::

    <testsuites name="cfgguard" tests="3" failures="1" errors="0" skipped="0">
      <testsuite name="cfgguard" tests="3" failures="1" errors="0" skipped="0">
        <testcase classname="cfgguard" name="configs/ok.yaml" file="configs/ok.yaml"/>
        <testcase classname="cfgguard" name="configs/dpo.yaml" file="configs/dpo.yaml">
          <failure type="L002,R002" message="L002 LoRA rank 64 ... (and 1 more)">
    configs/dpo.yaml:13:9: L002 [warning] ...
    configs/dpo.yaml:21:16: R002 [warning] ...</failure>
        </testcase>
        <testcase classname="cfgguard" name="configs/sft.yaml" file="configs/sft.yaml">
          <system-out>configs/sft.yaml:2:12: L001 [info] ...</system-out>
        </testcase>
      </testsuite>
    </testsuites>

What JUnit consumers (junitparser, Jenkins, GitLab) expect: a testcase fails once, so a
file whose findings fail the run (at or above ``--fail-on``) has a single ``<failure>``
holding all of its findings, and ``failures`` counts failing testcases (never more than
``tests``). A file whose findings do not fail the run passes, its findings in
``<system-out>``. Clean files are passing test cases, so CI dashboards show what was
checked. Characters XML 1.0 forbids (control characters other than tab, LF and CR; lone
surrogates; U+FFFE/U+FFFF) are written as readable escapes (``\\x1b``); everything else
is XML-escaped, and CR is kept as a character reference so parsers do not normalise it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from xml.sax.saxutils import escape, quoteattr

from cfgguard.findings import Finding, Severity
from cfgguard.report.escape import escape_char

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Character data, escaped."""
    return escape(_NOT_XML.sub(lambda m: escape_char(m.group()), text), {"\r": "&#13;"})


def xml_attr(text: str) -> str:
    """An attribute value with its quotes (tabs and newlines as character references)."""
    return quoteattr(_NOT_XML.sub(lambda m: escape_char(m.group()), text))


def _line(f: Finding) -> str:
    return (
        f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity.label}] {f.message}\n"
        f"  rule: {f.code} ({f.name}); source: {f.source}"
    )


def _testcase(path: str, findings: Sequence[Finding], failed: bool) -> list[str]:
    head = f'    <testcase classname="cfgguard" name={xml_attr(path)} file={xml_attr(path)}'
    if not findings:
        return [head + "/>"]
    body = xml_text("\n".join(_line(f) for f in findings))
    if not failed:
        return [head + ">", f"      <system-out>{body}</system-out>", "    </testcase>"]
    worst = max(findings, key=lambda f: f.severity)
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    codes = xml_attr(",".join(sorted({f.code for f in findings})))
    message = xml_attr(f"{worst.code} {worst.message}{more}")
    failure = f"      <failure type={codes} message={message}>{body}</failure>"
    return [head + ">", failure, "    </testcase>"]


def render(
    findings: Sequence[Finding],
    checked: Sequence[str],
    failed_paths: Collection[str] | None = None,
) -> str:
    """``failed_paths``: files whose findings fail the run (default: a warning or worse)."""
    by_path: dict[str, list[Finding]] = {path: [] for path in checked}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    if failed_paths is None:
        failed_paths = {f.path for f in findings if f.severity >= Severity.WARNING}
    failing = sum(1 for path, group in by_path.items() if group and path in failed_paths)
    counts = f'tests="{len(by_path)}" failures="{failing}" errors="0" skipped="0" time="0"'
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="cfgguard" {counts}>',
        f'  <testsuite name="cfgguard" {counts}>',
    ]
    for path, group in by_path.items():
        lines.extend(_testcase(path, group, path in failed_paths))
    lines += ["  </testsuite>", "</testsuites>"]
    return "\n".join(lines) + "\n"
