"""Unused or unknown suppression.

## What it does
Reports a `# cfgguard: ignore[...]` or `# cfgguard: disable-file[...]` comment that
silences nothing, or that names a code no rule has (like ruff's RUF100). Codes that are
not selected in this run are not reported as unused.

## Why is this bad?
A stale suppression hides the next real finding on that line, and a misspelt code
silences nothing while looking as if it did.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
adapter: lora
learning_rate: 2.0e-4  # cfgguard: ignore[R002]   (R002 no longer fires here)
```

## Fix
Delete the comment or the code. No autofix yet.

## Source
cfgguard's suppression comments (README, "Suppressions").
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule("S001", "unused-suppression", Severity.WARNING, "cfgguard suppressions", __doc__ or "")
