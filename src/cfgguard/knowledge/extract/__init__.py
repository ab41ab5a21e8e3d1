"""What a framework's loader accepts, read from its source with ``ast`` (never imported).

One extractor per package turns a source tree (a released wheel or sdist, or a copy
vendored in the checked repository) into a ``Snapshot``: the argument classes its
parser reads (fields, types, defaults, aliases, deprecations) and, for frameworks whose
config is a YAML tree, the dotted keys it reads. ``cfgguard.knowledge.build`` merges the
snapshots of many releases into the package data the checks read; the project layer
runs the same extractor on a vendored copy.
"""
