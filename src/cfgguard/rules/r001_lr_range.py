"""PLACEHOLDER: being written."""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule, schema_check

RULE = Rule("R001", "r001_lr_range", Severity.INFO, "", __doc__ or "", check=schema_check("R001"))
