"""Project configuration: ``[tool.cfgguard]`` in pyproject.toml, or ``.cfgguard.toml``.

Found by walking up from each checked file (the closest wins; in one directory
``.cfgguard.toml`` wins over ``pyproject.toml``); ``--config PATH`` overrides discovery.
Keys are kebab-case, as in ruff; each has one parser in ``KEYS`` (add a key there).
Unknown keys and bad values are a ``ConfigError`` listing every problem of the file, each
``path:line: message``; a file is read (and its problems reported) once per run. Only
regular files up to ``MAX_BYTES`` are read.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable
from typing import Any

from cfgguard import config_values as values
from cfgguard import globs
from cfgguard.config_values import (
    DIALECTS,
    FAIL_ON,
    SEVERITIES,
    DeclaredModel,
    Invalid,
    expand_codes,
)
from cfgguard.findings import Severity
from cfgguard.records import dataclass, field

MAX_BYTES = 1 << 20  # 1 MiB: a pyproject.toml is a few KB


def toml_module() -> Any:
    """tomllib (3.11+) or tomli, imported only when a config file is read."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


class ConfigError(Exception):
    """One or more problems of a configuration (or a ``--config`` path), one line each."""

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages: tuple[str, ...] = messages

    def __str__(self) -> str:
        return "; ".join(self.messages)


@dataclass(frozen=True)
class Config:
    path: str | None = None
    root: str = "."
    select: frozenset[str] | None = None
    extend_select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    fail_on: str | None = None
    exclude: tuple[str, ...] = ()
    dialects: tuple[tuple[str, str], ...] = ()
    severity: dict[str, Severity] = field(default_factory=lambda: dict[str, Severity]())
    models: tuple[DeclaredModel, ...] = ()
    gpu_memory: int | None = None
    devices: int | None = None
    dataset_size: int | None = None

    def matches(self, patterns: tuple[str, ...] | list[str], path: str) -> bool:
        return globs.matches(patterns, path, self.root)

    def ignores_for(self, path: str) -> frozenset[str]:
        extra = [codes for glob, codes in self.per_file_ignores if self.matches([glob], path)]
        return self.ignore.union(*extra)

    def dialect_for(self, path: str) -> str | None:
        for glob, dialect in self.dialects:
            if self.matches([glob], path):
                return dialect
        return None


# --- reading -------------------------------------------------------------------------------


def _line_of(text: str, key: str) -> int:
    """The 1-based line where ``key`` is assigned (first match), else 1."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.path}:{_line_of(self.text, key)}: {message}")


@dataclass(frozen=True)
class Key:
    attr: str  # the Config field
    doc: str  # the published schema's description
    parse: Callable[[str, Any], object]


KEYS: dict[str, Key] = {
    "select": Key("select", "list of codes or prefixes, or ALL", values.selection),
    "extend-select": Key("extend_select", "list of codes or prefixes", values.selection),
    "ignore": Key("ignore", "list of codes or prefixes", values.codes),
    "per-file-ignores": Key(
        "per_file_ignores", "table: glob -> list of codes", values.per_file_ignores
    ),
    "fail-on": Key("fail_on", "info | warning | error | none", values.fail_on),
    "exclude": Key("exclude", "list of globs", values.exclude),
    "dialect": Key("dialects", "table: glob -> dialect", values.dialects),
    "severity": Key("severity", "table: code -> info | warning | error", values.severity),
    "models": Key("models", "table: model id -> {family, size, hidden_size}", values.models),
    "gpu-memory": Key("gpu_memory", "integer (GB)", values.positive),
    "devices": Key("devices", "integer", values.positive),
    "dataset-size": Key("dataset_size", "integer (examples)", values.positive),
}


def parse(path: str, text: str, settings: dict[str, Any]) -> Config:
    """Validate one ``[tool.cfgguard]`` table (or a whole ``.cfgguard.toml``)."""
    r = _Reader(path, text)
    out: dict[str, Any] = {"path": path, "root": os.path.dirname(os.path.abspath(path))}
    for key, value in settings.items():
        spec = KEYS.get(key)
        if spec is None:
            import difflib

            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            r.problem(key, f"unknown cfgguard setting '{key}'{hint}")
            continue
        try:
            out[spec.attr] = spec.parse(key, value)
        except Invalid as exc:
            r.problem(exc.key or key, exc.message)
    if r.problems:
        raise ConfigError(*r.problems)
    return Config(**out)


def read_bounded(path: str) -> bytes:
    """A regular file's bytes, at most ``MAX_BYTES`` (a FIFO or device is refused)."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ConfigError(f"{path}: not a regular file")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_BYTES >> 20} MiB; not a cfgguard config")
    return data


def load(path: str) -> Config | None:
    """The cfgguard settings in one file (None for a pyproject without the table)."""
    raw = read_bounded(path)
    if os.path.basename(path) == "pyproject.toml" and b"cfgguard" not in raw:
        return None  # no settings for us: skip parsing (importing tomllib is 5 ms a run)
    text = raw.decode("utf-8", errors="replace")
    tomllib = toml_module()
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
    tool = data.get("tool")
    if isinstance(tool, dict) and "cfgguard" in tool:
        data = tool["cfgguard"]  # pyright: ignore[reportUnknownVariableType]
        if not isinstance(data, dict):
            raise ConfigError(
                f"{path}:{_line_of(text, 'cfgguard')}: [tool.cfgguard] must be a table"
            )
    elif os.path.basename(path) == "pyproject.toml" or tool is not None:
        return None  # a pyproject (or any file with [tool]) without cfgguard settings
    return parse(path, text, dict(data))  # pyright: ignore[reportUnknownArgumentType]


class Finder:
    """Closest configuration for each file, cached per directory (errors too)."""

    def __init__(self, override: str | None = None) -> None:
        self.override = load(override) if override else None
        if override and self.override is None:
            raise ConfigError(f"{override}: no [tool.cfgguard] table")
        self._by_dir: dict[str, Config | ConfigError] = {}

    def for_file(self, path: str) -> Config:
        """The config for ``path``; a broken one raises the same ``ConfigError`` each time
        (read and parsed once: the caller reports each message once)."""
        if self.override is not None:
            return self.override
        found = self._find(os.getcwd() if path == "-" else os.path.dirname(os.path.abspath(path)))
        if isinstance(found, ConfigError):
            raise found
        return found

    def _find(self, directory: str) -> Config | ConfigError:
        if directory in self._by_dir:
            return self._by_dir[directory]
        found: Config | ConfigError | None = None
        for name in (".cfgguard.toml", "pyproject.toml"):
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                try:
                    found = load(candidate)
                except ConfigError as exc:
                    found = exc
                if found is not None:
                    break
        if found is None:
            parent = os.path.dirname(directory)
            found = Config() if parent == directory else self._find(parent)
        self._by_dir[directory] = found
        return found


__all__ = [
    "DIALECTS",
    "FAIL_ON",
    "KEYS",
    "SEVERITIES",
    "Config",
    "ConfigError",
    "DeclaredModel",
    "Finder",
    "expand_codes",
    "load",
    "parse",
]
