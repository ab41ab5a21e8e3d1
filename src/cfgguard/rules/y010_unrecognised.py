"""Unrecognised config.

## What it does
Reports, once per document, a YAML document that no dialect claims (no framework's
distinctive keys are present), and checks nothing else in it.

## Why is this bad?
It is not bad in itself: many YAML files in a repository are not training configs.
It is an `info` so that a config cfgguard failed to recognise does not pass unnoticed.

## Example
```yaml
name: ci
on: [push]
```

## Fix
If the file is a training config, pass `--dialect NAME` (axolotl, llamafactory, trl,
torchtune, verl, plain). No autofix.

## Source
Dialect notes, "Detection" sections.
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule("Y010", "unrecognised-config", Severity.INFO, "Dialect notes: detection", __doc__ or "")
