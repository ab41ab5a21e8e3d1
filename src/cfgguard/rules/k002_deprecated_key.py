"""Key missing from, or deprecated in, the releases the repository allows.

## What it does
Reports a key that the framework's loader defines in some releases but not in all the
releases this repository allows (its pins: `requirements*.txt`, `pyproject.toml`,
`setup.py`, `setup.cfg`, `environment.yml`, lock files, a vendored copy; or
`target-versions` in `[tool.cfgguard]`, or `--target-version`), and a key the framework
marks as deprecated there. It names the release that removed, renamed or added the key,
the pin that allows the breaking release, and the key to use instead when that key
exists in every allowed release.

Severity follows the allowed releases:
- gone (or not yet there) in every allowed release: `error` (the loader refuses it, or
  drops it so the default applies); `info` when it changes nothing (no value, or the
  framework's default) and the loader only drops it;
- gone in some allowed releases: `warning`, naming the release where it breaks and the
  pin that allows it ("breaks from trl 0.27.0, which your `trl>=0.19.1` allows");
- present in every allowed release but announced as deprecated: `info`.

With no pin at all, the newest release in cfgguard's data is assumed and the message
says so. Which releases exist, and what each defines, comes from the released code of
every release (`python -m cfgguard.knowledge.build`); the keys a release's loader reads
include the repository's own argument classes (see K001).

## Why is this bad?
A removed key either stops the run at startup (after the queue wait) or is dropped
silently, so the run uses the default the author meant to change: a recipe's
`max_prompt_length` under TRL 0.29 is refused by `TrlParser`. A key that only some
allowed releases accept works on today's install and breaks on the next one.

## Example
Checked as: `cfgguard check --dialect trl`.
```yaml
# with no pin: the newest TRL is assumed
model_name_or_path: Qwen/Qwen2.5-7B
torch_dtype: bfloat16     # ModelConfig renamed it to dtype
warmup_steps: 100
```
Use instead:
```yaml
model_name_or_path: Qwen/Qwen2.5-7B
dtype: bfloat16
warmup_steps: 100
```

## Fix
Renames the key to its replacement when the replacement exists in every allowed
release: safe when the framework maps the old name onto the new field (an alias, or a
deprecation that copies the value across, with the same type), unsafe otherwise (the
new key may take its value in another shape). No fix when a replacement is missing from
some allowed release: pin the framework instead.

## Source
The frameworks' released code: `knowledge/data/releases/<package>.json` (each key with
the release, file and line that define it); `knowledge/data/loader_facts.json` for
what each loader does with a key it does not define.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.edits.build import fix, quote_like, replace
from cfgguard.findings import Fix, Severity
from cfgguard.keyspaces import DocumentKeys
from cfgguard.knowledge.keyspace import Definition, Verdict
from cfgguard.rules._keys import (
    allowed_words,
    changes_nothing,
    refusal,
    refuses_everywhere,
    release,
    upper_pin,
    walk,
)
from cfgguard.rules.base import Context, Report, Rule
from cfgguard.yaml.nodes import Mapping, Node, Scalar
from cfgguard.yaml.scalars import resolve

SOURCE = "The frameworks' released code (knowledge/data/releases)"
RAISES = "raises: "  # a deprecation whose validator stops the run (axolotl)


def check(ctx: Context) -> Iterator[Report]:
    keys = ctx.keys()
    if keys is None:
        return
    for path, key, value, mapping in walk(ctx.reader.root, keys):
        verdict = keys.space.verdict(path)
        if verdict.status == "none" and verdict.elsewhere:
            yield _gone(ctx, keys, verdict, key, value, mapping)
        elif verdict.status == "some":
            yield _partial(ctx, keys, verdict, key, value, mapping)
        elif verdict.status == "all":
            found = _deprecated(verdict)
            if found is not None and not _unset(ctx, value):
                yield _announced(keys, verdict, found, key, mapping)


def _gone(
    ctx: Context, keys: DocumentKeys, v: Verdict, key: Scalar, value: Node, mapping: Mapping
) -> Report:
    newest = max(v.elsewhere, key=lambda d: d.run.last)
    change, words, cited = _change(keys, v)
    severity, effect, fact = refusal(keys, v.key)
    text = f"'{v.key}' {change}; with {words}, {effect}"
    if changes_nothing(value, newest, ctx.reader.profile) and not refuses_everywhere(keys, v.key):
        severity = Severity.INFO
        text = f"'{v.key}' {change}; it holds no value or the default, so it changes nothing"
    elif not keys.complete and keys.reading.complete:  # the parser reads classes we cannot see
        severity = min(severity, Severity.WARNING)
        text += ", unless a class cfgguard cannot see defines it"
    elif _guessed(v):  # the package that dropped it is pinned to a commit: release unknown
        severity = min(severity, Severity.WARNING)
    advice, rename = _replacement(keys, v, key, mapping)
    return Report(key, text + advice, source=cited or fact, severity=severity, fix=rename)


def _guessed(v: Verdict) -> bool:
    """Whether a package that defines the key elsewhere has no readable version."""
    owners = {d.package for d in v.elsewhere}
    return any(p.allowed.guessed for p in v.parts if p.part.package.name in owners)


def _change(keys: DocumentKeys, v: Verdict) -> tuple[str, str, str | None]:
    """('was removed in trl 0.29.0 (...)', the allowed releases in words, citation)."""
    for presence in v.parts:
        allowed = presence.allowed
        lo, hi = allowed.indexes[0], allowed.indexes[-1]
        every = range(len(presence.part.package.releases))
        present = presence.part.presence(v.key, every)
        if not present:
            continue
        name = presence.part.package.name
        before = [i for i in present if i < lo]
        after = [i for i in present if i > hi]
        words = allowed_words(keys, name)
        if before:
            last = max(before)
            gone = min(i for i in every if i > last and i not in present)
            cite = present[last].cite(last)
            within = present[last].within
            if within:  # below a mapping that once took any key
                said = f"'{within}' took any key until {release(keys, name, last)} ({cite})"
                return f"is not read from {release(keys, name, gone)} on: {said}", words, cite
            return f"was removed in {release(keys, name, gone)} (last in {cite})", words, cite
        if after:
            first = min(after)
            cite = present[first].cite(first)
            return f"exists only from {release(keys, name, first)} on ({cite})", words, cite
    return "is not defined by the allowed releases", "them", None


def _partial(
    ctx: Context, keys: DocumentKeys, v: Verdict, key: Scalar, value: Node, mapping: Mapping
) -> Report:
    text = f"'{v.key}' is not in every release your pins allow"
    cited: str | None = None
    for presence in v.parts:
        if not presence.present:
            continue
        name = presence.part.package.name
        releases = presence.part.package.releases
        absent = presence.absent()
        words = allowed_words(keys, name)
        first_present = min(presence.present)
        cited = presence.present[first_present].cite()
        later = [i for i in absent if i > first_present]
        if later:
            breaks = releases[later[0]]
            text = (
                f"'{v.key}' breaks from {name} {breaks}, which {words} allows:"
                f" pin `{name}{upper_pin(breaks)}`"
            )
        else:
            text = (
                f"'{v.key}' exists only from {name} {releases[first_present]} on, and {words}"
                " allows older releases that do not define it"
            )
        break
    severity = Severity.WARNING
    nothing = changes_nothing(value, v.newest(), ctx.reader.profile)
    if nothing and not refuses_everywhere(keys, v.key):
        severity = Severity.INFO
    advice, rename = _replacement(keys, v, key, mapping)
    return Report(key, text + advice, source=cited, severity=severity, fix=rename)


def _deprecated(v: Verdict) -> Definition | None:
    """The newest allowed definition that carries a deprecation text (kept per verdict:
    verdicts are shared by a repository's documents)."""
    held = _SEEN.get(id(v))
    if held is not None and held[0] is v:
        return held[1]
    found = _find_deprecated(v)
    _SEEN[id(v)] = (v, found)  # holding the verdict keeps its id unique
    return found


# by the verdict's identity: one key has a verdict per key space, and the documents of a
# run alternate between spaces
_SEEN: dict[int, tuple[Verdict, Definition | None]] = {}


def _find_deprecated(v: Verdict) -> Definition | None:
    for presence in v.parts:
        for index in sorted(presence.present, reverse=True):
            definition = presence.present[index]
            if not definition.section and definition.run.attrs.get("deprecated"):
                return definition
    return None


def _unset(ctx: Context, value: Node) -> bool:
    """No value, or ``false``: a validator that refuses the key when set lets it pass."""
    return isinstance(value, Scalar) and resolve(value, ctx.reader.profile) in (None, False)


def _announced(
    keys: DocumentKeys, v: Verdict, found: Definition, key: Scalar, mapping: Mapping
) -> Report:
    said = " ".join(str(found.run.attrs["deprecated"]).split())
    refused = said.startswith(RAISES)
    said = said.removeprefix(RAISES)
    if len(said) > 160:
        said = said[:157] + "..."
    advice, rename = _replacement(keys, v, key, mapping)
    if refused:
        text = f"'{v.key}' is refused by {found.package}'s validation: \"{said}\"{advice}"
        return Report(key, text, source=found.cite(), severity=Severity.ERROR, fix=rename)
    text = f"'{v.key}' is deprecated in {found.package}: \"{said}\"{advice}"
    return Report(key, text, source=found.cite(), severity=Severity.INFO, fix=rename)


def _replacement(
    keys: DocumentKeys, v: Verdict, key: Scalar, mapping: Mapping
) -> tuple[str, Fix | None]:
    """'; use X instead' (with a rename) when X is in every allowed release."""
    candidates: list[tuple[str, bool]] = []
    definitions = [*v.elsewhere, *(d for p in v.parts for d in p.present.values())]
    for definition in definitions:
        if definition.section or definition.within:
            continue
        target = str(definition.run.attrs.get("replacement", ""))
        if target:
            candidates.append((target, False))
        if definition.name and definition.name != v.key:
            candidates.append((definition.name, True))  # an alias of that field
    for target, alias in dict.fromkeys(candidates):
        prefix = v.key.rpartition(".")[0]
        path = f"{prefix}.{target}" if prefix else target
        status = keys.space.verdict(path).status
        if status == "all":
            if mapping.get(target) is not None:
                return f"; use '{target}' instead (already set here)", None
            kind = "safe" if alias or _same_type(keys, v, path) else "unsafe"
            edit = replace(key, quote_like(key, target))
            return f"; use '{target}' instead", fix(kind, f"rename '{v.key}' to '{target}'", edit)
        if status == "some":
            return f"; '{target}' replaces it, but not in every release your pins allow", None
    return "", None


def _same_type(keys: DocumentKeys, v: Verdict, path: str) -> bool:
    old = max(v.elsewhere, key=lambda d: d.run.last) if v.elsewhere else v.newest()
    new = keys.space.verdict(path).newest()
    if old is None or new is None:
        return False
    return old.run.attrs.get("type", "") == new.run.attrs.get("type", "")


RULE = Rule("K002", "deprecated-key", Severity.WARNING, SOURCE, __doc__ or "", check, fixable=True)
