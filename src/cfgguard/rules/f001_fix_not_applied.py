"""Fixes not applied.

## What it does
Reports, on line 1 of a file, that `--fix` left the file untouched, and why: the fixed
text would not parse, it would have an error of some code that the original did not
have, the fixes did not converge, or a fix's span no longer holds the value it was built
for. At a finding's own position it reports a single fix held back because it would edit
through an alias (the anchor's value, which every alias shares).

## Why is this bad?
It is a safety stop, not a problem in the config: cfgguard never writes a file it cannot
prove is no worse than before. The original findings are still reported.

## Example
Not checked: a sketch; the fixes that conflict depend on the file.
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
