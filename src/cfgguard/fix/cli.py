"""The ``--fix`` family of ``check`` flags: per-file fixing and the closing summary."""

from __future__ import annotations

import argparse
import sys

from cfgguard.check import Options
from cfgguard.findings import Finding
from cfgguard.source import Source


class FixRun:
    def __init__(self, args: argparse.Namespace) -> None:
        self.fix: bool = bool(args.fix or args.unsafe_fixes or args.fix_only)
        self.diff: bool = bool(args.diff)
        self.fix_only: bool = bool(args.fix_only)
        self.show: bool = bool(args.show_fixes)
        self.non_zero_on_fix: bool = bool(args.exit_non_zero_on_fix)
        self.unsafe: bool = bool(args.unsafe_fixes)
        self.fixed: list[Finding] = []
        self.diffs = False

    @property
    def active(self) -> bool:
        return self.fix or self.diff

    def run(
        self, source: Source, data: bytes, options: Options, errors: list[str], *, stdin: bool
    ) -> list[Finding]:
        """Fix one file; the fixed text of stdin input goes to stdout."""
        from cfgguard.fix.run import Mode, fix_file

        mode = Mode(unsafe=self.unsafe, diff=self.diff, stdout=stdin)
        result = fix_file(source, data, options, mode)
        if result.error:
            errors.append(result.error)
        self.fixed.extend(result.fixed)
        if result.diff:
            self.diffs = True
            sys.stdout.write(result.diff)
        if result.output is not None and not self.diff:
            sys.stdout.write(result.output)
        return result.findings

    def report(self, remaining: list[Finding]) -> list[Finding]:
        """What to show of the remaining findings; prints the fix summary to stderr."""
        from cfgguard.fix.run import describe_fix, summary

        if self.show:
            for finding in self.fixed:
                print(f"Fixed {describe_fix(finding)}", file=sys.stderr)
        print(summary(len(self.fixed), remaining), file=sys.stderr)
        return [] if self.fix_only else remaining

    def exit_non_zero(self) -> bool:
        if self.diff:
            return self.diffs
        return self.non_zero_on_fix and bool(self.fixed)
