"""PLACEHOLDER: being written."""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule, schema_check

RULE = Rule("L003", "l003_alpha", Severity.INFO, "", __doc__ or "", check=schema_check("L003"))
