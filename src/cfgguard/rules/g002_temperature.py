"""PLACEHOLDER: being written."""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule, schema_check

RULE = Rule("G002", "g002_temperature", Severity.INFO, "", __doc__ or "", check=schema_check("G002"))
