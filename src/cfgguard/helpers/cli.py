"""The ``init``, ``triage`` and ``convert`` subcommands: arguments and dispatch."""

from __future__ import annotations

import argparse
from typing import Any

DIALECTS = ["axolotl", "llamafactory", "trl", "torchtune", "verl", "plain"]
SYMPTOMS = [
    "loss-flat",
    "loss-exploding",
    "early-plateau",
    "overfitting",
    "poor-generation",
    "slow-training",
]
COMMANDS = frozenset({"init", "triage", "convert"})


def add_commands(sub: Any) -> None:
    """Register the subcommands on the main parser's ``add_subparsers`` object."""
    init: argparse.ArgumentParser = sub.add_parser(
        "init", help="write a starting config from the reference tables"
    )
    init.add_argument("--dialect", choices=DIALECTS, required=True)
    init.add_argument("--method", choices=["sft", "dpo", "grpo"], required=True)
    init.add_argument("--model", required=True, help="a model id from the model table")
    init.add_argument("--adapter", choices=["lora", "qlora", "full"], default=None)
    init.add_argument("--gpu-memory", type=int, default=80, help="GPU memory in GB (80)")
    init.add_argument("-o", "--output", default=None, help="write here (default: stdout)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")

    triage: argparse.ArgumentParser = sub.add_parser(
        "triage", help="settings behind a training symptom, and the table's fix"
    )
    triage.add_argument("symptom", choices=SYMPTOMS)
    triage.add_argument("path", metavar="FILE")
    triage.add_argument("--dialect", choices=DIALECTS, default=None)
    mode = triage.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print the fix as a diff")
    mode.add_argument("--fix", action="store_true", help="apply the fix in place")

    convert: argparse.ArgumentParser = sub.add_parser(
        "convert", help="translate a config to another dialect"
    )
    convert.add_argument("path", metavar="FILE")
    convert.add_argument("--to", choices=DIALECTS, required=True, dest="target")
    convert.add_argument("--dialect", choices=DIALECTS, default=None, help="source dialect")
    convert.add_argument("-o", "--output", default=None, help="write here (default: stdout)")
    convert.add_argument("--force", action="store_true", help="overwrite an existing file")


def run(args: argparse.Namespace) -> int:
    if args.command == "init":
        from cfgguard.helpers.init import init_command

        return init_command(
            args.dialect,
            args.method,
            args.model,
            args.adapter,
            args.gpu_memory,
            args.output,
            args.force,
        )
    if args.command == "triage":
        from cfgguard.helpers.triage import triage_command

        mode = "fix" if args.fix else "diff" if args.diff else "show"
        return triage_command(args.symptom, args.path, mode, args.dialect)
    from cfgguard.helpers.convert import convert_command

    return convert_command(args.path, args.target, args.output, args.force, args.dialect)
