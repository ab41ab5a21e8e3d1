"""Alias expansion too large (an alias bomb).

## What it does
Stops composing a document whose aliases expand to more than 200,000 nodes
("billion laughs") and reports it at the alias that crossed the limit.

## Why is this bad?
A loader that expands the aliases needs exponential time and memory: the trainer (and
any tool) hangs or runs out of memory. No training config needs this.

## Example
```yaml
a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
# ... nine levels: 9^9 nodes
```

## Fix
Remove the aliases. No autofix.

## Source
YAML specification (aliases); cfgguard's own safety bound.
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule("Y004", "alias-expansion", Severity.ERROR, "cfgguard safety bound", __doc__ or "")
