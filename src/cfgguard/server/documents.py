"""The open documents and what a check of each version found.

A version is checked the way ``cfgguard check`` checks the same text at the same path:
the closest project configuration (``Finder``), the options it gives (``options_from``:
target versions and the repository's own argument classes included), ``decode`` then
``check_source``. The last version that parsed is kept, so hover and completion still
know the dialect and its keys while the text being typed does not parse.
"""

from __future__ import annotations

import os
import re

from cfgguard.check import Analysis, Options, analyse, check_source
from cfgguard.cli.options import options_from
from cfgguard.config import ConfigError, Finder
from cfgguard.findings import Finding
from cfgguard.fix.engine import Outcome
from cfgguard.keyspaces import DocumentKeys, document_keys
from cfgguard.records import dataclass, field
from cfgguard.server.positions import UTF16, Lines
from cfgguard.source import Source, SourceError, decode
from cfgguard.yaml.nodes import Mapping

_AT = re.compile(r"^(?P<line>\d+):(?P<column>\d+): ")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a version could not be checked (its bytes, or the project configuration)."""

    message: str
    line: int = 1  # 1-based, in cfgguard's text
    column: int = 1


@dataclass
class Checked:
    """One version of a document, checked."""

    path: str
    lines: Lines
    source: Source | None = None
    options: Options | None = None
    findings: list[Finding] = field(default_factory=lambda: list[Finding]())
    problem: Problem | None = None
    excluded: bool = False  # the configuration's ``exclude`` matches: not checked
    fixed_all: Outcome | None = None  # ``fix_source``'s result, once an action asked
    _analyses: list[Analysis] | None = None
    _parsed: bool | None = None
    _keys: dict[int, DocumentKeys | None] = field(
        default_factory=lambda: dict[int, DocumentKeys | None]()
    )

    @property
    def text(self) -> str:
        return self.lines.text

    def analyses(self) -> list[Analysis]:
        """What ``analyse`` understood of each document (none when it does not parse)."""
        if self._analyses is None:
            found: list[Analysis] = []
            if self.source is not None and self.options is not None:
                problems, found = analyse(self.source, self.options)
                self._parsed = not any(p.kind == "syntax" for p in problems)
            else:
                self._parsed = False
            self._analyses = found
        return self._analyses

    @property
    def parsed(self) -> bool:
        self.analyses()
        return bool(self._parsed)

    def analysis_at(self, offset: int) -> Analysis | None:
        """The analysis of the YAML document holding a source offset (the last one that
        starts at or before it)."""
        found = None
        for analysis in self.analyses():
            if analysis.document.start.index <= offset:
                found = analysis
        return found

    def keys(self, analysis: Analysis) -> DocumentKeys | None:
        """The key space of one analysed document (what ``K001``/``K002`` read)."""
        number = analysis.document.number
        if number not in self._keys:
            detection, root, config = analysis.detection, analysis.document.root, analysis.config
            reading = detection.dialect.keys if detection is not None else None
            found = None
            if (
                reading is not None
                and isinstance(root, Mapping)
                and config is not None
                and self.options is not None
            ):
                found = document_keys(reading, root, config, self.options.project(self.path))
            self._keys[number] = found
        return self._keys[number]


class Project:
    """The project configurations, found as ``cfgguard check`` finds them."""

    def __init__(self) -> None:
        self.finder = Finder()

    def reload(self) -> None:
        """Read the configurations again (one may have been saved)."""
        self.finder = Finder()

    def check(self, path: str, text: str, encoding: str = UTF16) -> Checked:
        lines = Lines(text, encoding)
        checked = Checked(path, lines)
        try:
            cfg = self.finder.for_file(path)
        except ConfigError as exc:
            checked.problem = Problem(f"cfgguard configuration: {'; '.join(exc.messages)}")
            return checked
        if cfg.exclude and cfg.matches(cfg.exclude, path):
            checked.excluded = True
            return checked
        try:
            # a lone surrogate (from a JSON escape) is bytes that are not UTF-8
            source = decode(text.encode("utf-8", "surrogatepass"), path)
        except SourceError as exc:
            checked.problem = _problem(str(exc), path)
            return checked
        checked.source = source
        checked.options = options_from(cfg, path)
        checked.findings = check_source(source, checked.options)
        return checked


def _problem(message: str, path: str) -> Problem:
    """A ``SourceError`` message, its ``path:line:column:`` prefix read as a position."""
    rest = message.removeprefix(f"{path}:").lstrip()
    found = _AT.match(rest)
    if found is None:
        return Problem(rest)
    return Problem(rest[found.end() :], int(found["line"]), int(found["column"]))


@dataclass
class Document:
    """One open document: its path, the editor's current text and what was checked."""

    uri: str
    path: str
    text: str
    version: int | None = None
    checked: Checked | None = None  # of ``text``, once checked
    last_parsed: Checked | None = None  # the newest checked version that parsed

    def update(self, text: str, version: int | None) -> None:
        self.text, self.version = text, version
        if self.checked is not None and self.checked.text != text:
            self.checked = None

    def current(self, project: Project, encoding: str = UTF16) -> Checked:
        """The check of the current text (made now when the debounce has not run yet)."""
        checked = self.checked
        if checked is None or checked.text != self.text or checked.lines.encoding != encoding:
            checked = self.checked = project.check(self.path, self.text, encoding)
        # no Y001 among the findings: it parsed (``parsed`` confirms it when it is read)
        if checked.source is not None and not any(f.code == "Y001" for f in checked.findings):
            self.last_parsed = checked
        return checked

    def parsed(self, project: Project, encoding: str = UTF16) -> Checked | None:
        """The current check if its text parses, else the newest one that did."""
        checked = self.current(project, encoding)
        if checked.parsed:
            return checked
        last = self.last_parsed
        return last if last is not None and last.parsed else None


def path_for(uri: str, fs_path: str | None, root: str | None) -> str:
    """The file path a document is checked as: its own for a ``file:`` URI; else (an
    unsaved buffer) its name under the workspace root, so the project's configuration
    still applies."""
    if fs_path:
        return fs_path
    name = uri.rstrip("/").rpartition("/")[2].rpartition(":")[2] or "untitled.yaml"
    return os.path.join(root or os.getcwd(), name)
