"""GitHub Actions workflow commands: one annotation per finding.

::

    ::warning file=configs/dpo.yaml,line=13,col=9,endLine=13,endColumn=11,title=cfgguard (L002)::
    LoRA rank 64 ... (one line; wrapped here)

Severity ``error`` -> ``::error``, ``warning`` -> ``::warning``, ``info`` -> ``::notice``.
Escaping follows GitHub's toolkit (``@actions/core`` ``escapeData``/``escapeProperty``):
in the message ``%`` -> ``%25``, CR -> ``%0D``, LF -> ``%0A``; property values also
``:`` -> ``%3A`` and ``,`` -> ``%2C``. Every other control character (ESC, C1, bidi
overrides) is written as ``report.escape.visible`` writes it (``\\x1b``). A message
therefore always stays on its own line and cannot start another workflow command.
``endColumn`` is exclusive, as everywhere in cfgguard.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from cfgguard.findings import Finding, Severity
from cfgguard.report.escape import visible
from cfgguard.report.paths import relative_posix

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The toolkit's escaping, then ``visible``: no ESC, C1 or bidi reaches the log either."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, root: str) -> str:
    properties = (
        ("file", relative_posix(f.path, root)),
        ("line", str(f.line)),
        ("col", str(f.column)),
        ("endLine", str(f.end_line)),
        ("endColumn", str(f.end_column)),
        ("title", f"cfgguard ({f.code})"),
    )
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMAND[f.severity]} {props}::{escape_data(f.message)}"


def render(findings: Sequence[Finding], root: str | None = None) -> str:
    base = os.getcwd() if root is None else root
    return "".join(annotation(f, base) + "\n" for f in findings)
