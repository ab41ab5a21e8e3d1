"""Deprecated, removed or renamed key.

## What it does
Reports a key (or, for a few keys, a value) that the detected framework has deprecated,
removed or renamed, with the replacement and the release that changed it:
`max_seq_length` -> `max_length` (TRL 0.20), `warmup_ratio` (removed in transformers
5.15), axolotl's top-level `rope_scaling` (now under `model_config`), LLaMA-Factory's
`dpo_beta` -> `pref_beta`, verl's `optim.warmup_style` -> `optim.lr_scheduler_type`.

Severity follows what the framework does with the key at the versions cfgguard targets:
`error` where it refuses the config (axolotl's removed keys, every key LLaMA-Factory or
`TrlParser` no longer define, since both refuse unknown keys), `warning` where it
ignores the key (axolotl's `evaluation_strategy`, verl's `data.val_batch_size`), `info`
where the old spelling is still mapped onto the new one. A mapped key that is combined
with its replacement (axolotl `flash_attention: true` with `attn_implementation`) is an
`error`: axolotl refuses the pair.

**Target versions.** Which releases a config is meant for is a cfgguard setting; the
default (`DEFAULT_TARGETS` in this module) is the versions the dialect notes were read
at: transformers 5.24 and TRL 1.9 for TRL / alignment-handbook files; transformers
5.8.0 (the newest LLaMA-Factory allows) for LLaMA-Factory; axolotl 0.18.0 with the
transformers 5.14.1 and TRL 1.8.0 it pins; verl 0.8.0.dev. An entry whose release is
newer than the target does not apply (with transformers 5.8.0, LLaMA-Factory's
`warmup_ratio` is deprecated but mapped: `info`; with 5.24, TRL's is gone: `error`).

A key written with a null value is not reported for axolotl and verl (they read null as
"unset"); LLaMA-Factory and TRL refuse an undefined key whatever its value. Keys that a
current TRL class still defines (`kl_coef` in PPO, `trust_remote_code` moved between
classes) are not reported; `max_completion_length` is, for DPO only. LLaMA-Factory v1
files (no `model_name_or_path`) are not checked. Every key this rule knows is left out of
K001 (unknown key), so each key is reported once.

## Why is this bad?
A removed key either stops the run at startup (after the queue wait) or is dropped
silently, so the run uses the default the author meant to change: a TRL recipe's
`warmup_ratio: 0.1` under transformers 5.15+ fails in `TrlParser`, and under TRL's own
scripts trains with no warmup at all. A deprecated key still works today and breaks on
the next upgrade.

## Example
```yaml
# TRL / alignment-handbook
model_name_or_path: Qwen/Qwen2.5-7B
torch_dtype: bfloat16     # renamed to dtype (alias until TRL 0.26)
max_seq_length: 2048      # renamed to max_length in TRL 0.20
warmup_ratio: 0.1         # removed in transformers 5.15
```
Use instead:
```yaml
dtype: bfloat16
max_length: 2048
warmup_steps: 0.1         # a float below 1 is a ratio
```

## Fix
No autofix yet (planned: rename keys that have a one-to-one replacement).

## Source
Dialect facts: `knowledge/data/deprecations.json`, built from axolotl.md section 6,
llamafactory.md sections 3 and 6, trl.md sections 1, 3, 5 and 7 (the TrainingArguments
drift table and the `REMOVED` rows of trl.keys.tsv) and verl.md section 7; each entry
names its section and the framework's code.
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from cfgguard.findings import Severity
from cfgguard.knowledge.deprecations import Deprecation, applicable, has_entries, lookup
from cfgguard.rules.base import Context, Report, Rule
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence
from cfgguard.yaml.scalars import resolve

SOURCE = "Dialect facts: deprecated and renamed keys (knowledge/data/deprecations.json)"

# The releases a config is assumed to target, per dialect (documented above). A future
# cfgguard setting overrides these.
DEFAULT_TARGETS: dict[str, dict[str, str]] = {
    "trl": {"transformers": "5.24.0", "trl": "1.9.0"},
    "llamafactory": {"transformers": "5.8.0", "llamafactory": "0.9.5"},
    "axolotl": {"axolotl": "0.18.0", "transformers": "5.14.1", "trl": "1.8.0"},
    "verl": {"verl": "0.8.0"},
    "torchtune": {"torchtune": "0.7.0"},
}
SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING, "deprecated": Severity.INFO}
REFUSED = {
    "axolotl": "axolotl refuses the config at validation",
    "llamafactory": "LLaMA-Factory refuses unknown keys ('Some keys are not used by the"
    " HfArgumentParser')",
    "trl": "TrlParser refuses unknown keys (TRL's own scripts drop them silently)",
    "verl": "verl raises at startup",
}


def _walk(mapping: Mapping, prefix: str = "") -> Iterator[tuple[str, Scalar, Node]]:
    """Every (dotted path, key node, value node) of the document; list items as ``a[].b``."""
    for key, value in mapping.entries():
        path = f"{prefix}{key.value}"
        yield path, key, value
        if isinstance(value, Mapping):
            yield from _walk(value, f"{path}.")
        elif isinstance(value, Sequence):
            for item in value.items:
                if isinstance(item, Mapping):
                    yield from _walk(item, f"{path}[].")


def _loaded(ctx: Context, node: Node) -> object:
    return resolve(node, ctx.reader.profile) if isinstance(node, Scalar) else node


def _is_set(ctx: Context, node: Node) -> bool:
    return _loaded(ctx, node) is not None


def _is_truthy(ctx: Context, node: Node) -> bool:
    value = _loaded(ctx, node)
    if isinstance(value, Mapping | Sequence):
        return bool(value.pairs if isinstance(value, Mapping) else value.items)
    return bool(value)


def _applies(ctx: Context, entry: Deprecation, value: Node) -> bool:
    if entry.methods:
        method = ctx.config.method.value if ctx.config.method else None
        if method not in entry.methods:
            return False
    if entry.values:
        text = value.value if isinstance(value, Scalar) else None
        return text is not None and any(fnmatchcase(text, v) for v in entry.values)
    if entry.when == "truthy":
        return _is_truthy(ctx, value)
    return entry.when == "present" or _is_set(ctx, value)


def _conflict(ctx: Context, entry: Deprecation) -> bool:
    if entry.conflicts_with is None:
        return False
    other = ctx.reader.entry(entry.conflicts_with)
    return other is not None and _is_set(ctx, other.value)


def message(ctx: Context, entry: Deprecation, path: str, value: Node, conflict: bool) -> str:
    what = f"'{path}'"
    if entry.values and isinstance(value, Scalar):
        what = f"'{path}: {value.value}'"
    verb = "was" if entry.change.startswith(("removed", "renamed")) else "is"
    text = f"{what} {verb} {entry.change}"
    if entry.replacement:
        text += f"; use {entry.replacement} instead"
    if conflict:
        text += f"; with '{entry.conflicts_with}' also set, axolotl refuses the config"
    elif entry.status == "error" and ctx.dialect in REFUSED:
        text += f"; {REFUSED[ctx.dialect]}"
    return f"{text} ({entry.source})"


def _checked(ctx: Context) -> bool:
    if ctx.dialect == "llamafactory":
        return ctx.reader.root.get("model_name_or_path") is not None  # v1 files: other keys
    return ctx.dialect in DEFAULT_TARGETS


def check(ctx: Context) -> Iterator[Report]:
    if not _checked(ctx):
        return
    if not has_entries(ctx.dialect):
        return
    targets = DEFAULT_TARGETS.get(ctx.dialect, {})
    for path, key, value in _walk(ctx.reader.root):
        matching = tuple(e for e in lookup(ctx.dialect, path) if _applies(ctx, e, value))
        entry = applicable(matching, targets)
        if entry is None:
            continue
        conflict = _conflict(ctx, entry)
        severity = Severity.ERROR if conflict else SEVERITY[entry.status]
        yield Report(
            value if entry.values else key,
            message(ctx, entry, path, value, conflict),
            source=entry.source,
            severity=severity,
        )


RULE = Rule("K002", "deprecated-key", Severity.WARNING, SOURCE, __doc__ or "", check)
