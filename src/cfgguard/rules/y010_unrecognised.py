"""Unrecognised config.

## What it does
Reports, once per document, a YAML document that no dialect claims (no framework's
distinctive keys are present), and checks nothing else in it.

## Why is this bad?
It is not bad in itself: many YAML files in a repository are not training configs.
It is an `info` so that a config cfgguard failed to recognise does not pass unnoticed.

## Example
Checked as: `cfgguard check`.
```yaml
name: ci
on: [push]
```

## Fix
If the file is a training config, pass `--dialect NAME` (axolotl, llamafactory, trl,
torchtune, verl, plain). No autofix.

## Source
cfgguard's dialect detection (`detect` in each module of `src/cfgguard/dialects/`),
which scores each framework's own key spellings: axolotl 0.21.0
`src/axolotl/utils/schemas/model.py:17` (`base_model`, required), llamafactory 0.9.5
`src/llamafactory/hparams/finetuning_args.py:460-466` (`stage`, `finetuning_type`),
trl 1.16.0 `trl/trainer/model_config.py:103-119` (`use_peft`, `lora_r`...), torchtune
0.6.1 `torchtune/config/_utils.py:33` (`_component_`), verl 0.9.1
`verl/trainer/config/_generated_ppo_trainer.yaml` (`actor_rollout_ref`, `algorithm`).
"""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule

RULE = Rule(
    "Y010", "unrecognised-config", Severity.INFO, "cfgguard dialect detection", __doc__ or ""
)
