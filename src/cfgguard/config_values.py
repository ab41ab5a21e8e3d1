"""The values of the project configuration's keys: one parser per kind of value.

Each parser takes the key and the TOML value and returns what ``Config`` holds, or raises
``Invalid`` with the message (and the key whose line it belongs to). ``config.KEYS``
says which key uses which parser.
"""

from __future__ import annotations

from typing import Any, cast

from cfgguard.dialects import NAMES
from cfgguard.findings import Severity
from cfgguard.records import dataclass

DIALECTS = NAMES
SEVERITIES = ("info", "warning", "error")
FAIL_ON = (*SEVERITIES, "none")  # none: findings never fail the run
MODEL_KEYS = {"family", "size", "hidden_size", "layers", "tied_embeddings", "context"}


@dataclass(frozen=True)
class DeclaredModel:
    id: str
    family: str
    size: str
    hidden_size: int
    layers: int = 0
    tied_embeddings: bool = False
    context: int = 0


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


class Invalid(Exception):
    """A bad value: the message, and the key whose line it is reported at."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.message, self.key = message, key


def strings(key: str, value: Any, what: str) -> list[str]:
    items = cast("list[object]", value) if isinstance(value, list) else None
    if items is None or not all(isinstance(v, str) for v in items):
        raise Invalid(f"'{key}' must be a list of {what}")
    return [str(v) for v in items]


def codes(key: str, value: Any, *, prefixes: bool = True) -> frozenset[str]:
    found, unknown = expand_codes(strings(key, value, "rule codes"), prefixes=prefixes)
    if unknown:
        raise Invalid(f"'{key}': unknown rule code '{unknown[0]}' (see `cfgguard rules`)")
    return found


def table(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"'{key}' must be a table")
    return dict(value)  # pyright: ignore[reportUnknownArgumentType]


def positive(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise Invalid(f"'{key}' must be a positive integer")
    return value


def selection(key: str, value: Any) -> frozenset[str]:
    return codes(key, value, prefixes=False)


def per_file_ignores(key: str, value: Any) -> tuple[tuple[str, frozenset[str]], ...]:
    out: list[tuple[str, frozenset[str]]] = []
    for glob, names in table(key, value).items():
        try:
            out.append((glob, codes(glob, names)))
        except Invalid as exc:
            raise Invalid(exc.message, glob) from None
    return tuple(out)


def fail_on(key: str, value: Any) -> str:
    if value not in FAIL_ON:
        raise Invalid(f"'{key}' must be one of {', '.join(FAIL_ON)}")
    return str(value)


def exclude(key: str, value: Any) -> tuple[str, ...]:
    return tuple(strings(key, value, "globs"))


def dialects(key: str, value: Any) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for glob, name in table(key, value).items():
        if name not in DIALECTS:
            raise Invalid(f"unknown dialect '{name}' (one of {', '.join(DIALECTS)})", glob)
        out.append((glob, str(name)))
    return tuple(out)


def severity(key: str, value: Any) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    known = known_codes()
    for code, level in table(key, value).items():
        if code.upper() not in known:
            raise Invalid(f"'{key}': unknown rule code '{code}' (see `cfgguard rules`)", code)
        if level not in SEVERITIES:
            raise Invalid(f"severity of {code} must be one of {', '.join(SEVERITIES)}", code)
        out[code.upper()] = Severity.parse(str(level))
    return out


def models(key: str, value: Any) -> tuple[DeclaredModel, ...]:
    return tuple(model(model_id, spec) for model_id, spec in table(key, value).items())


def model(model_id: str, spec: Any) -> DeclaredModel:
    from cfgguard.knowledge.models import SIZE_CLASSES, module_families

    def bad(message: str) -> Invalid:
        return Invalid(f"model '{model_id}': {message}", model_id)

    if not isinstance(spec, dict):
        raise bad("must be a table")
    entries = cast(dict[str, Any], spec)
    unknown = set(entries) - MODEL_KEYS
    if unknown:
        raise bad(f"unknown key '{sorted(unknown)[0]}'")
    for needed in ("family", "size", "hidden_size"):
        if needed not in entries:
            raise Invalid(f"model '{model_id}' needs '{needed}'", model_id)
    family = entries["family"]
    if family not in module_families():
        names = ", ".join(sorted(module_families()))
        raise bad(f"unknown family '{family}' (one of {names})")
    if entries["size"] not in SIZE_CLASSES:
        raise bad(f"size must be one of {', '.join(SIZE_CLASSES)}")
    ints = {k: entries.get(k, 0) for k in ("hidden_size", "layers", "context")}
    for name, number in ints.items():
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise bad(f"{name} must be a non-negative integer")
    if ints["hidden_size"] == 0:  # rules divide by it (R004)
        raise bad("hidden_size must be a positive integer")
    tied = entries.get("tied_embeddings", False)
    if not isinstance(tied, bool):
        raise bad("tied_embeddings must be true or false")
    return DeclaredModel(
        model_id,
        str(family),
        str(entries["size"]),
        int(ints["hidden_size"]),
        int(ints["layers"]),
        tied,
        int(ints["context"]),
    )


def target_versions(key: str, value: Any) -> tuple[tuple[str, str], ...]:
    """``{trl = ">=0.19,<0.20", transformers = "4.53.3"}``: package -> specifier."""
    from cfgguard.targetspec import TargetError, normalise, specifier

    out: list[tuple[str, str]] = []
    for package, text in table(key, value).items():
        if not isinstance(text, str):
            raise Invalid(f"'{key}.{package}' must be a version specifier string", package)
        try:
            out.append((normalise(package), specifier(package, text)))
        except TargetError as exc:
            raise Invalid(str(exc), package) from None
    return tuple(out)
