"""PLACEHOLDER: being written."""

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule, schema_check

RULE = Rule("L004", "l004_unembedding", Severity.INFO, "", __doc__ or "", check=schema_check("L004"))
