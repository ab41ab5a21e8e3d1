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
from typing import Any, cast

from cfgguard import globs
from cfgguard.findings import Severity
from cfgguard.records import dataclass, field

DIALECTS = ("axolotl", "llamafactory", "trl", "torchtune", "verl", "plain")
SEVERITIES = ("info", "warning", "error")
FAIL_ON = (*SEVERITIES, "none")  # none: findings never fail the run
MODEL_KEYS = {"family", "size", "hidden_size", "layers", "tied_embeddings", "context"}
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
class DeclaredModel:
    id: str
    family: str
    size: str
    hidden_size: int
    layers: int = 0
    tied_embeddings: bool = False
    context: int = 0


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


# --- rule codes ----------------------------------------------------------------------------


def known_codes() -> tuple[str, ...]:
    from cfgguard.rules import RULES_BY_CODE

    return tuple(RULES_BY_CODE)


def expand_codes(words: list[str], *, prefixes: bool) -> tuple[frozenset[str], list[str]]:
    """(codes, unknown words): ``ALL`` is every code; a prefix is every code it starts.

    With ``prefixes=False`` a prefix is kept as written (``select`` matches by prefix).
    """
    known = known_codes()
    out: set[str] = set()
    unknown: list[str] = []
    for word in (w.strip().upper() for w in words):
        if not word:
            continue
        if word == "ALL":
            out.update(known)
            continue
        matched = [c for c in known if c.startswith(word)]
        if not matched:
            unknown.append(word)
        elif prefixes:
            out.update(matched)
        else:
            out.add(word)
    return frozenset(out), unknown


# --- reading -------------------------------------------------------------------------------


def _line_of(text: str, key: str) -> int:
    """The 1-based line where ``key`` is assigned (first match), else 1."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


class Invalid(Exception):
    """A bad value: the message, and the key whose line it is reported at."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.message, self.key = message, key


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.path}:{_line_of(self.text, key)}: {message}")


def _strings(key: str, value: Any, what: str) -> list[str]:
    items = cast("list[object]", value) if isinstance(value, list) else None
    if items is None or not all(isinstance(v, str) for v in items):
        raise Invalid(f"'{key}' must be a list of {what}")
    return [str(v) for v in items]


def _codes(key: str, value: Any, *, prefixes: bool = True) -> frozenset[str]:
    found, unknown = expand_codes(_strings(key, value, "rule codes"), prefixes=prefixes)
    if unknown:
        raise Invalid(f"'{key}': unknown rule code '{unknown[0]}' (see `cfgguard rules`)")
    return found


def _table(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"'{key}' must be a table")
    return dict(value)  # pyright: ignore[reportUnknownArgumentType]


def _positive(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise Invalid(f"'{key}' must be a positive integer")
    return value


def _selection(key: str, value: Any) -> frozenset[str]:
    return _codes(key, value, prefixes=False)


def _per_file_ignores(key: str, value: Any) -> tuple[tuple[str, frozenset[str]], ...]:
    out: list[tuple[str, frozenset[str]]] = []
    for glob, codes in _table(key, value).items():
        try:
            out.append((glob, _codes(glob, codes)))
        except Invalid as exc:
            raise Invalid(exc.message, glob) from None
    return tuple(out)


def _fail_on(key: str, value: Any) -> str:
    if value not in FAIL_ON:
        raise Invalid(f"'{key}' must be one of {', '.join(FAIL_ON)}")
    return str(value)


def _exclude(key: str, value: Any) -> tuple[str, ...]:
    return tuple(_strings(key, value, "globs"))


def _dialects(key: str, value: Any) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for glob, name in _table(key, value).items():
        if name not in DIALECTS:
            raise Invalid(f"unknown dialect '{name}' (one of {', '.join(DIALECTS)})", glob)
        out.append((glob, str(name)))
    return tuple(out)


def _severity(key: str, value: Any) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    known = known_codes()
    for code, level in _table(key, value).items():
        if code.upper() not in known:
            raise Invalid(f"'{key}': unknown rule code '{code}' (see `cfgguard rules`)", code)
        if level not in SEVERITIES:
            raise Invalid(f"severity of {code} must be one of {', '.join(SEVERITIES)}", code)
        out[code.upper()] = Severity.parse(str(level))
    return out


def _models(key: str, value: Any) -> tuple[DeclaredModel, ...]:
    return tuple(_model(model_id, spec) for model_id, spec in _table(key, value).items())


def _model(model_id: str, spec: Any) -> DeclaredModel:
    from cfgguard.knowledge.models import SIZE_CLASSES, module_families

    def bad(message: str) -> Invalid:
        return Invalid(f"model '{model_id}': {message}", model_id)

    if not isinstance(spec, dict):
        raise bad("must be a table")
    table = cast(dict[str, Any], spec)
    unknown = set(table) - MODEL_KEYS
    if unknown:
        raise bad(f"unknown key '{sorted(unknown)[0]}'")
    for needed in ("family", "size", "hidden_size"):
        if needed not in table:
            raise Invalid(f"model '{model_id}' needs '{needed}'", model_id)
    family = table["family"]
    if family not in module_families():
        names = ", ".join(sorted(module_families()))
        raise bad(f"unknown family '{family}' (one of {names})")
    if table["size"] not in SIZE_CLASSES:
        raise bad(f"size must be one of {', '.join(SIZE_CLASSES)}")
    ints = {k: table.get(k, 0) for k in ("hidden_size", "layers", "context")}
    for name, number in ints.items():
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise bad(f"{name} must be a non-negative integer")
    if ints["hidden_size"] == 0:  # rules divide by it (R004)
        raise bad("hidden_size must be a positive integer")
    tied = table.get("tied_embeddings", False)
    if not isinstance(tied, bool):
        raise bad("tied_embeddings must be true or false")
    return DeclaredModel(
        model_id,
        str(family),
        str(table["size"]),
        int(ints["hidden_size"]),
        int(ints["layers"]),
        tied,
        int(ints["context"]),
    )


@dataclass(frozen=True)
class Key:
    attr: str  # the Config field
    doc: str  # the published schema's description
    parse: Callable[[str, Any], object]


KEYS: dict[str, Key] = {
    "select": Key("select", "list of codes or prefixes, or ALL", _selection),
    "extend-select": Key("extend_select", "list of codes or prefixes", _selection),
    "ignore": Key("ignore", "list of codes or prefixes", _codes),
    "per-file-ignores": Key("per_file_ignores", "table: glob -> list of codes", _per_file_ignores),
    "fail-on": Key("fail_on", "info | warning | error | none", _fail_on),
    "exclude": Key("exclude", "list of globs", _exclude),
    "dialect": Key("dialects", "table: glob -> dialect", _dialects),
    "severity": Key("severity", "table: code -> info | warning | error", _severity),
    "models": Key("models", "table: model id -> {family, size, hidden_size}", _models),
    "gpu-memory": Key("gpu_memory", "integer (GB)", _positive),
    "devices": Key("devices", "integer", _positive),
    "dataset-size": Key("dataset_size", "integer (examples)", _positive),
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
