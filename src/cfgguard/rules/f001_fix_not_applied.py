"""Fixes not applied.

## What it does
Reports, on line 1 of a file, that `--fix` left the file untouched, and why: the fixed
text would not parse, it would have an error of some code that the original did not
have, or the fixes did not converge.

## Why is this bad?
It is a safety stop, not a problem in the config: cfgguard never writes a file it cannot
prove is no worse than before. The original findings are still reported.

## Example
```yaml
# two fixes whose results conflict
```

## Fix
Apply the remaining fixes by hand (`--diff` shows what cfgguard would have changed).

## Source
cfgguard's fix engine (re-parse and re-check after every round).
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule("F001", "fix-not-applied", Severity.WARNING, "cfgguard fix engine", __doc__ or "")
