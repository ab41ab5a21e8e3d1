"""Command line: ``cfgguard check|show|rule|rules|server|init|triage|convert``.

Exit codes: 0 no finding at or above ``--fail-on``; 1 there is one; 2 usage or I/O
problems (one line on stderr each, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from functools import cache
from typing import Any, NoReturn

from cfgguard import __version__
from cfgguard.dialects import NAMES

DESCRIPTION = (
    "Check and fix LLM fine-tuning configs (axolotl, LLaMA-Factory, TRL, torchtune, verl)."
)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(formatter_class=_Formatter, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, told the terminal width.

    argparse builds a formatter for every argument it adds, and without a width each one
    asks ``shutil.get_terminal_size`` (importing ``shutil`` costs 2-3 ms, a run that only
    checks pays it). The width is worked out the same way, once.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_width())


@cache
def _width() -> int:
    """The terminal's columns as ``shutil.get_terminal_size`` finds them, minus 2."""
    columns = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(columns, 3) - 2


COMMANDS = {
    "check": "check configs and report findings",
    "show": "show what cfgguard understood of each config",
    "rule": "print a rule's documentation",
    "rules": "list every rule",
    "server": "run the language server (LSP over stdin/stdout; needs cfgguard[server])",
}
DESCRIPTIONS = {
    "check": (
        "Check configs and report findings (and fix them with --fix). PATH is a file, a"
        " directory (its *.yaml and *.yml files, hidden ones skipped) or - for standard input"
        " (--stdin-filename names it). Exit 0: no finding at or above --fail-on; 1: there is"
        " one; 2: usage or I/O problems."
    ),
    "server": (
        "Run the language server: diagnostics, fixes, hover and key completion in an editor,"
        " over standard input and output. Needs the 'server' extra: pip install"
        " 'cfgguard[server]'."
    ),
    "show": (
        "Show what cfgguard understood of each config: dialect, model, every canonical field"
        " and where it came from. PATH is a file or a directory."
    ),
}


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser, with arguments only for the subcommand being run.

    Building every subcommand's arguments costs about 5 ms (argparse translates each help
    text through gettext); a pre-commit hook runs ``check`` on every commit. The top-level
    options take no values, so the first word not starting with '-' names the command.
    """
    from cfgguard.cli.helpers import HELP, add_arguments

    parser = _Parser(prog="cfgguard", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"cfgguard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    wanted = next((word for word in argv if not word.startswith("-")), None)
    known = {**COMMANDS, **HELP}
    before = argv[: list(argv).index(wanted)] if wanted in known else argv
    # one command named and no top-level help asked: only its parser is needed (each
    # parser argparse builds costs ~0.1 ms; the others appear only in the top-level help
    # and in the error for a command that does not exist)
    alone = wanted if wanted in known and not {"-h", "--help"} & set(before) else None
    for command, text in known.items():
        if alone is not None and command != alone:
            continue
        command_parser = sub.add_parser(command, help=text, description=DESCRIPTIONS.get(command))
        if command != wanted:
            continue
        if command in HELP:
            add_arguments(command, command_parser)
        else:
            _ARGUMENTS[command](command_parser)
    return parser


def _check_arguments(check: argparse.ArgumentParser) -> None:
    from cfgguard.cli.options import code_list, per_file_ignore, positive, selection
    from cfgguard.config import FAIL_ON
    from cfgguard.report import FORMATS

    _common(check, FORMATS, None, paths_help="files or directories; - reads standard input")
    check.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=None,
        help="lowest severity that fails the run, or none (default: the project config, else"
        " warning)",
    )
    check.add_argument(
        "--select", type=selection, default=None, help="comma-separated codes or prefixes, or ALL"
    )
    check.add_argument(
        "--extend-select", type=selection, default=None, help="codes added to the selection"
    )
    check.add_argument(
        "--ignore", type=code_list, default=None, help="comma-separated codes or prefixes"
    )
    check.add_argument("--config", default=None, help="a pyproject.toml or .cfgguard.toml")
    check.add_argument("--exclude", default=None, help="comma-separated globs to skip")
    check.add_argument(
        "--per-file-ignores",
        type=per_file_ignore,
        action="append",
        default=None,
        metavar="GLOB:CODES",
        help="ignore comma-separated CODES in files matching GLOB (repeatable)",
    )
    check.add_argument("--dataset-size", type=positive, default=None, help="training examples")
    check.add_argument(
        "--add-ignore",
        action="store_true",
        help="add a '# cfgguard: ignore[...]' comment for every current finding (a baseline)",
    )
    check.add_argument("--gpu-memory", type=positive, default=None, help="GPU memory in GB")
    check.add_argument("--devices", type=positive, default=None, help="data-parallel devices")
    check.add_argument(
        "--jobs",
        type=positive,
        default=None,
        metavar="N",
        help="processes to check many files in; 1: this one only (default: $CFGGUARD_JOBS,"
        " else one per core)",
    )
    _target_version(check)
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


def _show_arguments(show: argparse.ArgumentParser) -> None:
    from cfgguard.cli.options import positive

    _common(show)
    show.add_argument("--devices", type=positive, default=None, help="data-parallel devices")
    _target_version(show)
    show.add_argument("--config", default=None, help="a pyproject.toml or .cfgguard.toml")


def _rule_arguments(rule: argparse.ArgumentParser) -> None:
    rule.add_argument("code")
    rule.add_argument("--output-format", choices=["text", "json"], default="text")


def _rules_arguments(rules: argparse.ArgumentParser) -> None:
    rules.add_argument("--output-format", choices=["text", "json"], default="text")


def _server_arguments(server: argparse.ArgumentParser) -> None:
    pass  # it is configured by the editor (the project's own configuration applies)


_ARGUMENTS = {
    "check": _check_arguments,
    "show": _show_arguments,
    "rule": _rule_arguments,
    "rules": _rules_arguments,
    "server": _server_arguments,
}


def _target_version(p: argparse.ArgumentParser) -> None:
    from cfgguard.cli.options import target_version

    p.add_argument(
        "--target-version",
        type=target_version,
        action="append",
        default=[],
        metavar="PKG==VERSION",
        help="a framework release the configs are for (repeatable; wins over the pins)",
    )


def _common(
    p: argparse.ArgumentParser,
    formats: Sequence[str] = ("text", "json"),
    default: str | None = "text",
    paths_help: str = "files or directories",
) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    p.add_argument(
        "--output-format",
        choices=formats,
        default=default,
        help="default: text (github when GITHUB_ACTIONS=true)" if default is None else None,
    )
    p.add_argument(
        "--dialect",
        choices=NAMES,
        default=None,
        help="skip detection and read every file in this dialect",
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        status = _main(sys.argv[1:] if argv is None else list(argv))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return status
    except KeyboardInterrupt:
        print("cfgguard: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader left (`cfgguard rules | head`): stop quietly, and keep the interpreter
        # from failing again when it flushes stdout at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 2


def _main(words: list[str]) -> int:
    if not words:  # bare `cfgguard`: what it can do, and a usage error
        sys.stderr.write(_parser(words).format_help())
        return 2
    try:
        args = _parser(words).parse_args(words)
    except UsageError as exc:
        from cfgguard.report.escape import print_error

        print_error(exc)
        return 2
    if args.command == "rule":
        from cfgguard.cli.commands import rule_command

        return rule_command(args.code, args.output_format)
    if args.command == "rules":
        from cfgguard.cli.commands import rules_command

        return rules_command(args.output_format)
    if args.command == "server":
        from cfgguard.server import main as serve

        return serve()
    if args.command not in COMMANDS:
        from cfgguard.cli.helpers import run

        return run(args)
    if args.command == "show":
        from cfgguard.cli.commands import show_command

        return show_command(args)
    from cfgguard.cli.commands import check_command

    return check_command(args)


__all__ = ["main"]
