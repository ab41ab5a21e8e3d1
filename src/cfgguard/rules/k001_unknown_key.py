"""Unknown key (a typo, or another framework's spelling).

## What it does
Reports a key that no release of the framework's loader defines, for the parsers that
read the file, at the key's position, with the closest known key when there is one
(`lora_alpah` -> `lora_alpha`). Known keys are read from the frameworks' released code
(every release, `python -m cfgguard.knowledge.build`), and from the repository itself:
the fields of the dataclasses its scripts hand to `TrlParser`, `HfArgumentParser` or
`H4ArgumentParser`, and a vendored copy of the framework. A key that some *other*
release defines is K002's (removed, renamed, not yet added), so each key is reported once.

Checked: top-level keys for TRL / alignment-handbook and LLaMA-Factory (flat dataclass
fields); every section the key data describes for axolotl, verl and torchtune (a
section whose value is a free mapping, such as a component's keyword arguments, is not
looked into).

Severity: `error` where the key data is the loader's whole list and the loader refuses
the key (TrlParser from TRL 0.19.0, LLaMA-Factory's HfArgumentParser) or drops it
silently (axolotl, TRL before 0.19.0), so the run stops or trains with the default.
`info` when the key changes nothing and the loader only drops it: written with no value
or an empty list or mapping, or with the value the loader's code sets anyway (axolotl
builds its 4-bit config with `bnb_4bit_quant_type: nf4` and double quantization whatever
top-level keys say: axolotl 0.18.0 src/axolotl/loaders/model.py:718-719). `warning` for a
key written one section too high, when exactly one section below defines its name
(axolotl's `datasets[].field_instruction` is read only inside a `type:` mapping:
axolotl 0.18.0 src/axolotl/utils/schemas/datasets.py:23): the value is not applied where
it stands, and a column mapping the loader then lacks fails loudly rather than silently.
Where the data may miss keys the loader reads (torchtune recipes read keys the
shipped recipes do not; a repository's parser gets classes cfgguard cannot see),
`warning` for a likely typo (a close known match) or a name that looks like a training
knob (`*learning_rate*`, `*batch_size*`, `*epochs*`, `lora_*`, `*group_size*`,
`*warmup*`: dropped, such a key silently changes the run), `info` otherwise.

## Why is this bad?
A key the trainer drops means the run silently uses the default: `num_train_epochs` in
axolotl leaves `num_epochs` at 1, `lora_rank` in axolotl leaves `lora_r` unset. Where
the framework refuses the key, the job dies after the queue wait.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
base_model: meta-llama/Llama-3.1-8B
adapter: lora
lora_alpah: 32        # axolotl: dropped, alpha stays unset
```
Use instead: `lora_alpha: 32`.

## Fix
Renames the key to its close match (difflib ratio >= 0.8) when that match is clear: the
only one, or the only one within two typing errors while every other is farther
(`context_parapllel_size` -> `context_parallel_size`, not `expert_parallel_size`). When
the right key already exists (renaming would create a duplicate), no fix is offered.
Only keys every allowed release defines are suggested. Safe when the key is a typo of
the match (at most two inserted, deleted, changed or swapped letters) and the key data
is the loader's whole list: only the key token changes. Unsafe where the data may miss
keys (the key may be read by a recipe or a class cfgguard cannot see) and for farther
matches, which may be another option with another meaning.

## Source
The frameworks' released code: `knowledge/data/releases/<package>.json`, each key with
the release, file and line that define it; what each loader does with an undefined key:
`knowledge/data/loader_facts.json` (each fact cites the release, file and line).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.edits.build import fix, quote_like, replace
from cfgguard.findings import Fix, Severity
from cfgguard.keyspaces import DocumentKeys
from cfgguard.knowledge.facts import settled_value
from cfgguard.patterns import Pattern
from cfgguard.rules._keys import changes_nothing, refusal, refuses_everywhere, walk
from cfgguard.rules._similar import close_matches
from cfgguard.rules.base import Context, Report, Rule
from cfgguard.yaml.nodes import Mapping, Node, Scalar
from cfgguard.yaml.scalars import resolve

SOURCE = "The frameworks' released code (knowledge/data/releases)"
# Names that set a training value: dropped, such a key silently changes the run.
KNOB = Pattern(r"learning_rate|(^|_)lr($|_)|batch_size|epoch|^lora_|group_size|warmup")
# Unknown keys of one file that get suggestions (each costs a matching pass).
MAX_SUGGESTED = 200


def suggestions(path: str, keys: DocumentKeys) -> list[str]:
    """Known sibling keys close to the unknown one, best first (kept per key space: the
    same stray key recurs across a repository's files)."""
    found = keys.space.suggested.get(path)
    if found is None:
        prefix, _, leaf = path.rpartition(".")
        candidates = plausible(leaf, _siblings(keys, prefix))
        found = close_matches(leaf, candidates, n=2, cutoff=0.8)
        keys.space.suggested[path] = found
    return found


def plausible(word: str, candidates: list[str], cutoff: float = 0.8) -> list[str]:
    """The candidates that can still reach difflib's ``cutoff`` ratio against ``word``.

    A candidate's characters that never occur in ``word`` cannot match, so the others
    bound the matches from above (difflib's quick_ratio counts no more); dropping the
    rest leaves ``get_close_matches``' answer as it was, at a fraction of the cost
    (``str.translate`` counts in C what difflib counts in Python, ~600 keys a section).
    """
    absent = {ord(c): None for c in set(word)}
    kept: list[str] = []
    size = len(word)
    for candidate in candidates:
        total = len(candidate) + size
        if total and 2.0 * min(len(candidate), size) < cutoff * total:
            continue  # lengths too far apart (difflib's real_quick_ratio bound)
        shared = len(candidate) - len(candidate.translate(absent))
        if not total or 2.0 * shared / total >= cutoff:
            kept.append(candidate)
    return kept


def _siblings(keys: DocumentKeys, prefix: str) -> list[str]:
    """The known keys of one section (leaf names) that every allowed release has.

    Keys missing from some allowed release are no suggestion: renaming to one trades
    K001 for K002.
    """
    return keys.space.siblings(prefix, everywhere=True)


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
    keys = ctx.keys()
    if keys is None:
        return
    suggested = 0
    referenced: frozenset[str] | None = None
    for path, key, value, mapping in walk(ctx.reader.root, keys):
        if keys.space.verdict(path).status != "never":
            continue
        if referenced is None:
            referenced = interpolated(ctx)
        if path in referenced:
            continue  # read by an interpolation of the file (``${checkpoint_dir}``)
        deeper = one_level_down(keys, path) if keys.complete and not keys.unseen else None
        if deeper is not None and not changes_nothing(value, None, ctx.reader.profile):
            yield _misplaced(key, path, deeper, keys)
            continue
        matches = suggestions(path, keys) if suggested < MAX_SUGGESTED else []
        suggested += 1
        close = matches[0] if matches else None
        hint = f" (did you mean '{close}'?)" if close else ""
        severity, effect, source = _judge(keys, path, value, close, ctx)
        yield Report(
            key,
            f"unknown key '{path}'{hint}; {effect}",
            source=source,
            severity=severity,
            fix=_rename(key, mapping, matches, keys.complete),
        )


def one_level_down(keys: DocumentKeys, path: str) -> str | None:
    """The section one level below the key's own where its name is defined, when exactly
    one such section exists (axolotl's ``datasets[].field_instruction`` is read only in a
    ``type:`` mapping: ``datasets[].type.field_instruction``)."""
    prefix, _, name = path.rpartition(".")
    start = f"{prefix}." if prefix else ""
    found = [
        section
        for section in keys.space.sections_below(start)
        if keys.space.allowed_somewhere(f"{section}.{name}")
    ]
    return found[0] if len(found) == 1 else None


def _misplaced(key: Scalar, path: str, section: str, keys: DocumentKeys) -> Report:
    name = path.rpartition(".")[2]
    below = section.rpartition(".")[2].removesuffix("[]")
    reader = keys.reading.source.lead or "the loader"
    # warning, not error: the value is not applied where it is written, but a mapping the
    # loader needs fails loudly when it is missing, and a value equal to the loader's own
    # choice changes nothing
    return Report(
        key,
        f"'{name}' is read only inside '{below}' ('{section}.{name}'); here {reader}"
        f" does not apply it",
        severity=Severity.WARNING,
    )


_INTERPOLATION = Pattern(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")


def interpolated(ctx: Context) -> frozenset[str]:
    """The keys the file's own ``${a.b}`` interpolations read (OmegaConf loaders only)."""
    if ctx.reader.profile != "omegaconf" or "${" not in ctx.text:
        return frozenset()
    return frozenset(m.group(1) for m in _INTERPOLATION.finditer(ctx.text))


def _judge(
    keys: DocumentKeys, path: str, value: Node, close: str | None, ctx: Context
) -> tuple[Severity, str, str | None]:
    severity, effect, source = refusal(keys, path)
    if not keys.reading.source.lead:  # a format no framework reads (plain)
        likely = close is not None or KNOB.search(path.rpartition(".")[2]) is not None
        return Severity.WARNING if likely else Severity.INFO, effect, source
    if keys.unseen:  # the repository's own code may read any name
        return Severity.INFO, f"{effect}, unless code cfgguard cannot see reads it", source
    if not keys.complete:
        likely = close is not None or KNOB.search(path.rpartition(".")[2]) is not None
        severity = Severity.WARNING if likely else Severity.INFO
        return severity, f"{effect}, unless code cfgguard cannot see reads it", source
    if changes_nothing(value, None, ctx.reader.profile) and not refuses_everywhere(keys, path):
        return Severity.INFO, "it has no value, so dropping it changes nothing", source
    settled = _settled(keys, path, value, ctx)
    if settled is not None and not refuses_everywhere(keys, path):
        return Severity.INFO, settled[0], settled[1]
    return severity, effect, source


def _settled(keys: DocumentKeys, path: str, value: Node, ctx: Context) -> tuple[str, str] | None:
    """(words, source) when the loader uses the written value anyway (axolotl's nf4)."""
    lead = keys.reading.source.lead
    allowed = keys.allowed.get(lead)
    if allowed is None or not isinstance(value, Scalar):
        return None
    found = settled_value(keys.loader, lead, tuple(allowed.indexes), path)
    if found is None or resolve(value, ctx.reader.profile) != found[0]:
        return None
    words = f"{keys.loader} does not read it but sets this same value itself"
    return f"{words}, so dropping it changes nothing", found[1]


RULE = Rule("K001", "unknown-key", Severity.ERROR, SOURCE, __doc__ or "", check, fixable=True)
