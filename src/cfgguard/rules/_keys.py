"""What K001 (unknown key) and K002 (key not in the allowed releases) share: the walk
over a document's keys, what its loader does with a key it does not define, and the
words for a release range.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.keyspaces import ALWAYS_KNOWN, DocumentKeys
from cfgguard.knowledge.facts import UnknownKeys, behaviour_at
from cfgguard.knowledge.keyspace import Definition
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence
from cfgguard.yaml.scalars import Profile, resolve

Entry = tuple[str, Scalar, Node, Mapping]


def walk(root: Mapping, keys: DocumentKeys) -> list[Entry]:
    """(dotted path, key, value, parent mapping) of every key the data describes (walked
    once per document: K001 and K002 share it)."""
    if keys.walked is None or keys.walked[0] is not root:
        nested = keys.reading.source.nested
        sections = keys.space.sections() if nested else frozenset[str]()
        keys.walked = (root, list(_walk(root, "", keys, nested, sections)))
    return keys.walked[1]


def _walk(
    mapping: Mapping, prefix: str, keys: DocumentKeys, nested: bool, sections: frozenset[str]
) -> Iterator[tuple[str, Scalar, Node, Mapping]]:
    for key, value in mapping.entries():
        name = key.value
        if name in ALWAYS_KNOWN or name in keys.reading.extra or name.startswith("_"):
            continue
        path = f"{prefix}{name}"
        yield path, key, value, mapping
        if not nested or keys.space.free_form(path) or keys.space.verdict(path).status != "all":
            continue  # a section gone from some release is reported once, as a whole
        if isinstance(value, Mapping) and value.get("_component_") is not None:
            continue  # instantiated: its keys are the component's keyword arguments
        if isinstance(value, Mapping) and path in sections:
            yield from _walk(value, f"{path}.", keys, nested, sections)
        elif isinstance(value, Sequence) and f"{path}[]" in sections:
            for item in value.items:
                if isinstance(item, Mapping):
                    yield from _walk(item, f"{path}[].", keys, nested, sections)


def behaviours(keys: DocumentKeys, path: str = "") -> list[UnknownKeys]:
    """What the loader does with an undefined key at ``path``, per allowed lead release."""
    source = keys.reading.source
    allowed = keys.allowed.get(source.lead)
    if allowed is None:
        return []
    parent = path.rpartition(".")[0]
    dataclass = bool(parent) and f"{parent}._target_" in keys.space.names()
    out: list[UnknownKeys] = []
    for index in allowed.indexes:
        fact = behaviour_at(keys.loader, source.lead, index, parent, dataclass)
        if fact is not None and fact not in out:
            out.append(fact)
    return out


def refusal(keys: DocumentKeys, path: str = "") -> tuple[Severity, str, str | None]:
    """(severity, what the loader does, source) for a key it does not define."""
    loader = keys.loader
    if not keys.reading.source.lead:
        return Severity.WARNING, f"it is not a key of {loader}", None
    found = behaviours(keys, path)
    kinds = {f.behaviour for f in found}
    source = found[0].source if found else None
    if kinds == {"refused"}:
        return Severity.ERROR, f"{loader} refuses it", source
    if not kinds:
        return Severity.ERROR, f"{loader} does not read it", source
    if "refused" in kinds:
        words = f"{loader} refuses it or, in some allowed releases, ignores it"
        return Severity.ERROR, words, source
    return Severity.ERROR, f"{loader} ignores it silently, so the default applies", source


def refuses_everywhere(keys: DocumentKeys, path: str = "") -> bool:
    found = behaviours(keys, path)
    return bool(found) and all(f.behaviour == "refused" for f in found)


def changes_nothing(value: Node, definition: Definition | None, profile: Profile) -> bool:
    """A null value, an empty list or mapping (``fsdp: []``: every loader tests these for
    truth), or the framework's own default: the loader ends up where it started."""
    if isinstance(value, Sequence):
        return not value.items and _empty_default(definition)
    if isinstance(value, Mapping):
        return not value.pairs and _empty_default(definition)
    loaded = resolve(value, profile)
    if loaded is None:
        return True
    if definition is None:
        return False
    default = str(definition.run.attrs.get("default", ""))
    return bool(default) and _same_value(loaded, default)


def _empty_default(definition: Definition | None) -> bool:
    """Whether an empty collection is what the key holds when it is not set."""
    if definition is None:
        return True  # an unknown key: dropping an empty value changes nothing
    default = str(definition.run.attrs.get("default", "")).strip()
    return default in ("None", "null", "[]", "{}", "list()", "dict()")


def _same_value(loaded: object, default: str) -> bool:
    text = default.strip()
    if text in ("None", "null"):
        return loaded is None
    if text in ("True", "False", "true", "false"):
        return isinstance(loaded, bool) and loaded == (text.lower() == "true")
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return loaded == text[1:-1]
    try:
        number = float(text)
    except ValueError:
        return False
    return not isinstance(loaded, bool) and isinstance(loaded, int | float) and loaded == number


def release(keys: DocumentKeys, package: str, index: int) -> str:
    pkg = keys.package(package)
    return f"{package} {pkg.releases[index]}" if pkg else package


def allowed_words(keys: DocumentKeys, package: str) -> str:
    """ "your `trl>=0.19.1` (requirements.txt:3)" or the newest release assumed."""
    allowed = keys.allowed[package]
    pkg = keys.package(package)
    if allowed.assumed and pkg is not None:
        return f"{package} {pkg.releases[allowed.indexes[-1]]} (assumed: {allowed.origin})"
    return f"your `{allowed.spec}` ({allowed.origin})"


def upper_pin(version: str) -> str:
    """``0.27.0`` -> ``<0.27``; ``0.19.1`` -> ``<0.19.1``."""
    parts = version.split(".")
    if len(parts) >= 3 and parts[2] == "0":
        return "<" + ".".join(parts[:2])
    return "<" + version
