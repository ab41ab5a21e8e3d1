"""The commands behind the CLI; each returns the process exit code."""

from __future__ import annotations

import argparse
import json
import os
import sys

from cfgguard.check import Options, analyse, check_source
from cfgguard.cli.fix import FixRun
from cfgguard.cli.options import options_for, threshold, with_flags
from cfgguard.cli.paths import iter_paths
from cfgguard.config import ConfigError, Finder
from cfgguard.findings import Finding
from cfgguard.parallel import JobsError, check_all, requested_jobs
from cfgguard.report.escape import print_error
from cfgguard.rules import RULES, RULES_BY_CODE
from cfgguard.source import Source, SourceError, decode, read


def _finder(config: str | None) -> Finder | None:
    """The config finder; None (its problems printed, one line each) for a bad ``--config``."""
    try:
        return Finder(config)
    except ConfigError as exc:
        for message in exc.messages:
            print_error(message)
        return None


def check_command(args: argparse.Namespace) -> int:
    try:
        processes = requested_jobs(args.jobs)
    except JobsError as exc:
        print_error(exc)
        return 2
    finder = _finder(args.config)
    if finder is None:
        return 2
    run = _CheckRun(args)
    for path in iter_paths(args.paths, run.errors):
        run.plan(path, finder)
    run.run_jobs(processes)
    return run.finish()


class _CheckRun:
    """One ``cfgguard check``: files checked here (stdin, baselines) or in the pool, then
    one report. Plain checks and fixes of named files may run in parallel."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.errors: list[str] = []
        self.findings: list[Finding] = []
        self.checked: list[str] = []
        self.failed: set[str] = set()  # files with a finding at or above their --fail-on
        self.fixing = FixRun(args)
        self.parallel = not args.add_ignore
        self.jobs: list[tuple[str, Options]] = []
        self.thresholds: list[int] = []

    def plan(self, path: str, finder: Finder) -> None:
        try:
            cfg = with_flags(self.args, finder.for_file(path))
        except ConfigError as exc:  # the same problems for every file under that config
            self.errors.extend(exc.messages)
            return
        if path != "-" and cfg.exclude and cfg.matches(cfg.exclude, path):
            return
        if self.parallel and path != "-":
            self.jobs.append((path, options_for(self.args, cfg, path)))
            self.thresholds.append(threshold(self.args, cfg))
            return
        try:
            source, data = _read(path, self.args.stdin_filename)
        except SourceError as exc:
            self.errors.append(str(exc))
            return
        self.checked.append(source.path)
        options = options_for(self.args, cfg, source.path if path == "-" else path)
        self._record(self._check_here(path, source, data, options), threshold(self.args, cfg))

    def _check_here(
        self, path: str, source: Source, data: bytes, options: Options
    ) -> list[Finding]:
        if self.args.add_ignore:
            from cfgguard.fix.baseline import add_ignores

            return add_ignores(source, data, options, self.errors)
        if self.fixing.active:
            return self.fixing.run(source, data, options, self.errors, stdin=path == "-")
        return check_source(source, options)

    def _record(self, found: list[Finding], level: int) -> None:
        self.failed.update(f.path for f in found if f.severity >= level)
        self.findings.extend(found)

    def run_jobs(self, processes: int | None) -> None:
        done: list[tuple[str | None, list[Finding]]] = []
        if self.fixing.active:
            done = self.fixing.run_all(self.jobs, self.errors, processes)
        else:
            for checked_path, found, error in check_all(self.jobs, processes):
                if error is not None:
                    self.errors.append(error)
                done.append((checked_path, found))
        for (checked_path, found), level in zip(done, self.thresholds, strict=True):
            if checked_path is not None:
                self.checked.append(checked_path)
                self._record(found, level)

    def finish(self) -> int:
        """The report, the error lines and the exit code."""
        args, fixing = self.args, self.fixing
        errors = list(dict.fromkeys(self.errors))  # each problem once, in order
        findings = fixing.report(self.findings) if fixing.active else self.findings
        # fixed text of stdin input (or a diff) owns stdout: the report then goes to stderr
        out = sys.stderr if fixing.active and ("-" in args.paths or fixing.diff) else sys.stdout
        if fixing.fix_only:
            self.failed.clear()
        if not (fixing.fix_only and _human(args.output_format)):  # its stderr line says it all
            from cfgguard.report.formats import render_check

            report = render_check(
                args.output_format,
                findings,
                self.checked,
                RULES,
                stream=out,
                problems=len(errors),
                failed_paths=self.failed,
            )
            out.write(report)
        for error in errors:  # one line each: control characters in paths are escaped
            print_error(error)
        if errors:
            return 2
        return 1 if self.failed or fixing.exit_non_zero() else 0


def _human(output_format: str | None) -> bool:
    from cfgguard.report.formats import resolve_format

    return resolve_format(output_format, os.environ) in ("text", "concise", "grouped")


def _read(path: str, stdin_name: str | None) -> tuple[Source, bytes]:
    if path == "-":
        data = sys.stdin.buffer.read()
        return decode(data, stdin_name or "-"), data
    source = read(path)
    return source, source.encode()


def show_command(args: argparse.Namespace) -> int:
    from cfgguard.cli.show import describe, render_json, render_text

    errors: list[str] = []
    objects: list[dict[str, object]] = []
    finder = _finder(args.config)
    if finder is None:
        return 2
    for path in iter_paths(args.paths, errors):
        try:
            options = options_for(args, finder.for_file(path), path)
            source = read(path)
        except ConfigError as exc:
            errors.extend(exc.messages)
            continue
        except SourceError as exc:
            errors.append(str(exc))
            continue
        settings = options.settings
        problems, analyses = analyse(source, options)
        for problem in problems:
            if problem.kind in (
                "syntax",
                "alias-expansion",
                "nesting",
            ):  # nothing of the document was read
                errors.append(
                    f"{path}:{problem.start.line + 1}:{problem.start.column + 1}: {problem.message}"
                )
        project = options.project(path)
        objects.extend(describe(path, a, settings, project) for a in analyses)
    out = render_json(objects) if args.output_format == "json" else render_text(objects)
    sys.stdout.write(out)
    for error in dict.fromkeys(errors):  # each once; control characters escaped
        print_error(error)
    return 2 if errors else 0


def rule_command(code: str, output_format: str) -> int:
    rule = RULES_BY_CODE.get(code.upper())
    if rule is None:
        print_error(f"unknown rule code '{code}'")
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
