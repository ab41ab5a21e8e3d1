"""Nesting too deep.

## What it does
Stops composing a document nested more than 200 levels deep and reports where.

## Why is this bad?
Recursive YAML composers (PyYAML's pure-Python one among them) fail with a recursion
error on such input; no training config is nested more than a few levels.

## Example
Not checked: the nesting is elided (201 levels do not fit a line).
```yaml
a: [[[[[[[[[[ ... ]]]]]]]]]]
```

## Fix
Flatten the structure. No autofix.

## Source
cfgguard's own safety bound.
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule("Y005", "nesting-too-deep", Severity.ERROR, "cfgguard safety bound", __doc__ or "")
