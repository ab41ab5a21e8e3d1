"""PLACEHOLDER: being written."""

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.rules.base import Context, Report, Rule


def check(ctx: Context) -> Iterator[Report]:
    del ctx
    yield from ()


RULE = Rule("O004", "placeholder-o004", Severity.INFO, "placeholder", __doc__ or "", check)
