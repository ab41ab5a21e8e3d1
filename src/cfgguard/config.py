"""Project configuration: ``[tool.cfgguard]`` in pyproject.toml, or ``.cfgguard.toml``.

Found by walking up from each checked file (the closest wins; in one directory
``.cfgguard.toml`` wins over ``pyproject.toml``); ``--config PATH`` overrides discovery.
Keys are kebab-case, as in ruff. Unknown keys and bad values are a ``ConfigError`` whose
message starts with ``path:line:``.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from typing import Any, cast

from cfgguard.findings import Severity
from cfgguard.records import dataclass, field

DIALECTS = ("axolotl", "llamafactory", "trl", "torchtune", "verl", "plain")
SEVERITIES = ("info", "warning", "error")
KEYS = {
    "select": "list of codes or prefixes",
    "extend-select": "list of codes or prefixes",
    "ignore": "list of codes",
    "per-file-ignores": "table: glob -> list of codes",
    "fail-on": "info | warning | error",
    "exclude": "list of globs",
    "dialect": "table: glob -> dialect",
    "severity": "table: code -> info | warning | error",
    "models": "table: model id -> {family, size, hidden_size}",
    "gpu-memory": "integer (GB)",
    "devices": "integer",
    "dataset-size": "integer (examples)",
}
MODEL_KEYS = {"family", "size", "hidden_size", "layers", "tied_embeddings", "context"}


def toml_module() -> Any:
    """tomllib (3.11+) or tomli, imported only when a config file is read."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


class ConfigError(Exception):
    pass


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

    def relative(self, path: str) -> str:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(self.root))
        return rel.replace(os.sep, "/")

    def matches(self, globs: tuple[str, ...] | list[str], path: str) -> bool:
        rel = self.relative(path)
        name = os.path.basename(path)
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs)

    def ignores_for(self, path: str) -> frozenset[str]:
        extra = [codes for glob, codes in self.per_file_ignores if self.matches([glob], path)]
        return self.ignore.union(*extra)

    def dialect_for(self, path: str) -> str | None:
        for glob, dialect in self.dialects:
            if self.matches([glob], path):
                return dialect
        return None


