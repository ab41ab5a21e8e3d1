"""PLACEHOLDER: being written."""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule, schema_check

RULE = Rule("L002", "l002_rl_rank", Severity.INFO, "", __doc__ or "", check=schema_check("L002"))
