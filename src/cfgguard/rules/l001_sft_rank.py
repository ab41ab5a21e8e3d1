"""PLACEHOLDER: being written."""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule, schema_check

RULE = Rule("L001", "l001_sft_rank", Severity.INFO, "", __doc__ or "", check=schema_check("L001"))
