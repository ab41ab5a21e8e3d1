"""Base model not in the model table.

## What it does
Reports, at the base-model key, a model id that cfgguard's model table does not know.
Rules that depend on the model's size, hidden size or module names are skipped.

## Why is this bad?
It is not bad: it says which checks did not run. Matching ignores organisation
prefixes, `-Instruct`/`-Chat`/`-hf` and quantisation suffixes, and reads local paths.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
base_model: my-org/my-7b
```

## Fix
Declare the model in cfgguard's configuration:
`[tool.cfgguard.models."my-org/my-7b"] = {family = "llama", size = "7-8B", hidden_size = 4096}`.

## Source
cfgguard's model table (`knowledge/data/models.json`): each row's dimensions and module
names as read from the model's `config.json` or a framework's model builder at the
commit the row cites.
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule(
    "M001",
    "unknown-model",
    Severity.INFO,
    "Model table (knowledge/data/models.json)",
    __doc__ or "",
)
