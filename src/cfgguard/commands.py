"""The commands behind the CLI; each returns the process exit code."""

from __future__ import annotations

import argparse
import json
import sys

from cfgguard.check import Options, analyse, check_source
from cfgguard.cli import iter_paths
from cfgguard.findings import Finding, Severity
from cfgguard.fix.cli import FixRun
from cfgguard.fix.write import encode
from cfgguard.rules import RULES, RULES_BY_CODE
from cfgguard.rules.base import Settings
from cfgguard.source import Source, SourceError, decode, read


def _codes(text: str | None) -> frozenset[str] | None:
    if text is None:
        return None
    return frozenset(c.strip().upper() for c in text.split(",") if c.strip())


def check_command(args: argparse.Namespace) -> int:
    options = Options(
        dialect=args.dialect,
        select=_codes(args.select),
        ignore=_codes(args.ignore) or frozenset(),
        settings=Settings(gpu_memory_gb=args.gpu_memory, devices=args.devices),
    )
    errors: list[str] = []
    findings: list[Finding] = []
    checked: list[str] = []
    fixing = FixRun(args)
    for path in iter_paths(args.paths, errors):
        try:
            source, data = _read(path, args.stdin_filename)
        except SourceError as exc:
            errors.append(str(exc))
            continue
        checked.append(source.path)
        if fixing.active:
            findings.extend(fixing.run(source, data, options, errors, stdin=path == "-"))
        else:
            findings.extend(check_source(source, options))
    if fixing.active:
        findings = fixing.report(findings)
    # fixed text of stdin input (or a diff) owns stdout: the report then goes to stderr
    out = sys.stderr if fixing.active and ("-" in args.paths or fixing.diff) else sys.stdout
    from cfgguard.report.formats import render_check

    out.write(render_check(args.output_format, findings, checked, RULES, stream=out))
    for error in errors:
        print(f"cfgguard: error: {error}", file=sys.stderr)
    if errors:
        return 2
    threshold = Severity.parse(args.fail_on)
    failed = any(f.severity >= threshold for f in findings)
    return 1 if failed or fixing.exit_non_zero() else 0


def _read(path: str, stdin_name: str | None) -> tuple[Source, bytes]:
    if path == "-":
        data = sys.stdin.buffer.read()
        return decode(data, stdin_name or "-"), data
    source = read(path)
    return source, encode(source, source.text)


def show_command(args: argparse.Namespace) -> int:
    from cfgguard.show import describe, render_json, render_text

    settings = Settings(devices=args.devices)
    errors: list[str] = []
    objects: list[dict[str, object]] = []
    for path in iter_paths(args.paths, errors):
        try:
            source = read(path)
        except SourceError as exc:
            errors.append(str(exc))
            continue
        problems, analyses = analyse(source, Options(dialect=args.dialect, settings=settings))
        for problem in problems:
            if problem.code == "Y001":
                errors.append(
                    f"{path}:{problem.start.line + 1}:{problem.start.column + 1}: {problem.message}"
                )
        objects.extend(describe(path, a, settings) for a in analyses)
    out = render_json(objects) if args.output_format == "json" else render_text(objects)
    sys.stdout.write(out)
    for error in errors:
        print(f"cfgguard: error: {error}", file=sys.stderr)
    return 2 if errors else 0


def rule_command(code: str, output_format: str) -> int:
    rule = RULES_BY_CODE.get(code.upper())
    if rule is None:
        print(f"cfgguard: error: unknown rule code '{code}'", file=sys.stderr)
        return 2
    if output_format == "json":
        print(json.dumps(_rule_dict(rule, with_doc=True), indent=2))
    else:
        print(f"{rule.code} ({rule.name}) [{rule.severity.label}]")
        print(f"Source: {rule.source}")
        print()
        print(rule.doc.strip())
    return 0


def rules_command(output_format: str) -> int:
    if output_format == "json":
        print(json.dumps([_rule_dict(r, with_doc=False) for r in RULES], indent=2))
        return 0
    for rule in RULES:
        fix = "fix" if rule.fixable else "   "
        print(f"{rule.code}  {rule.severity.label:<8} {fix}  {rule.name:<28} {rule.summary}")
    return 0


def _rule_dict(rule: object, *, with_doc: bool) -> dict[str, object]:
    from cfgguard.rules.base import Rule

    assert isinstance(rule, Rule)
    out: dict[str, object] = {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.label,
        "fixable": rule.fixable,
        "summary": rule.summary,
        "source": rule.source,
    }
    if with_doc:
        out["doc"] = rule.doc.strip()
    return out