def _line_of(text: str, key: str) -> int:
    """The 1-based line where ``key`` is assigned (first match), else 1."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}:{_line_of(self.text, key)}: {message}")

    def strings(self, key: str, value: Any, what: str) -> list[str]:
        items = cast("list[object]", value) if isinstance(value, list) else None
        if items is None or not all(isinstance(v, str) for v in items):
            raise self.fail(key, f"'{key}' must be a list of {what}")
        return [str(v) for v in items]

    def codes(self, key: str, value: Any) -> frozenset[str]:
        return frozenset(v.strip().upper() for v in self.strings(key, value, "rule codes"))

    def integer(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(key, f"'{key}' must be a positive integer")
        return value

    def table(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"'{key}' must be a table")
        return dict(value)  # pyright: ignore[reportUnknownArgumentType]


def parse(path: str, text: str, settings: dict[str, Any]) -> Config:
    """Validate one ``[tool.cfgguard]`` table (or a whole ``.cfgguard.toml``)."""
    r = _Reader(path, text)
    for key in settings:
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise r.fail(key, f"unknown cfgguard setting '{key}'{hint}")
    out: dict[str, Any] = {"path": path, "root": os.path.dirname(os.path.abspath(path))}
    if "select" in settings:
        out["select"] = r.codes("select", settings["select"])
    if "extend-select" in settings:
        out["extend_select"] = r.codes("extend-select", settings["extend-select"])
    if "ignore" in settings:
        out["ignore"] = r.codes("ignore", settings["ignore"])
    if "per-file-ignores" in settings:
        table = r.table("per-file-ignores", settings["per-file-ignores"])
        out["per_file_ignores"] = tuple((g, r.codes(g, c)) for g, c in table.items())
    if "fail-on" in settings:
        if settings["fail-on"] not in SEVERITIES:
            raise r.fail("fail-on", "'fail-on' must be one of info, warning, error")
        out["fail_on"] = settings["fail-on"]
    if "exclude" in settings:
        out["exclude"] = tuple(r.strings("exclude", settings["exclude"], "globs"))
    if "dialect" in settings:
        dialects: list[tuple[str, str]] = []
        for glob, name in r.table("dialect", settings["dialect"]).items():
            if name not in DIALECTS:
                raise r.fail(glob, f"unknown dialect '{name}' (one of {', '.join(DIALECTS)})")
            dialects.append((glob, str(name)))
        out["dialects"] = tuple(dialects)
    if "severity" in settings:
        severity: dict[str, Severity] = {}
        for code, level in r.table("severity", settings["severity"]).items():
            if level not in SEVERITIES:
                raise r.fail(code, f"severity of {code} must be one of info, warning, error")
            severity[code.upper()] = Severity.parse(str(level))
        out["severity"] = severity
    if "models" in settings:
        out["models"] = tuple(
            _model(r, mid, spec) for mid, spec in r.table("models", settings["models"]).items()
        )
    for key, attr in (("gpu-memory", "gpu_memory"), ("devices", "devices")):
        if key in settings:
            out[attr] = r.integer(key, settings[key])
    if "dataset-size" in settings:
        out["dataset_size"] = r.integer("dataset-size", settings["dataset-size"])
    return Config(**out)


def _model(r: _Reader, model_id: str, spec: Any) -> DeclaredModel:
    from cfgguard.knowledge.models import SIZE_CLASSES, module_families

    table = r.table(model_id, spec)
    unknown = set(table) - MODEL_KEYS
    if unknown:
        raise r.fail(model_id, f"model '{model_id}': unknown key '{sorted(unknown)[0]}'")
    for needed in ("family", "size", "hidden_size"):
        if needed not in table:
            raise r.fail(model_id, f"model '{model_id}' needs '{needed}'")
    family = str(table["family"])
    if family not in module_families():
        names = ", ".join(sorted(module_families()))
        raise r.fail(model_id, f"model '{model_id}': unknown family '{family}' (one of {names})")
    if table["size"] not in SIZE_CLASSES:
        raise r.fail(model_id, f"model '{model_id}': size must be one of {', '.join(SIZE_CLASSES)}")
    ints = {k: table.get(k, 0) for k in ("hidden_size", "layers", "context")}
    for key, value in ints.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise r.fail(model_id, f"model '{model_id}': {key} must be an integer")
    return DeclaredModel(
        model_id,
        family,
        str(table["size"]),
        int(ints["hidden_size"]),
        int(ints["layers"]),
        bool(table.get("tied_embeddings", False)),
        int(ints["context"]),
    )


def load(path: str) -> Config | None:
    """The cfgguard settings in one file (None for a pyproject without the table)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    if os.path.basename(path) == "pyproject.toml" and b"cfgguard" not in raw:
        return None  # no settings for us: skip parsing (importing tomllib is 5 ms a run)
    text = raw.decode("utf-8", errors="replace")
    tomllib = toml_module()
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
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
    """Closest configuration for each file, cached per directory."""

    def __init__(self, override: str | None = None) -> None:
        self.override = load(override) if override else None
        if override and self.override is None:
            raise ConfigError(f"{override}: no [tool.cfgguard] table")
        self._by_dir: dict[str, Config] = {}

    def for_file(self, path: str) -> Config:
        if self.override is not None:
            return self.override
        if path == "-":
            return self._find(os.getcwd())
        return self._find(os.path.dirname(os.path.abspath(path)))

    def _find(self, directory: str) -> Config:
        if directory in self._by_dir:
            return self._by_dir[directory]
        found: Config | None = None
        for name in (".cfgguard.toml", "pyproject.toml"):
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                found = load(candidate)
                if found is not None:
                    break
        if found is None:
            parent = os.path.dirname(directory)
            found = Config() if parent == directory else self._find(parent)
        self._by_dir[directory] = found
        return found
