"""YAML syntax error.

## What it does
Reports a file that the YAML parser rejects, at the parser's line and column, and a
tag that the frameworks' loaders cannot construct (`!!python/object/apply:...`, a custom
`!tag`): `yaml.safe_load` and OmegaConf refuse the file. cfgguard never constructs tags.

## Why is this bad?
Every supported framework loads its config with a YAML parser (PyYAML or OmegaConf);
a syntax error stops the run before training starts. No other check runs on the file.

Severity `error`: the framework's loader raises before training starts (PyYAML
`yaml.safe_load`, OmegaConf `OmegaConf.load`). A Jinja/Helm template is not a syntax
error: Y006 reports it, as `info`.

## Example
Checked as: `cfgguard check`.
```yaml
lora_target_modules: [q_proj, v_proj
learning_rate: 2e-4
```

## Fix
Correct the YAML; cfgguard does not guess what was meant. No autofix.

## Source
YAML 1.1 specification, as implemented by libyaml / PyYAML.
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule("Y001", "yaml-syntax-error", Severity.ERROR, "YAML parser", __doc__ or "")
