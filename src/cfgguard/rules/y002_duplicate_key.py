"""Duplicate key in a mapping.

## What it does
Reports the second occurrence of a key in the same mapping, naming the line of the first.

## Why is this bad?
PyYAML (axolotl, TRL, alignment-handbook) silently keeps the *last* value, so the
trainer runs with a value the author may not have meant; OmegaConf (torchtune, verl,
LLaMA-Factory >= 0.9.4) refuses the file ("found duplicate key").

## Example
```yaml
learning_rate: 2.0e-4
# ... forty lines later
learning_rate: 2.0e-5
```

## Fix
Delete the occurrence you did not mean. No autofix: only the author knows which one.

## Source
Dialect notes, "Loader and type coercion" (PyYAML safe_load; OmegaConf get_yaml_loader).
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule(
    "Y002", "duplicate-key", Severity.ERROR, "Dialect notes: loader behaviour", __doc__ or ""
)
