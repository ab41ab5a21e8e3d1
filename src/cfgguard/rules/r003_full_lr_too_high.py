"""PLACEHOLDER: being written."""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule, schema_check

RULE = Rule("R003", "r003_full_lr_too_high", Severity.INFO, "", __doc__ or "", check=schema_check("R003"))
