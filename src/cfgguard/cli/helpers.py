"""The ``init``, ``triage`` and ``convert`` subcommands: arguments and dispatch."""

from __future__ import annotations

import argparse

DIALECTS = ["axolotl", "llamafactory", "trl", "torchtune", "verl", "plain"]
SYMPTOMS = [
    "loss-flat",
    "loss-exploding",
    "early-plateau",
    "overfitting",
    "poor-generation",
    "slow-training",
]


HELP = {
    "init": "write a starting config from the reference tables",
    "triage": "settings behind a training symptom, and the table's fix",
    "convert": "translate a config to another dialect",
}


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    """Give one of these subcommands' parsers its arguments."""
    from cfgguard.cli.options import positive

    if command == "init":
        parser.add_argument("--dialect", choices=DIALECTS, required=True)
        parser.add_argument("--method", choices=["sft", "dpo", "grpo"], required=True)
        parser.add_argument("--model", required=True, help="a model id from the model table")
        parser.add_argument("--adapter", choices=["lora", "qlora", "full"], default=None)
        parser.add_argument("--gpu-memory", type=positive, default=80, help="GPU memory in GB (80)")
        parser.add_argument("-o", "--output", default=None, help="write here (default: stdout)")
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    elif command == "triage":
        parser.add_argument("symptom", choices=SYMPTOMS)
        parser.add_argument("path", metavar="FILE")
        parser.add_argument("--dialect", choices=DIALECTS, default=None)
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--diff", action="store_true", help="print the fix as a diff")
        mode.add_argument("--fix", action="store_true", help="apply the fix in place")
    else:
        parser.add_argument("path", metavar="FILE")
        parser.add_argument("--to", choices=DIALECTS, required=True, dest="target")
        parser.add_argument("--dialect", choices=DIALECTS, default=None, help="source dialect")
        parser.add_argument("-o", "--output", default=None, help="write here (default: stdout)")
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def run(args: argparse.Namespace) -> int:
    if args.command == "init":
        from cfgguard.init.command import init_command

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
        from cfgguard.triage.command import triage_command

        mode = "fix" if args.fix else "diff" if args.diff else "show"
        return triage_command(args.symptom, args.path, mode, args.dialect)
    from cfgguard.convert.command import convert_command

    return convert_command(args.path, args.target, args.output, args.force, args.dialect)
