"""How machine formats name files: relative to the working directory, forward slashes.

CI systems resolve annotation and SARIF paths against the repository root, which is the
working directory when cfgguard runs there (as the GitHub Action does). A path outside it
stays absolute.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from urllib.parse import quote


def relative_posix(path: str, root: str) -> str:
    """``path`` relative to ``root`` when it lies under it, with ``/`` separators."""
    pure = PurePath(path)
    if pure.is_absolute():
        try:
            pure = pure.relative_to(os.path.abspath(root))
        except ValueError:
            return pure.as_posix()
    return pure.as_posix()


def artifact_uri(path: str, root: str) -> str:
    """A URI reference (RFC 3986) for ``path``: relative and percent-encoded, or ``file:``.

    Undecodable bytes in a file name (surrogate-escaped by Python) are encoded as the
    original bytes, so the URI names the real file.
    """
    rel = relative_posix(path, root)
    if PurePath(rel).is_absolute():
        return Path(rel).as_uri()
    return quote(os.fsencode(rel), safe="/")
