"""Autofixes as span edits on the original text (never a YAML re-dump).

``build`` makes edits from nodes (used by rules), ``numbers`` rewrites numbers keeping
the author's style, ``apply`` splices non-overlapping edits into text, ``engine`` runs
check -> apply -> re-parse -> re-check until nothing fixable is left, and ``write``
replaces a file atomically, keeping its mode and BOM.
"""
