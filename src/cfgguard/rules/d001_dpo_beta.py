"""PLACEHOLDER: being written."""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule, schema_check

RULE = Rule("D001", "d001_dpo_beta", Severity.INFO, "", __doc__ or "", check=schema_check("D001"))
