"""Building the versioned knowledge base from the frameworks' released code.

``python -m cfgguard.knowledge.build`` downloads released distributions from PyPI (each
file checked against PyPI's sha256), runs each package's extractor
(``cfgguard.knowledge.extract``) on every selected release, and merges the snapshots
into ``knowledge/data/releases/<package>.json``: for each argument class and key set,
the runs of consecutive releases over which each key exists with the same type,
default, aliases and deprecation. Nothing downloaded is unpacked, imported or run.
"""
