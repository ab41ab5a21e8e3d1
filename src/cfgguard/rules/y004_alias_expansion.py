"""Alias expansion too large (an alias bomb).

## What it does
Stops composing a document whose aliases expand to more than 200,000 nodes
("billion laughs") and reports it at the alias that crossed the limit.

## Why is this bad?
A loader that expands the aliases needs exponential time and memory: the trainer (and
any tool) hangs or runs out of memory. No training config needs this.

## Example
Checked as: `cfgguard check`.
```yaml
a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]   # 9^6 = 531,441 nodes
```

## Fix
Remove the aliases. No autofix.

## Source
YAML specification (aliases); cfgguard's own safety bound.
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule("Y004", "alias-expansion", Severity.ERROR, "cfgguard safety bound", __doc__ or "")
