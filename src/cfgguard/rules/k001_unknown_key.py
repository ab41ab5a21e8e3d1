"""Unknown key (a typo, or another framework's spelling).

## What it does
Reports a key that the detected framework does not define, at the key's position, with
the closest known key when there is one (`lora_alpah` -> `lora_alpha`). It says what
the framework does with it:

- axolotl: dropped silently (pydantic `extra="ignore"`); the default applies
  (axolotl.md section 3).
- LLaMA-Factory: the run refuses to start ("Some keys are not used by the
  HfArgumentParser") (llamafactory.md section 3).
- TRL / alignment-handbook: `TrlParser` refuses it; TRL's own scripts drop it silently
  (trl.md section 3).
- torchtune: top-level keys nobody reads are ignored silently (torchtune.md section 3).
- verl: dataclass-backed sections refuse it at runtime; plain sections ignore it
  (verl.md section 3).

Checked: top-level keys in every dialect; nested keys where the key list describes the
section (axolotl `trl:`, verl sections). torchtune component kwargs depend on the
`_component_` and are not checked; Hydra config-group fragments (verl files without
`actor_rollout_ref`/`trainer`) and LLaMA-Factory v1 files are not checked. Keys that
newer framework versions removed are known here (K002 reports them).

Severity is `error` where the key list is the framework's whole parser (axolotl,
LLaMA-Factory, TRL). Where it is not complete (torchtune's list covers the 15 main
recipes, not `dev/` ones; verl's is the generated reference config) or no framework reads
the file (plain), an unknown key with a close known match is a `warning` (very likely a
typo) and one without is an `info` (likely a key the list does not cover: on the corpus,
verl's `sft_trainer_engine.yaml` and torchtune's `dev/` recipes).

## Why is this bad?
A key the trainer drops means the run silently uses the default: `num_train_epochs` in
axolotl leaves `num_epochs` at 1, `lora_rank` in axolotl leaves `lora_r` unset. Where
the framework refuses the key, the job dies after the queue wait.

## Example
```yaml
lora_alpah: 32        # axolotl: dropped, alpha stays unset
```
Use instead: `lora_alpha: 32`.

## Fix
Renames the key to its close match (difflib ratio >= 0.8) when that match is clear: the
only one, or the only one within two typing errors while every other is farther
(`context_parapllel_size` -> `context_parallel_size`, not `expert_parallel_size`). When
the right key already exists (renaming would create a duplicate), no fix is offered.
Safe when the key is a typo of the match (at most two inserted, deleted, changed or
swapped letters): the value stays as written and only the key token changes, so
the file does what its author wrote. Unsafe in dialects whose key list is incomplete
(torchtune's `dev/` recipes read `datasets`, which is one typo from `dataset`), and
for farther matches: a farther match may be another
option with another meaning (alignment-handbook's old `dataset_mixer` is not TRL's
`dataset_mixture`, whose value has another shape).

## Source
Dialect key lists (`shared/reference/dialects/<framework>.keys.tsv`, extracted from each
framework's source at the commit the notes name).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from cfgguard.findings import Fix, Severity
from cfgguard.fix.build import fix, quote_like, replace
from cfgguard.knowledge.deprecations import listed
from cfgguard.knowledge.keys import key_sections, key_types
from cfgguard.rules.base import Context, Report, Rule
from cfgguard.yaml.nodes import Mapping, Scalar, Sequence

SOURCE = "Dialect key lists (shared/reference/dialects/*.keys.tsv)"

EFFECT = {
    "axolotl": "axolotl drops unknown keys silently, so the default applies",
    "llamafactory": "LLaMA-Factory refuses to start ('Some keys are not used')",
    "trl": "TrlParser refuses it; TRL's own scripts drop it silently",
    "torchtune": "torchtune never reads it, so the default applies",
    "verl": "verl ignores it in plain sections and fails at runtime in dataclass sections",
    "plain": "it is not a key of the reference's config format",
}
# Keys every file of the dialect may carry that are not framework fields.
ALWAYS_KNOWN = {"defaults", "hydra", "_target_", "_component_", "env"}
# Sections whose children are described by the key list (axolotl's `datasets[]` depends on
# `rl`, and its `fsdp_config` still maps the deprecated `fsdp_` prefixed keys).
NESTED = {"axolotl": ("trl",), "verl": None}  # None: every described section
COMPLETE_KEY_LISTS = {"axolotl", "llamafactory", "trl"}


def _applies(ctx: Context) -> bool:
    root = ctx.reader.root
    if ctx.dialect == "verl":
        return root.get("actor_rollout_ref") is not None or root.get("trainer") is not None
    if ctx.dialect == "llamafactory":
        return root.get("model_name_or_path") is not None  # v1 files use another key list
    return True


def _walk(mapping: Mapping, prefix: str, dialect: str) -> Iterator[tuple[str, Scalar, Mapping]]:
    keys, sections = key_types(dialect), key_sections(dialect)
    for key, value in mapping.entries():
        path = f"{prefix}{key.value}"
        if key.value in ALWAYS_KNOWN or key.value.startswith("_"):
            continue
        if path not in keys and path not in sections:
            if not listed(dialect, path):  # deprecated or removed keys are K002's
                yield path, key, mapping
            continue
        if dialect not in NESTED:
            continue
        allowed = NESTED[dialect]
        if allowed is not None and path.split(".", 1)[0] not in allowed:
            continue
        if isinstance(value, Mapping) and path in sections:
            yield from _walk(value, f"{path}.", dialect)
        elif isinstance(value, Sequence) and f"{path}[]" in sections:
            for item in value.items:
                if isinstance(item, Mapping):
                    yield from _walk(item, f"{path}[].", dialect)


def suggestions(path: str, dialect: str) -> list[str]:
    """Known sibling keys close to the unknown one, best first."""
    prefix, _, leaf = path.rpartition(".")
    import difflib  # only for files that have an unknown key

    candidates = plausible(leaf, _siblings(dialect, prefix))
    return difflib.get_close_matches(leaf, candidates, n=2, cutoff=0.8)


def plausible(word: str, candidates: list[str], cutoff: float = 0.8) -> list[str]:
    """The candidates that can still reach difflib's ``cutoff`` ratio against ``word``.

    A candidate's characters that never occur in ``word`` cannot match, so the others
    bound the matches from above (difflib's quick_ratio counts no more); dropping the
    rest leaves ``get_close_matches``' answer as it was, at a fraction of the cost
    (``str.translate`` counts in C what difflib counts in Python, ~600 keys a section).
    """
    absent = {ord(c): None for c in set(word)}
    kept: list[str] = []
    for candidate in candidates:
        total = len(candidate) + len(word)
        shared = len(candidate) - len(candidate.translate(absent))
        if not total or 2.0 * shared / total >= cutoff:
            kept.append(candidate)
    return kept


@cache
def _siblings(dialect: str, prefix: str) -> list[str]:
    """The known keys of one section (leaf names), for suggestions.

    Deprecated or removed keys are no suggestion: renaming to one trades K001 for K002.
    """
    return [
        k.rpartition(".")[2]
        for k in key_types(dialect)
        if k.rpartition(".")[0] == prefix and not listed(dialect, k)
    ]


def typo_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from ``a`` to ``b``."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, prev2[j - 2] + 1)
            row.append(cost)
        prev2, prev = prev, row
    return prev[-1]


def _rename(key: Scalar, mapping: Mapping, close: list[str], complete: bool) -> Fix | None:
    """A rename to the only close key the mapping does not have yet (see the doc)."""
    ranked = sorted((typo_distance(key.value, c), c) for c in close)
    typo = bool(ranked) and ranked[0][0] <= 2 and (len(ranked) == 1 or ranked[1][0] > 2)
    if not typo and len(close) != 1:
        return None  # several candidates and none is clearly the typo's source
    target = ranked[0][1]
    if mapping.get(target) is not None:
        return None
    kind = "safe" if typo and complete else "unsafe"
    return fix(kind, f"rename '{key.value}' to '{target}'", replace(key, quote_like(key, target)))


def check(ctx: Context) -> Iterator[Report]:
    if ctx.dialect not in EFFECT or not _applies(ctx):
        return
    for path, key, mapping in _walk(ctx.reader.root, "", ctx.dialect):
        matches = suggestions(path, ctx.dialect)
        close = matches[0] if matches else None
        hint = f" (did you mean '{close}'?)" if close else ""
        severity = None
        if ctx.dialect not in COMPLETE_KEY_LISTS:
            severity = Severity.WARNING if close else Severity.INFO
        yield Report(
            key,
            f"unknown key '{path}'{hint}; {EFFECT[ctx.dialect]}",
            severity=severity,
            fix=_rename(key, mapping, matches, ctx.dialect in COMPLETE_KEY_LISTS),
        )


RULE = Rule("K001", "unknown-key", Severity.ERROR, SOURCE, __doc__ or "", check, fixable=True)
