"""Autofixes as span edits on the original text (never a YAML re-dump).

The edits come from ``cfgguard.edits`` (rules and helpers build them); here ``apply``
splices non-overlapping edits into text, ``engine`` runs
check -> apply -> re-parse -> re-check until nothing fixable is left, and ``write``
replaces a file atomically, keeping its mode and BOM.
"""
