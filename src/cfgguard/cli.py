"""Command line: ``cfgguard check|show|rule|rules|init|triage|convert``.

Exit codes: 0 no finding at or above ``--fail-on``; 1 there is one; 2 usage or I/O
problems (one line on stderr each, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from typing import NoReturn

from cfgguard import __version__

YAML_SUFFIXES = (".yaml", ".yml")
SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cfgguard", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--version", action="version", version=f"cfgguard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="check configs and report findings")
    from cfgguard.report import FORMATS

    _common(check, FORMATS, None)
    check.add_argument(
        "--fail-on",
        choices=["info", "warning", "error"],
        default=None,
        help="lowest severity that fails the run (default: the project config, else warning)",
    )
    check.add_argument("--select", default=None, help="comma-separated codes or prefixes")
    check.add_argument("--extend-select", default=None, help="codes added to the selection")
    check.add_argument("--ignore", default=None, help="comma-separated codes")
    check.add_argument("--config", default=None, help="a pyproject.toml or .cfgguard.toml")
    check.add_argument("--exclude", default=None, help="comma-separated globs to skip")
    check.add_argument(
        "--per-file-ignores",
        action="append",
        default=None,
        metavar="GLOB:CODES",
        help="ignore comma-separated CODES in files matching GLOB (repeatable)",
    )
    check.add_argument("--dataset-size", type=int, default=None, help="training examples")
    check.add_argument(
        "--add-ignore",
        action="store_true",
        help="add a '# cfgguard: ignore[...]' comment for every current finding (a baseline)",
    )
    check.add_argument("--gpu-memory", type=int, default=None, help="GPU memory in GB")
    check.add_argument("--devices", type=int, default=None, help="data-parallel devices")
    fix = check.add_argument_group("fixing")
    fix.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    fix.add_argument("--diff", action="store_true", help="print the fixes as a diff; write nothing")
    fix.add_argument("--fix-only", action="store_true", help="fix, and report nothing that remains")
    fix.add_argument("--show-fixes", action="store_true", help="list the fixes applied")
    fix.add_argument(
        "--exit-non-zero-on-fix", action="store_true", help="exit 1 when anything was fixed"
    )
    fix.add_argument("--stdin-filename", default=None, help="the name of the file read from -")

    show = sub.add_parser("show", help="show what cfgguard understood of each config")
    _common(show)
    show.add_argument("--devices", type=int, default=None, help="data-parallel devices")
    show.add_argument("--config", default=None, help="a pyproject.toml or .cfgguard.toml")

    rule = sub.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("code")
    rule.add_argument("--output-format", choices=["text", "json"], default="text")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--output-format", choices=["text", "json"], default="text")
    from cfgguard.helpers.cli import add_commands

    add_commands(sub)
    return parser


def _common(
    p: argparse.ArgumentParser,
    formats: Sequence[str] = ("text", "json"),
    default: str | None = "text",
) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    p.add_argument(
        "--output-format",
        choices=formats,
        default=default,
        help="default: text (github when GITHUB_ACTIONS=true)" if default is None else None,
    )
    p.add_argument(
        "--dialect",
        choices=["axolotl", "llamafactory", "trl", "torchtune", "verl", "plain"],
        default=None,
        help="skip detection and read every file in this dialect",
    )


def iter_paths(paths: Sequence[str], errors: list[str]) -> Iterator[str]:
    """Files as given, and ``*.yaml``/``*.yml`` under directories (sorted, hidden skipped)."""
    for path in paths:
        if path == "-":
            yield path
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(YAML_SUFFIXES):
                        yield os.path.join(root, name)
        elif os.path.exists(path) or os.path.islink(path):
            yield path
        else:
            errors.append(f"{path}: no such file or directory")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except UsageError as exc:
        print(f"cfgguard: error: {exc}", file=sys.stderr)
        return 2
    if args.command == "rule":
        from cfgguard.commands import rule_command

        return rule_command(args.code, args.output_format)
    if args.command == "rules":
        from cfgguard.commands import rules_command

        return rules_command(args.output_format)
    from cfgguard.helpers.cli import COMMANDS, run

    if args.command in COMMANDS:
        return run(args)
    if args.command == "show":
        from cfgguard.commands import show_command

        return show_command(args)
    from cfgguard.commands import check_command

    return check_command(args)


__all__ = ["iter_paths", "main"]
