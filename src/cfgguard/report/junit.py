"""JUnit XML: one ``<testcase>`` per checked file, one ``<failure>`` per finding.

::

    <testsuites name="cfgguard" tests="2" failures="1" errors="0" skipped="0">
      <testsuite name="cfgguard" tests="2" failures="1" errors="0" skipped="0">
        <testcase classname="cfgguard" name="configs/ok.yaml" file="configs/ok.yaml"/>
        <testcase classname="cfgguard" name="configs/dpo.yaml" file="configs/dpo.yaml">
          <failure type="L002" message="LoRA rank 64 ...">configs/dpo.yaml:13:9: ...</failure>
        </testcase>
      </testsuite>
    </testsuites>

Clean files are passing test cases, so CI dashboards show what was checked. ``failures``
counts ``<failure>`` elements (as junitparser and most consumers do). Characters XML 1.0
forbids (control characters other than tab, LF and CR; lone surrogates; U+FFFE/U+FFFF)
are written as readable escapes (``\\x1b``); everything else is XML-escaped, and CR is
kept as a character reference so parsers do not normalise it away.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from cfgguard.findings import Finding
from cfgguard.report.escape import escape_char

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Character data, escaped."""
    return escape(_NOT_XML.sub(lambda m: escape_char(m.group()), text), {"\r": "&#13;"})


def xml_attr(text: str) -> str:
    """An attribute value with its quotes (tabs and newlines as character references)."""
    return quoteattr(_NOT_XML.sub(lambda m: escape_char(m.group()), text))


def _failure(f: Finding) -> str:
    body = (
        f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity.label}] {f.message}\n"
        f"rule: {f.code} ({f.name})\nsource: {f.source}"
    )
    return (
        f"      <failure type={xml_attr(f.code)} message={xml_attr(f.message)}>"
        f"{xml_text(body)}</failure>"
    )


def _testcase(path: str, findings: Sequence[Finding]) -> list[str]:
    head = f'    <testcase classname="cfgguard" name={xml_attr(path)} file={xml_attr(path)}'
    if not findings:
        return [head + "/>"]
    return [head + ">", *(_failure(f) for f in findings), "    </testcase>"]


def render(findings: Sequence[Finding], checked: Sequence[str]) -> str:
    by_path: dict[str, list[Finding]] = {path: [] for path in checked}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    counts = f'tests="{len(by_path)}" failures="{len(findings)}" errors="0" skipped="0" time="0"'
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="cfgguard" {counts}>',
        f'  <testsuite name="cfgguard" {counts}>',
    ]
    for path, group in by_path.items():
        lines.extend(_testcase(path, group))
    lines += ["  </testsuite>", "</testsuites>"]
    return "\n".join(lines) + "\n"
