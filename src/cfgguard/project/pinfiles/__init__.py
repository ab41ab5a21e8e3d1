"""Readers of the files that pin packages: each turns one file into ``Pin`` records.

Every reader takes a ``Context`` (the root, a bounded reader, and lists it adds the files
it read and the problems it met to) and never raises on bad input: a file that does not
parse yields what could be read, and a problem line.
"""

from __future__ import annotations

from cfgguard.project.fs import Reader, relative
from cfgguard.records import dataclass, field


@dataclass(slots=True)
class Context:
    reader: Reader
    files: list[str] = field(default_factory=lambda: list[str]())
    problems: list[str] = field(default_factory=lambda: list[str]())

    @property
    def root(self) -> str:
        return self.reader.root

    def rel(self, path: str) -> str:
        return relative(path, self.reader.root)

    def origin(self, path: str, line: int) -> str:
        return f"{self.rel(path)}:{line}"

    def text(self, path: str) -> str | None:
        """The file's text (recorded as read), or None (recorded as a problem if it exists)."""
        text, why = self.reader.read(path)
        if text is None:
            if why:
                self.problems.append(f"{self.rel(path)}:0: not read: {why}")
            return None
        self.files.append(self.rel(path))
        return text

    def problem(self, path: str, line: int, message: str) -> None:
        self.problems.append(f"{self.rel(path)}:{line}: {message}")
