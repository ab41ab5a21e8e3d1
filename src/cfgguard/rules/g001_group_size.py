"""PLACEHOLDER: being written."""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule, schema_check

RULE = Rule("G001", "g001_group_size", Severity.INFO, "", __doc__ or "", check=schema_check("G001"))
