"""Colour for the human formats (text, concise, grouped); escaping is ``report.escape``.

Colour follows CPython's rule order: ``NO_COLOR`` (non-empty) disables, ``FORCE_COLOR``
(non-empty) enables, ``TERM=dumb`` disables, otherwise colour only on a TTY.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from cfgguard.findings import Severity
from cfgguard.records import dataclass


class _Stream(Protocol):
    def isatty(self) -> bool: ...


def color_enabled(stream: _Stream, environ: Mapping[str, str]) -> bool:
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


_SEVERITY_SGR = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.INFO: "1;36"}


@dataclass(frozen=True, slots=True)
class Palette:
    """ANSI styling, or none. Styles only cfgguard's own text, never unescaped input."""

    enabled: bool = False

    def _sgr(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._sgr(text, "1")

    def dim(self, text: str) -> str:
        return self._sgr(text, "2")

    def severity(self, text: str, severity: Severity) -> str:
        return self._sgr(text, _SEVERITY_SGR[severity])


PLAIN = Palette(enabled=False)

__all__ = ["PLAIN", "Palette", "color_enabled"]
