"""The ``--fix`` family of ``check`` flags: per-file fixing and the closing summary."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cfgguard.check import Options
from cfgguard.findings import Finding
from cfgguard.report.escape import print_note
from cfgguard.source import Source

if TYPE_CHECKING:
    from cfgguard.fix.run import FileResult


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
        return self.take(fix_file(source, data, options, mode), errors)

    def run_all(
        self, jobs: Sequence[tuple[str, Options]], errors: list[str], processes: int | None
    ) -> list[tuple[str | None, list[Finding]]]:
        """Fix files (on every core when there are many): (checked path or None, findings)."""
        from cfgguard.fix.run import Mode, fix_path
        from cfgguard.parallel import map_in_order

        mode = Mode(unsafe=self.unsafe, diff=self.diff)
        results = map_in_order(lambda job: fix_path(job[0], job[1], mode), jobs, processes)
        return [(result.path, self.take(result, errors)) for result in results]

    def take(self, result: FileResult, errors: list[str]) -> list[Finding]:
        """Account for one file's result, in file order: errors, fixes, diff, output."""
        if result.error:
            errors.append(result.error)
        self.fixed.extend(result.fixed)
        if result.diff:
            self.diffs = True
            sys.stdout.write(result.diff)
        if result.output is not None:
            _write_bytes(result.output)
        return result.findings

    def report(self, remaining: list[Finding]) -> list[Finding]:
        """What to show of the remaining findings; prints the fix summary to stderr."""
        from cfgguard.fix.run import describe_fix, summary

        if self.show:
            for finding in self.fixed:
                print_note(f"Fixed {describe_fix(finding)}")
        print(summary(len(self.fixed), remaining, diff=self.diff), file=sys.stderr)
        return [] if self.fix_only else remaining

    def exit_non_zero(self) -> bool:
        if self.diff:
            return self.diffs
        return self.non_zero_on_fix and bool(self.fixed)


def _write_bytes(data: bytes) -> None:
    """The fixed file to stdout byte for byte (its BOM and line endings included)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (embedding): the text is all it can take
        sys.stdout.write(data.decode("utf-8"))
        return
    buffer.write(data)
    buffer.flush()
