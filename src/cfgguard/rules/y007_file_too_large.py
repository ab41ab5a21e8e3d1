"""File too large to check.

## What it does
Skips a file of more than 10 MiB (10,485,760 characters) and reports it once, on line 1,
instead of composing it.

## Why is this bad?
No training config comes near that size (the largest in the corpus are a few dozen
kilobytes); a file that does is data (a dataset, a dump) or a mistake. Composing it
would cost tens of seconds and gigabytes of memory for every run of the linter, and
the file is not checked either way.

## Example
Not checked: a 10 MiB file does not fit a doc.
```yaml
# a 50 MB list of samples committed next to the configs
- {prompt: "...", response: "..."}
```

## Fix
Move data out of the configs directory, or exclude the file (`exclude` in
`[tool.cfgguard]`). No autofix.

## Source
cfgguard's own safety bound (`cfgguard.yaml.compose.MAX_TEXT`).
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule("Y007", "file-too-large", Severity.WARNING, "cfgguard safety bound", __doc__ or "")
