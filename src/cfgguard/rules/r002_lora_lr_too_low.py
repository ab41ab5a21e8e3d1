"""PLACEHOLDER: being written."""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule, schema_check

RULE = Rule("R002", "r002_lora_lr_too_low", Severity.INFO, "", __doc__ or "", check=schema_check("R002"))
