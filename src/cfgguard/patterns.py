"""Regular expressions compiled when first used.

A module-level ``re.compile`` runs at import, and the check path declares about thirty
patterns of which a one-file check uses a handful (the others wait for a template, a
``${...}`` value, a Python file, a lock file): compiling them all cost that check 4 % of
its instructions. ``Pattern`` keeps the text and compiles on the first call; a pattern a
run never uses is never compiled. Every use pays one more call: for the patterns asked
once per scalar of some dialects (an exponent, an interpolation) that costs the 284-file
bench run 4M instructions, less than compiling them costs every one-file run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import AnyStr, Generic


class Pattern(Generic[AnyStr]):
    """``re.compile(source, flags)``, compiled by the first method called."""

    __slots__ = ("_compiled", "_flags", "pattern")

    def __init__(self, source: AnyStr, flags: int = 0) -> None:
        self.pattern: AnyStr = source
        self._flags = flags
        self._compiled: re.Pattern[AnyStr] | None = None

    @property
    def compiled(self) -> re.Pattern[AnyStr]:
        found = self._compiled
        if found is None:
            found = self._compiled = re.compile(self.pattern, self._flags)
        return found

    def search(self, string: AnyStr, pos: int = 0) -> re.Match[AnyStr] | None:
        return self.compiled.search(string, pos)

    def match(self, string: AnyStr, pos: int = 0) -> re.Match[AnyStr] | None:
        return self.compiled.match(string, pos)

    def fullmatch(self, string: AnyStr, pos: int = 0) -> re.Match[AnyStr] | None:
        return self.compiled.fullmatch(string, pos)

    def finditer(self, string: AnyStr, pos: int = 0) -> Iterator[re.Match[AnyStr]]:
        return self.compiled.finditer(string, pos)

    def findall(self, string: AnyStr) -> list[AnyStr]:
        return self.compiled.findall(string)

    def sub(
        self, replacement: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr
    ) -> AnyStr:
        return self.compiled.sub(replacement, string)


__all__ = ["Pattern"]
